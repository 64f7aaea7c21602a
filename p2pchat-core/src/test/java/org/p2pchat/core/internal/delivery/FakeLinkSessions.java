package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.p2pchat.api.ConnectionClosedException;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.core.internal.session.Identity;
import org.p2pchat.core.internal.session.SecureChannel;
import org.p2pchat.spi.Connection;

/**
 * {@link LinkSession}s for unit tests, on real {@link SecureChannel}s over connections that only
 * record what is written to them: what this peer writes on a session can be opened by the
 * friend's end of the handshake and decoded.
 */
public final class FakeLinkSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FakeLinkSessions() {
    }

    /** A connection that keeps a copy of every frame written to it, or fails writes on demand. */
    public static final class RecordingConnection implements Connection {
        private final long id;
        private final List<byte[]> frames = new ArrayList<>();
        private volatile boolean open = true;
        private volatile P2pChatException writeFailure;
        private volatile ConnectionClosedException abortReason;
        private volatile boolean discarding;

        public RecordingConnection(long id) {
            this.id = id;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public PeerAddress remoteAddress() {
            return PeerAddress.loopback(7002);
        }

        @Override
        public PeerAddress localAddress() {
            return PeerAddress.loopback(7001);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void write(ByteBuffer frame) {
            if (writeFailure != null) {
                throw writeFailure;
            }
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            if (!discarding) {
                frames.add(copy);
            }
        }

        @Override
        public CompletionStage<Void> send(ByteBuffer frame) {
            write(frame);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void maxInboundFrameBytes(int bytes) {
            // not enforced here
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public void abort(ConnectionClosedException reason) {
            abortReason = reason;
            open = false;
        }

        /** Makes later writes succeed without keeping anything, for long fuzz runs. */
        void discardFrames() {
            discarding = true;
        }

        /** Makes every later write throw {@code e}, as a transport does once it is closing. */
        public void failWrites(P2pChatException e) {
            writeFailure = e;
        }

        /** What {@link #abort} was last called with, or null. */
        public ConnectionClosedException abortReason() {
            return abortReason;
        }

        public synchronized int frameCount() {
            return frames.size();
        }

        public synchronized byte[] frame(int index) {
            return frames.get(index);
        }

        /** Removes and returns the only frame written so far (a handshake message). */
        public synchronized byte[] takeOnly() {
            assertEquals(1, frames.size(), "frames written");
            return frames.remove(0);
        }
    }

    /**
     * A session on which this peer ("bob") talks to its friend ("alice") after a genuine Noise
     * handshake; the frames bob writes can be read back as alice reads them.
     */
    public static final class Link {
        public final LinkSession session;
        public final RecordingConnection connection;
        private final SecureChannel friend;
        private int read;

        private Link(LinkSession session, RecordingConnection connection, SecureChannel friend) {
            this.session = session;
            this.connection = connection;
            this.friend = friend;
        }

        /**
         * Opens, as the friend does, every frame written on the session since the last call.
         *
         * @return their plaintexts, type byte first
         */
        public List<ByteBuffer> newFrames() {
            List<ByteBuffer> out = new ArrayList<>();
            for (; read < connection.frameCount(); read++) {
                ByteBuffer plain = friend.open(ByteBuffer.wrap(connection.frame(read)));
                ByteBuffer copy = ByteBuffer.allocate(plain.remaining());
                copy.put(plain).flip();
                out.add(copy);
            }
            return out;
        }

        /**
         * Decodes every frame written since the last call, each of which must be an ACK.
         *
         * @return {@code {acked, window}} for each, in the order written
         */
        List<long[]> newAcks() {
            List<long[]> acks = new ArrayList<>();
            for (ByteBuffer f : newFrames()) {
                assertEquals(MessageFrames.ACK, f.get(), "frame type");
                acks.add(MessageFrames.readAck(f));
            }
            return acks;
        }

        /** The one ACK written since the last call. */
        long[] onlyNewAck() {
            List<long[]> acks = newAcks();
            assertEquals(1, acks.size(), "ACKs written");
            return acks.get(0);
        }
    }

    /**
     * Opens a session after a genuine handshake.
     *
     * @param id the connection's id
     * @param remoteEpoch the epoch the friend announced
     * @return the session
     */
    public static Link open(long id, long remoteEpoch) {
        return open(id, remoteEpoch, false);
    }

    /**
     * An open session as {@link #open(long, long)} makes, with its simultaneous-open rank.
     *
     * @param id the connection id
     * @param remoteEpoch the epoch the friend announced
     * @param kept whether it is the one both sides keep of two opened each way
     * @return the session
     */
    static Link open(long id, long remoteEpoch, boolean kept) {
        RecordingConnection toBob = new RecordingConnection(-id);
        RecordingConnection toAlice = new RecordingConnection(id);
        SecureChannel alice = new SecureChannel(toBob, true, Identity.ephemeral(RANDOM), RANDOM,
                SecureChannel.DEFAULT_REKEY_INTERVAL);
        SecureChannel bob = new SecureChannel(toAlice, false, Identity.ephemeral(RANDOM), RANDOM,
                SecureChannel.DEFAULT_REKEY_INTERVAL);
        alice.writeHandshake(new byte[0]);
        bob.readHandshake(ByteBuffer.wrap(toBob.takeOnly()));
        bob.writeHandshake(new byte[0]);
        alice.readHandshake(ByteBuffer.wrap(toAlice.takeOnly()));
        alice.writeHandshake(new byte[0]);
        bob.readHandshake(ByteBuffer.wrap(toBob.takeOnly()));
        assertTrue(alice.isEstablished() && bob.isEstablished(), "handshake complete");
        return new Link(new LinkSession(bob, remoteEpoch, 1 << 20, 0, kept), toAlice, alice);
    }

    /**
     * An open session after a genuine handshake whose writes go nowhere: ACKs written on it count
     * as sent, and nothing piles up over a long run.
     *
     * @param remoteEpoch the epoch the friend announced
     * @return the session
     */
    static LinkSession discarding(long remoteEpoch) {
        Link link = open(1, remoteEpoch);
        link.connection.discardFrames();
        return link.session;
    }

    /**
     * A session whose connection is already closed, without a handshake: nothing can be written
     * on it, and nothing is tried, since writers check {@link LinkSession#isOpen} first.
     *
     * @param remoteEpoch the epoch the friend announced
     * @return the session
     */
    static LinkSession closed(long remoteEpoch) {
        RecordingConnection c = new RecordingConnection(0);
        c.close();
        SecureChannel channel = new SecureChannel(c, false, Identity.ephemeral(RANDOM), RANDOM,
                SecureChannel.DEFAULT_REKEY_INTERVAL);
        return new LinkSession(channel, remoteEpoch, 1 << 20, 0);
    }
}
