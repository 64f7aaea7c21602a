package org.p2pchat.core.internal.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fixed keys and the genuine handshake they give, for the fuzz tests: a fuzz target must be
 * deterministic, so nothing here is random. Committed seed inputs were made from these values
 * ({@link #main} prints them), so changing a key makes those seeds reach less deep.
 */
final class FuzzFixture {
    static final byte[] PROLOGUE = "p2pchat fuzz".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PAYLOAD_1 = new byte[0];
    static final byte[] PAYLOAD_2 = "bob 127.0.0.1:7002".getBytes(StandardCharsets.UTF_8);
    static final byte[] PAYLOAD_3 = "alice 127.0.0.1:7001".getBytes(StandardCharsets.UTF_8);
    /** The transport key of {@link #receiver()}. */
    static final byte[] TRANSPORT_KEY = filled(0x42);

    private FuzzFixture() {
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static HandshakeXX initiator() {
        return new HandshakeXX(true, PROLOGUE, X25519.fromPrivate(filled(1)),
                X25519.fromPrivate(filled(2)));
    }

    static HandshakeXX responder() {
        return new HandshakeXX(false, PROLOGUE, X25519.fromPrivate(filled(3)),
                X25519.fromPrivate(filled(4)));
    }

    /** A receiving transport cipher at nonce 0. */
    static CipherState receiver() {
        CipherState c = new CipherState();
        c.initializeKey(TRANSPORT_KEY.clone());
        return c;
    }

    /** The three genuine handshake messages of {@link #initiator()} and {@link #responder()}. */
    static byte[][] genuineHandshake() {
        HandshakeXX init = initiator();
        HandshakeXX resp = responder();
        byte[][] m = new byte[3][];
        m[0] = init.writeMessage(PAYLOAD_1);
        resp.readMessage(m[0]);
        m[1] = resp.writeMessage(PAYLOAD_2);
        init.readMessage(m[1]);
        m[2] = init.writeMessage(PAYLOAD_3);
        resp.readMessage(m[2]);
        return m;
    }

    /**
     * Writes the genuine messages as seed files.
     *
     * @param args the directory of the handshake fuzz test's inputs, then that of the transport's
     * @throws java.io.IOException if writing fails
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path hs = java.nio.file.Path.of(args[0]);
        byte[][] m = genuineHandshake();
        String[] targets = {"responderReadsArbitraryFirstMessage",
            "initiatorReadsArbitrarySecondMessage", "responderReadsArbitraryThirdMessage"};
        for (int i = 0; i < 3; i++) {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(hs.resolve(targets[i]));
            java.nio.file.Files.write(dir.resolve("genuine_message_" + (i + 1)), m[i]);
        }
        CipherState send = new CipherState();
        send.initializeKey(TRANSPORT_KEY.clone());
        java.nio.file.Path tr = java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[1])
                .resolve("decryptingArbitraryBytesOnlyFailsAuthentication"));
        java.nio.file.Files.write(tr.resolve("genuine_message_n0"),
                send.encryptWithAd(new byte[0], "hello".getBytes(StandardCharsets.UTF_8)));
        java.nio.file.Files.write(tr.resolve("tag_only"), new byte[CipherState.TAG_BYTES]);
    }
}
