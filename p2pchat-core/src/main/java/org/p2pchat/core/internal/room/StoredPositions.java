package org.p2pchat.core.internal.room;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.StoreException;
import org.p2pchat.spi.MessageStore;
import org.p2pchat.spi.RoomPosition;
import org.p2pchat.spi.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this peer stood in each origin's numbering of a room, as its store keeps it
 * ({@link MessageStore#roomPositions()}): written as the room starts an origin's numbering and
 * with each message delivered, read when the peer joins a room of that id again, so that the JOIN
 * can say where it stopped (PROTOCOL.md, "Catching up").
 *
 * <p>Stateless. Reading may wait for the disk: it runs in a member's lane, never on the event
 * loop; writing only queues.
 */
final class StoredPositions {
    private static final Logger LOG = LoggerFactory.getLogger(StoredPositions.class);
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    private StoredPositions() {
    }

    /**
     * Where this peer stopped in a room, at most {@link RoomControl#MAX_POSITIONS} origins; empty
     * if the store has nothing of it, or cannot be read (logged).
     */
    static List<RoomSequencer.Position> read(MessageStore store, RoomId room, String self) {
        String id = room.toString();
        List<RoomSequencer.Position> out = new ArrayList<>();
        try {
            for (RoomPosition p : store.roomPositions()) {
                if (p.roomId().equals(id) && out.size() < RoomControl.MAX_POSITIONS
                        && p.next() >= 1 && p.next() <= RoomPost.MAX_SEQ) {
                    byte[] key = signingKeyOf(p.origin());
                    if (key != null) {
                        out.add(new RoomSequencer.Position(p.origin(), key, p.incarnation(),
                                p.next()));
                    }
                }
            }
        } catch (StoreException e) {
            LOG.warn("{}: cannot read where this peer stopped in room {}; joining without"
                    + " catching up", self, id, e);
            return List.of();
        }
        return out;
    }

    /** Queues where this peer now stands in some origins' numbering. */
    static void write(MessageStore store, RoomId room, List<RoomSequencer.Position> positions) {
        if (positions.isEmpty()) {
            return;
        }
        StoreWrite w = new StoreWrite();
        for (RoomSequencer.Position p : positions) {
            w.roomPosition(of(room, p.origin(), p.incarnation(), p.next()));
        }
        store.write(w);
    }

    static RoomPosition of(RoomId room, PeerKey origin, long incarnation, long next) {
        return new RoomPosition(room.toString(), origin, incarnation, next);
    }

    /**
     * An Ed25519 key that maps to this X25519 key (the one of sign bit 0: the store keeps the
     * X25519 key only, and members match positions by the X25519 key, which ignores the sign
     * bit): {@code y = (u - 1) / (u + 1) mod 2^255 - 19}, little-endian. Null if no Ed25519 key
     * maps to it.
     */
    static byte[] signingKeyOf(PeerKey key) {
        byte[] le = key.bytes();
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        BigInteger u = new BigInteger(1, be);
        BigInteger denominator = u.add(BigInteger.ONE).mod(P);
        if (u.compareTo(P) >= 0 || denominator.signum() == 0) {
            return null;
        }
        BigInteger y = u.subtract(BigInteger.ONE).multiply(denominator.modInverse(P)).mod(P);
        byte[] ybe = y.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < ybe.length; i++) {
            out[i] = ybe[ybe.length - 1 - i];
        }
        return key.equals(org.p2pchat.core.internal.session.Ed25519.peerKeyOf(out)) ? out : null;
    }
}
