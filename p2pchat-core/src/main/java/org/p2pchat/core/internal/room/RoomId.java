package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * A room's identity: 16 random bytes drawn by its creator. The name is a label; two rooms of the
 * same name made apart never mix, since every room frame and signature names the id.
 *
 * @param high the first 8 bytes
 * @param low the last 8 bytes
 */
record RoomId(long high, long low) {
    static final int BYTES = 16;

    static RoomId random(RandomGenerator random) {
        return new RoomId(random.nextLong(), random.nextLong());
    }

    static RoomId read(ByteBuffer in) {
        RoomFields.need(in, BYTES, "room id");
        return new RoomId(in.getLong(), in.getLong());
    }

    void write(ByteBuffer out) {
        out.putLong(high).putLong(low);
    }

    static RoomId parse(String text) {
        byte[] raw = Base64.getUrlDecoder().decode(text);
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("expected a room id of 16 bytes, got " + raw.length);
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        return new RoomId(b.getLong(), b.getLong());
    }

    /** The unpadded base64url form, 22 characters. */
    @Override
    public String toString() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(BYTES).putLong(high).putLong(low).array());
    }
}
