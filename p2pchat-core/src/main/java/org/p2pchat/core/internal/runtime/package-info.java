/**
 * What every layer of the engine shares about threads and logs: which threads are the peers' own
 * ({@link org.p2pchat.core.internal.runtime.NodeThreads}), so that closing never blocks one; the
 * executor that serves listener calls in turn per sender ({@link
 * org.p2pchat.core.internal.runtime.SerialExecutor}) and the threads behind it ({@link
 * org.p2pchat.core.internal.runtime.SerialCallbacks}), or, for listeners on the network thread,
 * the one that runs them once the frame they came in is read ({@link
 * org.p2pchat.core.internal.runtime.AfterFrame}); times as nanoseconds since the epoch ({@link
 * org.p2pchat.core.internal.runtime.EpochNanos}); and a {@link
 * org.p2pchat.core.internal.runtime.ThrottledLog} that keeps warnings strangers can cause to a
 * line a second.
 *
 * <p>The bottom of the layers: it uses only the JDK, slf4j and the api, and every other internal
 * package may use it. Internal; not exported.
 */
package org.p2pchat.core.internal.runtime;
