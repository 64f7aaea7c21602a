package org.p2pchat.core.internal.observe;

import org.p2pchat.api.PeerKey;

/**
 * One link's sample with who it is for, as a node collects them for its snapshot. An immutable
 * value; any thread.
 *
 * @param name the name the peer goes by
 * @param key its key, or null while none is proven
 * @param sample the link's counters and gauges
 */
public record FriendSample(String name, PeerKey key, LinkSample sample) {
}
