package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.ProtocolException;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomJoinException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of one peer: creating and joining them, and handing each room frame from a member to
 * its room. A join goes ASK, OFFER, JOIN, WELCOME (PROTOCOL.md, "Joining a room"); the member
 * then sends the joiner every record it holds, and the joiner introduces itself to each member
 * it learns of. The joiner's side of the exchange is {@link RoomJoiner}'s, the member's side
 * {@link RoomAdmitter}'s.
 *
 * <p>Thread-safe. Frames arrive through {@link #received} on the event loop and are handled in the
 * sender's lane, so one sender's frames keep their order whatever their kind; application
 * threads create, join and list rooms. This object's lock guards the rooms by name and id and the
 * joins under way; the methods marked "lock held" must be called with it taken.
 */
public final class Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);

    private final RoomNet net;
    private final RandomGenerator random;
    private final ForgeryLog forgeries;
    private final Map<String, ChatRoom> byName = new HashMap<>();
    private final Map<RoomId, ChatRoom> byId = new HashMap<>();
    private final RoomJoiner joiner;
    private boolean closed;

    /**
     * Creates the rooms of a peer.
     *
     * @param net what rooms need of the node
     * @param random draws room ids and secrets
     * @param forgeries where frames that fail their checks are reported
     */
    public Rooms(RoomNet net, RandomGenerator random, ForgeryLog forgeries) {
        this.net = net;
        this.random = random;
        this.forgeries = forgeries;
        this.joiner = new RoomJoiner(net, this);
    }

    /** Reports a frame that failed a check: logged (throttled), and delivered to no one. */
    public interface ForgeryLog {
        /**
         * Logs one dropped frame.
         *
         * @param room the room's name
         * @param from the member that sent it
         * @param why what failed
         */
        void forged(String room, PeerKey from, String why);
    }

    // ---- the application's calls ----

    /**
     * Creates a room with this peer as its only member.
     *
     * @throws IllegalArgumentException if the name is invalid or taken by a room of this peer
     */
    public Room create(String name, RoomAccess access) {
        PeerEntry.validateName(name);
        byte[] secret = null;
        if (access == RoomAccess.INVITE_ONLY) {
            secret = new byte[Admission.SECRET_BYTES];
            for (int i = 0; i < secret.length; i++) {
                secret[i] = (byte) random.nextInt();
            }
        }
        ChatRoom room;
        synchronized (this) {
            checkOpen();
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException("already a member of a room named '" + name + "'");
            }
            room = new ChatRoom(net, this, RoomId.random(random), name, access, secret,
                    incarnation());
            register(room);
        }
        room.start();
        LOG.info("{}: created #{} ({})", net.selfName(), name, access);
        return room;
    }

    /** Joins an open room through the member at an address. */
    public CompletionStage<Room> join(String room, PeerAddress member) {
        PeerEntry.validateName(room);
        return joiner.start(new PendingJoin(room, member, null, null), null);
    }

    /** Joins the room an invite names, through the member it names. */
    public CompletionStage<Room> join(String inviteText) {
        Invite invite = Invite.parse(inviteText);
        return joiner.start(new PendingJoin(invite.room(), invite.member(), invite.id(),
                invite.secret()), invite.memberKey());
    }

    /** The rooms this peer is in, by name. */
    public synchronized List<Room> rooms() {
        List<Room> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(Room::name));
        return List.copyOf(out);
    }

    /** The room of a name this peer is in. */
    public synchronized Optional<Room> room(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** A member of some room of this peer, found by its name there. */
    public record Found(String room, PeerKey key, String name, PeerAddress address) {
    }

    /** Every member of this peer's rooms that goes by a name (there may be several keys). */
    public List<Found> membersNamed(String name) {
        List<Found> out = new ArrayList<>();
        for (ChatRoom r : snapshot()) {
            MemberRecord m = r.memberNamed(name);
            if (m != null) {
                out.add(new Found(r.name(), m.key(), name, m.address()));
            }
        }
        return out;
    }

    /** Where a member of any of this peer's rooms listens, or null. */
    public Found member(PeerKey key) {
        for (ChatRoom r : snapshot()) {
            MemberRecord m = r.memberRecord(key);
            if (m != null && !key.equals(net.selfKey())) {
                return new Found(r.name(), key, m.name(), m.address());
            }
        }
        return null;
    }

    /** The names of the rooms a peer shares with this one. */
    public List<String> roomsOf(PeerKey key) {
        List<String> out = new ArrayList<>();
        for (ChatRoom r : snapshot()) {
            if (r.memberRecord(key) != null) {
                out.add(r.name());
            }
        }
        return out;
    }

    /** Whether a key is a member of a room of this peer, or a member this peer is joining through. */
    public boolean isMember(PeerKey key) {
        synchronized (this) {
            if (joiner.joiningThrough(key)) {
                return true;
            }
        }
        return member(key) != null;
    }

    private synchronized List<ChatRoom> snapshot() {
        return new ArrayList<>(byName.values());
    }

    // ---- frames from members ----

    /**
     * Takes a room frame from the peer with key {@code from}; handled in that sender's lane.
     *
     * @param from the sender's key, proven by its connection
     * @param kind {@link RoomNet#KIND_POST} or {@link RoomNet#KIND_CONTROL}
     * @param body the message, owned by rooms from now on
     * @param done run once the frame is handled, to give its bytes back to the sender's window
     */
    public void received(PeerKey from, byte kind, byte[] body, Runnable done) {
        net.execute(from, () -> {
            try {
                handle(from, kind, body);
            } catch (ProtocolException e) {
                forgeries.forged("?", from, e.getMessage());
            } finally {
                done.run();
            }
        });
    }

    private void handle(PeerKey from, byte kind, byte[] body) {
        if (kind == RoomNet.KIND_POST) {
            RoomPost post = RoomPost.read(body);
            ChatRoom room = byId(post.room());
            if (room != null) {
                room.onPost(from, post);
            }
            return;
        }
        RoomControl.Message m = RoomControl.read(body);
        if (m instanceof RoomControl.Ask ask) {
            answerAsk(from, ask);
        } else if (m instanceof RoomControl.Offer offer) {
            joiner.onOffer(from, offer);
        } else if (m instanceof RoomControl.Join join) {
            onJoin(from, join);
        } else if (m instanceof RoomControl.Welcome welcome) {
            joiner.onWelcome(from, welcome);
        } else if (m instanceof RoomControl.Refused refused) {
            joiner.onRefused(from, refused);
        } else if (m instanceof RoomControl.Announce a) {
            ChatRoom room = byId(a.record().room());
            if (room != null) {
                room.onRecord(from, a.record());
            }
        } else if (m instanceof RoomControl.Digest d) {
            ChatRoom room = byId(d.id());
            if (room != null) {
                room.onDigest(from, d);
            }
        } else if (m instanceof RoomControl.Positions p) {
            ChatRoom room = byId(p.id());
            if (room != null) {
                room.onPositions(from, p);
            }
        }
    }

    private void answerAsk(PeerKey from, RoomControl.Ask ask) {
        ChatRoom room;
        synchronized (this) {
            room = byName.get(ask.room());
        }
        byte[] answer = room == null
                ? RoomControl.refused(ask.room(), Reason.NO_SUCH_ROOM, net.selfName()
                        + " is not in a room named '" + ask.room() + "'")
                : RoomControl.offer(room.id(), room.access(), room.name());
        reply(from, answer);
    }

    private void onJoin(PeerKey from, RoomControl.Join join) {
        MemberRecord record = join.record();
        ChatRoom room = byId(record.room());
        byte[] refusal = room == null
                ? RoomControl.refused("?", Reason.NO_SUCH_ROOM, net.selfName()
                        + " is not in that room any more")
                : room.admit(from, join);
        if (refusal != null) {
            reply(from, refusal);
        } else {
            LOG.info("{}: admitted {} ({}) to #{}", net.selfName(), record.name(),
                    from.fingerprint(), room.name());
        }
    }

    /** Sends a membership message to a peer that may be no member yet: a joiner, or a member. */
    void reply(PeerKey to, byte[] body) {
        Found where = member(to);
        PeerAddress address;
        synchronized (this) {
            address = joiner.addressOf(to, where != null ? where.address() : null);
        }
        net.send(to, "?", address, RoomNet.KIND_CONTROL, body);
    }

    // ---- bookkeeping ----

    private synchronized ChatRoom byId(RoomId id) {
        return byId.get(id);
    }

    /** Lock held: whether this peer is in a room of this name. */
    boolean hasRoomNamed(String name) {
        return byName.containsKey(name);
    }

    /** Lock held: whether the node is closing, so that no room may be entered. */
    boolean isClosed() {
        return closed;
    }

    /** Lock held. */
    void register(ChatRoom room) {
        byName.put(room.name(), room);
        byId.put(room.id(), room);
    }

    synchronized void removed(ChatRoom room) {
        byName.remove(room.name(), room);
        byId.remove(room.id(), room);
    }

    void forged(String room, PeerKey from, String why) {
        forgeries.forged(room, from, why);
    }

    /** A new incarnation: this peer's clock in milliseconds, always above the last one drawn. */
    private long lastIncarnation;

    synchronized long incarnation() {
        lastIncarnation = Math.max(lastIncarnation + 1, net.currentTimeMillis());
        return lastIncarnation;
    }

    /**
     * The node is closing: every room announces this peer's leave (so members report a leave,
     * not a failure), and the timers stop; the announcements go out during the close linger.
     *
     * @return completes when the members were told, or could not be
     */
    public CompletionStage<Void> close() {
        List<ChatRoom> all;
        List<PendingJoin> joins;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(byName.values());
            joins = joiner.abandonAll();
        }
        for (PendingJoin j : joins) {
            j.done.completeExceptionally(new org.p2pchat.api.PeerClosedException(net.selfName()
                    + " closed before the join completed"));
        }
        List<CompletableFuture<Void>> told = new ArrayList<>();
        for (ChatRoom r : all) {
            told.add(r.leave().toCompletableFuture());
        }
        return CompletableFuture.allOf(told.toArray(new CompletableFuture<?>[0]));
    }

    /** For tests: the size of a room's de-duplication state, or -1 if not a member. */
    public int sequencerStateSize(String room) {
        ChatRoom r;
        synchronized (this) {
            r = byName.get(room);
        }
        return r == null ? -1 : r.sequencerStateSize();
    }

    private void checkOpen() {
        if (closed) {
            throw new org.p2pchat.api.PeerClosedException(net.selfName() + " is closing");
        }
    }
}
