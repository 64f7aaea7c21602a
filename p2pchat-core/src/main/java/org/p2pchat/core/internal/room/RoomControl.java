package org.p2pchat.core.internal.room;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomJoinException;
import org.p2pchat.core.internal.session.Ed25519;

/**
 * The membership messages of rooms (PROTOCOL.md, "Room membership"), carried as DATA messages of
 * the kind ROOM_CONTROL: the join exchange between a joiner and the member it asks, records
 * announced to every member, and the digests members exchange so that views converge. The first
 * byte is the message's type. Stateless; decoding checks every length against what remains and
 * every record's signature.
 *
 * <pre>
 * ASK      1 | room name (1 + n)
 * OFFER    2 | room id (16) | access (1) | room name (1 + n)
 * JOIN     3 | the joiner's member record [ | count (2) | count x position ]
 * WELCOME  4 | room id (16) | access (1) | secret (1 + 0 or 32) | count (2)
 *              | count x (origin's Ed25519 key (32) | incarnation (8) | next number (8))
 * REFUSED  5 | room name (1 + n) | reason (1) | text (1 + n)
 * ANNOUNCE 6 | a member record
 * DIGEST   7 | room id (16) | count (2) | count x (Ed25519 key (32) | incarnation (8) | state (1))
 * POSITIONS 8 | room id (16) | count (2) | count x position
 * </pre>
 *
 * <p>A position is origin's Ed25519 key (32) | incarnation (8) | next number (8), as in WELCOME.
 * A JOIN's positions (where a member that rejoins stopped before, from its store) are optional:
 * a JOIN that ends after its record carries none.
 */
final class RoomControl {
    static final byte ASK = 1;
    static final byte OFFER = 2;
    static final byte JOIN = 3;
    static final byte WELCOME = 4;
    static final byte REFUSED = 5;
    static final byte ANNOUNCE = 6;
    static final byte DIGEST = 7;
    static final byte POSITIONS = 8;
    /** The most positions a message carries: the members and former members a view holds. */
    static final int MAX_POSITIONS = RoomView.MAX_MEMBERS + RoomView.MAX_FORMER;

    private static final int POSITION_BYTES = 32 + 8 + 8;
    private static final int DIGEST_ENTRY_BYTES = 32 + 8 + 1;

    private RoomControl() {
    }

    /** A decoded membership message. */
    sealed interface Message permits Ask, Offer, Join, Welcome, Refused, Announce, Digest,
            Positions {
    }

    record Ask(String room) implements Message {
    }

    record Offer(RoomId id, RoomAccess access, String room) implements Message {
    }

    /**
     * A JOIN.
     *
     * @param record the joiner's record
     * @param positions where the joiner stopped in the room before, or null if the JOIN carries
     *     none (a first join)
     */
    record Join(MemberRecord record, List<RoomSequencer.Position> positions) implements Message {
    }

    record Welcome(RoomId id, RoomAccess access, byte[] secret,
            List<RoomSequencer.Position> positions) implements Message {
    }

    record Refused(String room, RoomJoinException.Reason reason, String text) implements Message {
    }

    record Announce(MemberRecord record) implements Message {
    }

    /** One line of a digest: which record of a member the sender holds. */
    record DigestEntry(byte[] signingKey, long incarnation, boolean joined) {
    }

    record Digest(RoomId id, List<DigestEntry> entries) implements Message {
    }

    /** Where the sender stands in each origin's numbering. */
    record Positions(RoomId id, List<RoomSequencer.Position> positions) implements Message {
    }

    static byte[] ask(String room) {
        ByteBuffer b = ByteBuffer.allocate(1 + RoomFields.shortTextBytes(room));
        b.put(ASK);
        RoomFields.putShortText(b, room);
        return b.array();
    }

    static byte[] offer(RoomId id, RoomAccess access, String room) {
        ByteBuffer b = ByteBuffer.allocate(1 + RoomId.BYTES + 1 + RoomFields.shortTextBytes(room));
        b.put(OFFER);
        id.write(b);
        b.put((byte) access.ordinal());
        RoomFields.putShortText(b, room);
        return b.array();
    }

    static byte[] join(MemberRecord record) {
        return withRecord(JOIN, record);
    }

    /** A JOIN that carries where the joiner stopped before; at most {@link #MAX_POSITIONS}. */
    static byte[] join(MemberRecord record, List<RoomSequencer.Position> stopped) {
        checkCount(stopped);
        ByteBuffer b = ByteBuffer.allocate(1 + record.encodedBytes() + 2
                + stopped.size() * POSITION_BYTES);
        b.put(JOIN);
        record.write(b);
        putPositions(b, stopped);
        return b.array();
    }

    static byte[] positions(RoomId id, List<RoomSequencer.Position> positions) {
        checkCount(positions);
        ByteBuffer b = ByteBuffer.allocate(1 + RoomId.BYTES + 2 + positions.size() * POSITION_BYTES);
        b.put(POSITIONS);
        id.write(b);
        putPositions(b, positions);
        return b.array();
    }

    private static void checkCount(List<RoomSequencer.Position> positions) {
        if (positions.size() > MAX_POSITIONS) {
            throw new IllegalArgumentException(positions.size() + " positions; at most "
                    + MAX_POSITIONS);
        }
    }

    private static void putPositions(ByteBuffer b, List<RoomSequencer.Position> positions) {
        b.putShort((short) positions.size());
        for (RoomSequencer.Position p : positions) {
            b.put(p.signingKey()).putLong(p.incarnation()).putLong(p.next());
        }
    }

    static byte[] announce(MemberRecord record) {
        return withRecord(ANNOUNCE, record);
    }

    private static byte[] withRecord(byte type, MemberRecord record) {
        ByteBuffer b = ByteBuffer.allocate(1 + record.encodedBytes());
        b.put(type);
        record.write(b);
        return b.array();
    }

    static byte[] welcome(RoomId id, RoomAccess access, byte[] secret,
            List<RoomSequencer.Position> positions) {
        ByteBuffer b = ByteBuffer.allocate(1 + RoomId.BYTES + 1 + 1 + secret.length + 2
                + positions.size() * POSITION_BYTES);
        b.put(WELCOME);
        id.write(b);
        b.put((byte) access.ordinal()).put((byte) secret.length).put(secret);
        putPositions(b, positions);
        return b.array();
    }

    static byte[] refused(String room, RoomJoinException.Reason reason, String text) {
        String t = fit(text, 255);
        ByteBuffer b = ByteBuffer.allocate(1 + RoomFields.shortTextBytes(room) + 1
                + RoomFields.shortTextBytes(t));
        b.put(REFUSED);
        RoomFields.putShortText(b, room);
        b.put((byte) reason.ordinal());
        RoomFields.putShortText(b, t);
        return b.array();
    }

    /** The longest start of a text whose UTF-8 takes at most {@code maxBytes}, whole characters. */
    static String fit(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return text.substring(0, end);
    }

    static byte[] digest(RoomId id, List<MemberRecord> records) {
        ByteBuffer b = ByteBuffer.allocate(1 + RoomId.BYTES + 2 + records.size() * DIGEST_ENTRY_BYTES);
        b.put(DIGEST);
        id.write(b);
        b.putShort((short) records.size());
        for (MemberRecord r : records) {
            b.put(r.signingKey()).putLong(r.incarnation())
                    .put(r.joined() ? MemberRecord.JOINED : MemberRecord.LEFT);
        }
        return b.array();
    }

    /**
     * Decodes a membership message; records in it are verified.
     *
     * @param body the message, type byte first
     * @return the message
     * @throws ProtocolException if it is malformed or a record's signature does not hold
     */
    static Message read(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        RoomFields.need(in, 1, "type");
        byte type = in.get();
        Message m = switch (type) {
            case ASK -> new Ask(RoomFields.shortText(in, "room name"));
            case OFFER -> {
                RoomId id = RoomId.read(in);
                RoomAccess access = access(in);
                yield new Offer(id, access, RoomFields.shortText(in, "room name"));
            }
            case JOIN -> new Join(MemberRecord.read(in),
                    in.hasRemaining() ? readPositions(in, "JOIN") : null);
            case WELCOME -> readWelcome(in);
            case REFUSED -> {
                String room = RoomFields.shortText(in, "room name");
                RoomFields.need(in, 1, "reason");
                int r = in.get() & 0xff;
                RoomJoinException.Reason[] reasons = RoomJoinException.Reason.values();
                RoomJoinException.Reason reason = r < reasons.length ? reasons[r]
                        : RoomJoinException.Reason.PROTOCOL;
                yield new Refused(room, reason, RoomFields.shortText(in, "reason text"));
            }
            case ANNOUNCE -> new Announce(MemberRecord.read(in));
            case DIGEST -> readDigest(in);
            case POSITIONS -> new Positions(RoomId.read(in), readPositions(in, "POSITIONS"));
            default -> throw new ProtocolException("room control message of type " + type);
        };
        RoomFields.expectEnd(in, "room control message");
        return m;
    }

    private static RoomAccess access(ByteBuffer in) {
        RoomFields.need(in, 1, "access");
        int a = in.get() & 0xff;
        if (a >= RoomAccess.values().length) {
            throw new ProtocolException("room access " + a);
        }
        return RoomAccess.values()[a];
    }

    private static Welcome readWelcome(ByteBuffer in) {
        RoomId id = RoomId.read(in);
        RoomAccess access = access(in);
        RoomFields.need(in, 1, "secret length");
        int secretBytes = in.get() & 0xff;
        if (secretBytes != 0 && secretBytes != Admission.SECRET_BYTES) {
            throw new ProtocolException("WELCOME with a secret of " + secretBytes + " bytes");
        }
        byte[] secret = RoomFields.bytes(in, secretBytes, "secret");
        return new Welcome(id, access, secret, readPositions(in, "WELCOME"));
    }

    /** A count, then that many positions: checked before anything is allocated for them. */
    private static List<RoomSequencer.Position> readPositions(ByteBuffer in, String what) {
        RoomFields.need(in, 2, "count");
        int count = in.getShort() & 0xffff;
        if (count > MAX_POSITIONS) {
            throw new ProtocolException(what + " with " + count + " positions; a view holds at most "
                    + MAX_POSITIONS + " members and former members");
        }
        RoomFields.need(in, count * POSITION_BYTES, "positions");
        List<RoomSequencer.Position> positions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = RoomFields.bytes(in, Ed25519.PUBLIC_KEY_BYTES, "origin");
            long incarnation = in.getLong();
            long next = in.getLong();
            org.p2pchat.api.PeerKey origin = Ed25519.peerKeyOf(key);
            if (origin == null || next < 1 || next > RoomPost.MAX_SEQ) {
                throw new ProtocolException(what + " with an invalid position");
            }
            positions.add(new RoomSequencer.Position(origin, key, incarnation, next));
        }
        return positions;
    }

    private static Digest readDigest(ByteBuffer in) {
        RoomId id = RoomId.read(in);
        RoomFields.need(in, 2, "count");
        int count = in.getShort() & 0xffff;
        RoomFields.need(in, count * DIGEST_ENTRY_BYTES, "digest entries");
        List<DigestEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = RoomFields.bytes(in, Ed25519.PUBLIC_KEY_BYTES, "member key");
            long incarnation = in.getLong();
            byte state = in.get();
            if (state != MemberRecord.JOINED && state != MemberRecord.LEFT) {
                throw new ProtocolException("DIGEST entry with state " + state);
            }
            entries.add(new DigestEntry(key, incarnation, state == MemberRecord.JOINED));
        }
        return new Digest(id, entries);
    }
}
