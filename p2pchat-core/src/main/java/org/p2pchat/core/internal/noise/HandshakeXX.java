package org.p2pchat.core.internal.noise;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Noise's HandshakeState (section 5.3) for the XX pattern, the only one p2pchat uses:
 *
 * <pre>
 * XX:
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 *
 * <p>Both sides learn the other's static key during the handshake, so neither needs to know it in
 * advance; the application decides afterwards whether to trust {@link #remoteStaticKey()}. Each
 * side alternates {@link #writeMessage} and {@link #readMessage}, starting with the initiator's
 * write, until {@link #isComplete()}; then {@link #split()} gives the transport ciphers. Not
 * thread-safe.
 */
public final class HandshakeXX {
    /** The full protocol name, mixed into every handshake. */
    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    private static final int MESSAGES = 3;

    private final boolean initiator;
    private final SymmetricState symmetric = new SymmetricState(PROTOCOL_NAME);
    private final X25519.Keys s;
    private X25519.Keys e;
    private byte[] rs;
    private byte[] re;
    private int step;

    /**
     * Initialize, with the ephemeral key chosen by the caller (tests pass the vectors' keys;
     * real use passes a fresh {@link X25519#generate} pair).
     *
     * @param initiator true for the side that opened the connection
     * @param prologue bytes both sides must agree on, mixed into the hash
     * @param staticKeys this side's long-term keys
     * @param ephemeralKeys this side's ephemeral keys for this handshake only
     */
    public HandshakeXX(boolean initiator, byte[] prologue, X25519.Keys staticKeys,
            X25519.Keys ephemeralKeys) {
        this.initiator = initiator;
        this.s = staticKeys;
        this.e = ephemeralKeys;
        symmetric.mixHash(prologue);
    }

    /**
     * Tells whether this side writes the next handshake message.
     *
     * @return true when it is this side's turn to write
     */
    public boolean isMyTurnToWrite() {
        return !isComplete() && (step % 2 == 0) == initiator;
    }

    /**
     * Tells whether all three messages have been exchanged.
     *
     * @return true once the handshake is complete
     */
    public boolean isComplete() {
        return step == MESSAGES;
    }

    /**
     * Writes the next handshake message.
     *
     * @param payload the payload to carry (encrypted from the second message on)
     * @return the message
     */
    public byte[] writeMessage(byte[] payload) {
        if (!isMyTurnToWrite()) {
            throw new IllegalStateException("not this side's turn to write");
        }
        ByteBuffer out = ByteBuffer.allocate(2 * (X25519.KEY_BYTES + CipherState.TAG_BYTES)
                + payload.length + CipherState.TAG_BYTES);
        switch (step) {
            case 0 -> writeE(out);
            case 1 -> {
                writeE(out);
                symmetric.mixKey(X25519.dh(e.privateKey(), re)); // ee
                out.put(symmetric.encryptAndHash(s.publicKey())); // s
                symmetric.mixKey(X25519.dh(s.privateKey(), re)); // es (responder)
            }
            default -> {
                out.put(symmetric.encryptAndHash(s.publicKey())); // s
                symmetric.mixKey(X25519.dh(s.privateKey(), re)); // se (initiator)
            }
        }
        out.put(symmetric.encryptAndHash(payload));
        step++;
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * Reads the other side's next handshake message.
     *
     * @param message the message
     * @return its payload
     * @throws NoiseException if it is malformed, tampered with, or carries a refused key
     */
    public byte[] readMessage(byte[] message) {
        if (isMyTurnToWrite() || isComplete()) {
            throw new NoiseException("unexpected handshake message");
        }
        ByteBuffer in = ByteBuffer.wrap(message);
        switch (step) {
            case 0 -> re = readE(in);
            case 1 -> {
                re = readE(in);
                symmetric.mixKey(X25519.dh(e.privateKey(), re)); // ee
                rs = symmetric.decryptAndHash(take(in, X25519.KEY_BYTES + CipherState.TAG_BYTES));
                symmetric.mixKey(X25519.dh(e.privateKey(), rs)); // es (initiator)
            }
            default -> {
                rs = symmetric.decryptAndHash(take(in, X25519.KEY_BYTES + CipherState.TAG_BYTES));
                symmetric.mixKey(X25519.dh(e.privateKey(), rs)); // se (responder)
            }
        }
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        byte[] payload = symmetric.decryptAndHash(rest);
        step++;
        return payload;
    }

    private void writeE(ByteBuffer out) {
        out.put(e.publicKey());
        symmetric.mixHash(e.publicKey());
    }

    private byte[] readE(ByteBuffer in) {
        byte[] key = take(in, X25519.KEY_BYTES);
        symmetric.mixHash(key);
        return key;
    }

    private static byte[] take(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new NoiseException("handshake message too short: needed " + n + " more bytes, "
                    + "got " + in.remaining());
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /**
     * Returns the other side's static public key, known after the second message.
     *
     * @return the key, or null before it is known
     */
    public byte[] remoteStaticKey() {
        return rs == null ? null : rs.clone();
    }

    /**
     * Returns the handshake hash, a value both sides share once complete (for channel binding).
     *
     * @return the hash
     */
    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /**
     * Split: the transport ciphers, once complete. Forgets the ephemeral key.
     *
     * @return {sending, receiving} cipher states for this side
     */
    public CipherState[] split() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake not complete");
        }
        CipherState[] c = symmetric.split();
        Arrays.fill(e.privateKey(), (byte) 0);
        e = null;
        return initiator ? c : new CipherState[] {c[1], c[0]};
    }
}
