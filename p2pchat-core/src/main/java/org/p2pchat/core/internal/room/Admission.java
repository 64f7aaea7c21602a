package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof that a member of an invite-only room was given its invite: HMAC-SHA256 keyed with
 * the room's secret over a domain string, the room id and the member's signing key. Every member
 * holds the secret, so every member can check every other member's record; no one without the
 * secret can make one. Stateless.
 */
final class Admission {
    static final int BYTES = 32;
    static final int SECRET_BYTES = 32;
    private static final byte[] DOMAIN = "p2pchat admission v4\0".getBytes(StandardCharsets.US_ASCII);

    private Admission() {
    }

    static byte[] prove(byte[] secret, RoomId room, byte[] signingKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(DOMAIN);
            mac.update(ByteBuffer.allocate(RoomId.BYTES).putLong(room.high()).putLong(room.low())
                    .array());
            mac.update(signingKey);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    static boolean holds(byte[] secret, RoomId room, byte[] signingKey, byte[] proof) {
        return proof.length == BYTES && MessageDigest.isEqual(prove(secret, room, signingKey), proof);
    }
}
