package org.p2pchat.core.internal.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.noise.CipherState;
import org.p2pchat.core.internal.noise.HandshakeXX;
import org.p2pchat.core.internal.noise.NoiseException;
import org.p2pchat.core.internal.noise.X25519;
import org.p2pchat.spi.Connection;

/**
 * One connection's Noise XX session: the handshake, then every frame sealed with
 * ChaCha20-Poly1305 under its own nonce. Both directions rekey in lockstep every
 * {@code rekeyInterval} messages, so a key never encrypts more than that many.
 *
 * <p><b>Threading:</b> the handshake and {@link #open} run on the transport's event loop only;
 * {@link #send} and {@link #write} may be called from any thread and are serialised by a lock,
 * because each message takes the next nonce and must reach the socket in nonce order.
 */
public final class SecureChannel {
    /** The prologue: names the protocol and its version, so other protocols' handshakes fail. */
    public static final byte[] PROLOGUE = ("p2pchat/2 " + HandshakeXX.PROTOCOL_NAME)
            .getBytes(StandardCharsets.US_ASCII);
    /** Default messages per key before both sides rekey. */
    public static final long DEFAULT_REKEY_INTERVAL = 1L << 20;

    private final Connection connection;
    private final HandshakeXX handshake;
    private final long rekeyInterval;
    private final Object sendLock = new Object();
    private CipherState sender;
    /** Set once, under {@link #sendLock}, by whichever thread completes the handshake. */
    private volatile CipherState receiver;
    private volatile PeerKey remoteKey;
    /** The largest scratch buffer a thread keeps: a read buffer's worth. */
    private static final int SCRATCH_KEPT = 64 * 1024;
    private static final ThreadLocal<ByteBuffer[]> SCRATCH =
            ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private ByteBuffer sealed = ByteBuffer.allocate(512);
    private ByteBuffer opened = ByteBuffer.allocate(512);

    /**
     * Creates the session of a connection.
     *
     * @param connection the connection
     * @param initiator true on the side that opened the connection
     * @param identity this peer's keys
     * @param random randomness for the ephemeral key
     * @param rekeyInterval messages per key
     */
    public SecureChannel(Connection connection, boolean initiator, Identity identity,
            SecureRandom random, long rekeyInterval) {
        this.connection = connection;
        this.handshake = new HandshakeXX(initiator, PROLOGUE, identity.keys(), X25519.generate(random));
        this.rekeyInterval = rekeyInterval;
    }

    /**
     * Returns the connection.
     *
     * @return the connection underneath
     */
    public Connection connection() {
        return connection;
    }

    /**
     * Writes the next handshake message; after the last one the session is ready to seal.
     *
     * @param payload what the message carries
     */
    public void writeHandshake(byte[] payload) {
        byte[] message;
        synchronized (sendLock) {
            message = handshake.writeMessage(payload);
            splitIfComplete();
        }
        connection.write(ByteBuffer.wrap(message));
    }

    /**
     * Reads the other side's next handshake message.
     *
     * @param frame the frame
     * @return the payload it carried
     * @throws NoiseException if it fails Noise's checks
     */
    public byte[] readHandshake(ByteBuffer frame) {
        byte[] message = new byte[frame.remaining()];
        frame.get(message);
        synchronized (sendLock) {
            byte[] payload = handshake.readMessage(message);
            if (remoteKey == null && handshake.remoteStaticKey() != null) {
                remoteKey = PeerKey.of(handshake.remoteStaticKey());
            }
            splitIfComplete();
            return payload;
        }
    }

    /**
     * Lock held: splits once the handshake is complete, exactly once. The handshake runs under
     * the lock because the opener writes its first message on whichever thread its connect
     * completed on, while the answer is read on the event loop, possibly before that write call
     * has returned: without it two threads could split (the second finding the ephemeral key
     * gone) or read each other's half-updated state.
     */
    private void splitIfComplete() {
        if (!handshake.isComplete() || sender != null) {
            return;
        }
        CipherState[] pair = handshake.split();
        sender = pair[0];
        receiver = pair[1];
    }

    /**
     * Returns the key the other side proved it holds.
     *
     * @return the key, or null before the handshake revealed it
     */
    public PeerKey remoteKey() {
        return remoteKey;
    }

    /**
     * Tells whether the handshake is over and frames can be sealed.
     *
     * @return true once both sides have split
     */
    public boolean isEstablished() {
        return receiver != null;
    }

    /**
     * Decrypts a transport frame into a buffer reused by the next call.
     *
     * @param frame the sealed frame
     * @return the plaintext in a heap buffer (array-backed), valid until the next call
     * @throws NoiseException if it fails authentication (tampered, replayed, reordered)
     */
    public ByteBuffer open(ByteBuffer frame) {
        int length = frame.remaining() - CipherState.TAG_BYTES;
        if (length < 0) {
            throw new NoiseException("sealed frame shorter than its tag");
        }
        if (opened.capacity() < length) {
            opened = ByteBuffer.allocate(Math.max(length, opened.capacity() * 2));
        }
        opened.clear();
        receiver.decrypt(null, onHeap(frame), opened);
        if (receiver.nonce() % rekeyInterval == 0) {
            receiver.rekey();
        }
        return opened.flip();
    }

    /**
     * The frame itself if it is on the heap, else a copy in this thread's scratch buffer: JDK 17's
     * ChaCha20-Poly1305 decrypts from a direct buffer through temporary arrays, about six bytes of
     * garbage per byte, and from a heap array without any. One scratch buffer per thread (the
     * event loops), not per connection, so idle connections hold none.
     */
    private static ByteBuffer onHeap(ByteBuffer frame) {
        if (frame.hasArray()) {
            return frame;
        }
        ByteBuffer[] holder = SCRATCH.get();
        ByteBuffer scratch = holder[0];
        if (scratch == null || scratch.capacity() < frame.remaining()) {
            scratch = ByteBuffer.allocate(Math.max(frame.remaining(), 4096));
            if (scratch.capacity() <= SCRATCH_KEPT) {
                // A larger frame (up to p2pchat.maxFrameBytes) gets a buffer of its own.
                holder[0] = scratch;
            }
        }
        scratch.clear();
        scratch.put(frame);
        return scratch.flip();
    }

    /**
     * Seals and queues one frame; the caller may reuse the buffer at once.
     *
     * @param plaintext the frame's plaintext
     * @throws P2pChatException what {@link Connection#write} throws
     */
    public void write(ByteBuffer plaintext) {
        synchronized (sendLock) {
            ByteBuffer frame = seal(plaintext);
            try {
                connection.write(frame);
            } catch (P2pChatException e) {
                throw desynchronized(e);
            }
        }
    }

    /**
     * Seals and queues one frame, reporting when it is written.
     *
     * @param plaintext the frame's plaintext
     * @return what {@link Connection#send} returns
     */
    public CompletionStage<Void> send(ByteBuffer plaintext) {
        synchronized (sendLock) {
            if (sender == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("handshake not done"));
            }
            CompletableFuture<Void> written = connection.send(seal(plaintext)).toCompletableFuture();
            if (written.isCompletedExceptionally()) {
                // Refused synchronously (queue full, too large): the nonce is spent regardless.
                written.exceptionally(e -> {
                    desynchronized(e instanceof P2pChatException p ? p
                            : new P2pChatException("write refused", e));
                    return null;
                });
            }
            return written;
        }
    }

    /**
     * A sealed frame that was refused has used its nonce, so the other side would reject every
     * later frame: the session cannot go on, and the connection closes.
     */
    private P2pChatException desynchronized(P2pChatException refusal) {
        connection.abort(new ConnectionClosedException(ConnectionClosedException.Reason.PROTOCOL_ERROR,
                "a sealed frame was refused (" + refusal.getMessage() + "); closing the session", refusal));
        return refusal;
    }

    private ByteBuffer seal(ByteBuffer plaintext) {
        int needed = plaintext.remaining() + CipherState.TAG_BYTES;
        if (sealed.capacity() < needed) {
            sealed = ByteBuffer.allocate(Math.max(needed, sealed.capacity() * 2));
        }
        sealed.clear();
        sender.encrypt(null, plaintext, sealed);
        if (sender.nonce() % rekeyInterval == 0) {
            sender.rekey();
        }
        return sealed.flip();
    }
}
