/**
 * What a peer tells about itself: the counters behind {@code Peer.stats()} and the JDK Flight
 * Recorder events of its connections and deliveries.
 *
 * <p>A {@link org.p2pchat.core.internal.observe.LinkCounters} per link counts messages, frames,
 * acknowledgement delays, window stalls and connections, with plain writes from the threads that
 * already hold the link's (or its inflow's) lock, so that counting stays on in the hot path; a
 * {@link org.p2pchat.core.internal.observe.NodeCounters} per node sums the links' {@link
 * org.p2pchat.core.internal.observe.LinkSample}s into a {@code PeerStats}. A {@link
 * org.p2pchat.core.internal.observe.ConnectionWatch} per connection, a {@link
 * org.p2pchat.core.internal.observe.StallTimer} per link and {@link
 * org.p2pchat.core.internal.observe.FlightEvents} commit the events ({@code org.p2pchat.*}, in
 * the category {@code p2pchat}); none is built while the Flight Recorder does not record it,
 * and none is made per message.
 *
 * <p>Uses nothing of the engine but the api and spi: {@code delivery}, {@code link} and {@code
 * node} report to it. Internal; not exported.
 */
package org.p2pchat.core.internal.observe;
