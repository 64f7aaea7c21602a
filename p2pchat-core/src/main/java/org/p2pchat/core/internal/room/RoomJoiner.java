package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomJoinException;
import org.p2pchat.api.RoomJoinException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joiner's side of a join (PROTOCOL.md, "Joining a room", Joiner J): it reaches the member,
 * sends ASK, checks the OFFER and answers with a JOIN, checks the WELCOME and becomes a member,
 * or ends the join on a REFUSED, a failed check or the timeout, completing its future once.
 *
 * <p>The joins under way are guarded by {@link Rooms}' lock, so that a room name is never both
 * joined and joining. Application threads start joins; answers come in the member's lane, the
 * timeout on the timer. Futures complete, and frames go out, with the lock released.
 */
final class RoomJoiner {
    private static final Logger LOG = LoggerFactory.getLogger(RoomJoiner.class);

    private final RoomNet net;
    private final Rooms rooms;
    /** Guarded by {@link Rooms}' lock. */
    private final List<PendingJoin> pending = new ArrayList<>();

    RoomJoiner(RoomNet net, Rooms rooms) {
        this.net = net;
        this.rooms = rooms;
    }

    /** Starts a join; {@code expectedKey} is the key an invite names, or null. */
    CompletionStage<Room> start(PendingJoin join, PeerKey expectedKey) {
        synchronized (rooms) {
            if (rooms.isClosed()) {
                return CompletableFuture.failedFuture(new org.p2pchat.api.PeerClosedException(
                        net.selfName() + " is closing"));
            }
            if (rooms.hasRoomNamed(join.room) || pendingFor(join.room) != null) {
                return CompletableFuture.failedFuture(new RoomJoinException(Reason.ALREADY_MEMBER,
                        net.selfName() + " is already in, or joining, a room named '" + join.room
                        + "'"));
            }
            pending.add(join);
        }
        long timeout = net.deliveryTimeout().toNanos();
        var expiry = net.timer().schedule(() -> fail(join, new RoomJoinException(
                Reason.UNREACHABLE, "no answer from the member at " + join.address + " about #"
                + join.room + " within " + net.deliveryTimeout() + " (p2pchat.deliveryTimeout)")),
                timeout, TimeUnit.NANOSECONDS);
        join.done.whenComplete((r, e) -> expiry.cancel(false));
        net.reach(join.address).whenComplete((key, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException
                        && error.getCause() != null ? error.getCause() : error;
                fail(join, new RoomJoinException(Reason.UNREACHABLE, "cannot reach the member at "
                        + join.address + " to join #" + join.room + ": " + cause.getMessage(),
                        cause));
                return;
            }
            if (expectedKey != null && !expectedKey.equals(key)) {
                fail(join, new RoomJoinException(Reason.PROTOCOL, "the peer at " + join.address
                        + " proved key " + key.fingerprint() + ", not the key "
                        + expectedKey.fingerprint() + " the invite names; not joining through it"));
                return;
            }
            synchronized (rooms) {
                join.member = key;
            }
            net.send(key, "?", join.address, RoomNet.KIND_CONTROL, RoomControl.ask(join.room))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            fail(join, new RoomJoinException(Reason.UNREACHABLE, "asking the"
                                    + " member at " + join.address + " about #" + join.room
                                    + " failed: " + e.getMessage(), e));
                        }
                    });
        });
        return join.done;
    }

    private void fail(PendingJoin join, RoomJoinException e) {
        synchronized (rooms) {
            pending.remove(join);
        }
        join.done.completeExceptionally(e);
    }

    void onOffer(PeerKey from, RoomControl.Offer offer) {
        PendingJoin join;
        synchronized (rooms) {
            join = pendingFrom(from, offer.room());
            if (join == null || join.record != null) {
                return;
            }
            if (join.expectedId != null && !join.expectedId.equals(offer.id())) {
                join = null;
            }
        }
        if (join == null) {
            PendingJoin j = pendingFrom(from, offer.room());
            if (j != null) {
                fail(j, new RoomJoinException(Reason.PROTOCOL, "the member offers another room"
                        + " named #" + offer.room() + " than the invite names"));
            }
            return;
        }
        if (offer.access() == RoomAccess.INVITE_ONLY && join.secret == null) {
            fail(join, new RoomJoinException(Reason.INVITE_REQUIRED, "#" + offer.room()
                    + " is invite-only: ask a member for its invite (/invite " + offer.room()
                    + ") and join with that"));
            return;
        }
        byte[] admission = join.secret == null ? new byte[0]
                : Admission.prove(join.secret, offer.id(), net.signer().publicKey());
        MemberRecord record = MemberRecord.sign(offer.id(), net.signer(), rooms.incarnation(),
                MemberRecord.JOINED, net.selfName(), net.selfAddress(), admission);
        // A room this peer was in before (its store says where it stopped): the JOIN says so,
        // and the member sends what this peer missed meanwhile.
        List<RoomSequencer.Position> stopped = StoredPositions.read(net.store(), offer.id(),
                net.selfName());
        synchronized (rooms) {
            join.record = record;
            join.id = offer.id();
            join.access = offer.access();
            join.stopped = stopped;
        }
        rooms.reply(from, stopped.isEmpty() ? RoomControl.join(record)
                : RoomControl.join(record, stopped));
    }

    void onWelcome(PeerKey from, RoomControl.Welcome welcome) {
        PendingJoin join;
        ChatRoom room;
        synchronized (rooms) {
            join = null;
            for (PendingJoin j : pending) {
                if (from.equals(j.member) && welcome.id().equals(j.id)) {
                    join = j;
                }
            }
            if (join == null) {
                return;
            }
            pending.remove(join);
            byte[] secret = welcome.secret().length == 0 ? null : welcome.secret();
            if (welcome.access() != join.access) {
                join.done.completeExceptionally(new RoomJoinException(Reason.PROTOCOL,
                        "the member's WELCOME names another access than its OFFER"));
                return;
            }
            if (welcome.access() == RoomAccess.INVITE_ONLY
                    && (secret == null || join.secret == null
                    || !java.security.MessageDigest.isEqual(secret, join.secret))) {
                join.done.completeExceptionally(new RoomJoinException(Reason.PROTOCOL,
                        "the member's WELCOME does not carry the room's secret"));
                return;
            }
            if (rooms.hasRoomNamed(join.room) || rooms.isClosed()) {
                join.done.completeExceptionally(new RoomJoinException(Reason.ALREADY_MEMBER,
                        net.selfName() + " is already in a room named '" + join.room + "'"));
                return;
            }
            room = new ChatRoom(net, rooms, join.id, join.room, welcome.access(), secret,
                    join.record.incarnation());
            room.startAt(welcome.positions(), join.stopped);
            rooms.register(room);
        }
        room.start();
        LOG.info("{}: joined #{} through {}", net.selfName(), join.room, join.address);
        // Complete once the admitter's record (the first ANNOUNCE after the WELCOME) is held, so
        // that what the application publishes at once has a member to go to; if it never comes
        // within the join's timeout, the join fails and the room is left.
        ChatRoom joined = room;
        PendingJoin j = join;
        j.done.whenComplete((r, e) -> {
            if (e != null) {
                joined.leave();
            }
        });
        joined.whenMemberKnown(j.member, () -> j.done.complete(joined));
    }

    void onRefused(PeerKey from, RoomControl.Refused refused) {
        PendingJoin join = pendingFrom(from, refused.room());
        if (join == null) {
            synchronized (rooms) {
                for (PendingJoin j : pending) {
                    if (from.equals(j.member) && "?".equals(refused.room())) {
                        join = j;
                    }
                }
            }
        }
        if (join != null) {
            fail(join, new RoomJoinException(refused.reason(), "joining #" + join.room
                    + " through " + join.address + " was refused: " + refused.text()));
        }
    }

    /** Lock held: whether a join goes through the member with this key. */
    boolean joiningThrough(PeerKey key) {
        for (PendingJoin j : pending) {
            if (key.equals(j.member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lock held: the address a join reached the member with this key at (the latest join's),
     * or {@code otherwise}.
     */
    PeerAddress addressOf(PeerKey key, PeerAddress otherwise) {
        PeerAddress address = otherwise;
        for (PendingJoin j : pending) {
            if (key.equals(j.member)) {
                address = j.address;
            }
        }
        return address;
    }

    /** Lock held: forgets every join under way and returns them, for the caller to fail. */
    List<PendingJoin> abandonAll() {
        List<PendingJoin> joins = new ArrayList<>(pending);
        pending.clear();
        return joins;
    }

    /** Lock held. */
    private PendingJoin pendingFor(String room) {
        for (PendingJoin j : pending) {
            if (j.room.equals(room)) {
                return j;
            }
        }
        return null;
    }

    /** Takes the lock. */
    private PendingJoin pendingFrom(PeerKey from, String room) {
        synchronized (rooms) {
            for (PendingJoin j : pending) {
                if (from.equals(j.member) && j.room.equals(room)) {
                    return j;
                }
            }
            return null;
        }
    }
}
