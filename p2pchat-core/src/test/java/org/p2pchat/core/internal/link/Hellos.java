package org.p2pchat.core.internal.link;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HELLO payloads written by hand from PROTOCOL.md, independently of {@link WireCodec}'s encoder,
 * so that tests can send what another implementation, or another version, would.
 */
final class Hellos {
    private static final byte[] ADDRESS = "127.0.0.1:7001".getBytes(StandardCharsets.UTF_8);

    private Hellos() {
    }

    /**
     * A version 3 HELLO: {@code name} at 127.0.0.1:7001, epoch 7.
     *
     * @param name the sender's name
     * @param maxFrame the frame limit field, a uint32 (0 to 2^32 - 1)
     * @return the payload, type byte first
     */
    static byte[] v3(String name, long maxFrame) {
        return withVersion(3, name, maxFrame);
    }

    /**
     * A version 5 HELLO: {@code name} at 127.0.0.1:7001, epoch 7, with its signing key.
     *
     * @param name the sender's name
     * @param maxFrame the frame limit field, a uint32 (0 to 2^32 - 1)
     * @param signingKey the sender's Ed25519 public key, 32 bytes
     * @return the payload, type byte first
     */
    static byte[] current(String name, long maxFrame, byte[] signingKey) {
        byte[] head = withVersion(WireCodec.VERSION, name, maxFrame);
        return ByteBuffer.allocate(head.length + signingKey.length).put(head).put(signingKey).array();
    }

    /**
     * A HELLO laid out as version 3's but announcing another version.
     *
     * @param version the version byte
     * @param name the sender's name
     * @param maxFrame the frame limit field
     * @return the payload
     */
    static byte[] withVersion(int version, String name, long maxFrame) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + n.length + ADDRESS.length + 12)
                .put((byte) 1).put((byte) version).put((byte) n.length).put(n)
                .put((byte) ADDRESS.length).put(ADDRESS)
                .putLong(7).putInt((int) maxFrame).array();
    }

    /**
     * A version 2 HELLO, as version 2's PROTOCOL.md laid it out: no epoch, no frame limit.
     *
     * @param name the sender's name
     * @return the payload
     */
    static byte[] v2(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + n.length + ADDRESS.length)
                .put((byte) 1).put((byte) 2).put((byte) n.length).put(n)
                .put((byte) ADDRESS.length).put(ADDRESS).array();
    }
}
