/**
 * The NIO transport's implementation, not exported from its module.
 *
 * <p>{@link org.p2pchat.transport.nio.internal.NioEventLoop} owns one thread and one selector per
 * transport; every socket is non-blocking. Inbound bytes are cut into frames by
 * {@link org.p2pchat.transport.nio.internal.FrameDecoder}; outbound frames are copied by the
 * calling thread into a {@link org.p2pchat.transport.nio.internal.NioOutboundQueue} of pooled
 * chunks and leave in gathering writes, so a burst of small frames costs one system call and no
 * per-frame garbage.
 */
package org.p2pchat.transport.nio.internal;
