package org.p2pchat.examples;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMember;
import org.p2pchat.examples.console.Printable;

/**
 * Which members of each room the user has been told about, so that every membership change is
 * one line and nothing already known is announced again: {@code * carol joined #general},
 * {@code * carol left #general}, {@code * carol is unreachable (#general)} and, when a member
 * reported unreachable answers again, {@code * carol is reachable again (#general)}.
 *
 * <p>While this peer joins a room, the library reports the members it learns of as joined; those
 * are not news to the user, who is shown them on the line saying that the join succeeded
 * ({@link #entered}). <b>Threading:</b> thread-safe; the listener and the join's outcome both
 * report on the chat's output thread, the input thread marks joins.
 */
final class RoomPresence {
    /** Per room, the members announced, and whether each was last reported unreachable. */
    private final Map<String, Map<PeerKey, Boolean>> rooms = new HashMap<>();
    private final Set<String> joining = new HashSet<>();

    /** This peer starts joining a room: the members it learns of meanwhile are not announced. */
    synchronized void joining(String room) {
        joining.add(room);
        rooms.computeIfAbsent(room, r -> new HashMap<>());
    }

    /**
     * This peer is in a room (created or joined): its members so far are known to the user.
     *
     * @param room the room
     * @param members the members shown to the user
     */
    synchronized void entered(String room, List<RoomMember> members) {
        joining.remove(room);
        Map<PeerKey, Boolean> known = rooms.computeIfAbsent(room, r -> new HashMap<>());
        for (RoomMember m : members) {
            known.putIfAbsent(m.key(), false);
        }
    }

    /** This peer did not get into a room, or left it: forget what was announced. */
    synchronized void gone(String room) {
        joining.remove(room);
        rooms.remove(room);
    }

    /**
     * A member joined, or answers again.
     *
     * @return the line to print, or null if it is not news
     */
    synchronized String joined(String room, RoomMember member) {
        Map<PeerKey, Boolean> known = rooms.computeIfAbsent(room, r -> new HashMap<>());
        Boolean wasFailed = known.put(member.key(), false);
        if (joining.contains(room)) {
            return null;
        }
        if (wasFailed == null) {
            return "* " + Printable.of(member.name()) + " joined #" + Printable.of(room);
        }
        return wasFailed ? "* " + Printable.of(member.name()) + " is reachable again (#"
                + Printable.of(room) + ")" : null;
    }

    /** A member announced that it left; returns the line to print. */
    synchronized String left(String room, RoomMember member) {
        Map<PeerKey, Boolean> known = rooms.get(room);
        if (known != null) {
            known.remove(member.key());
        }
        return "* " + Printable.of(member.name()) + " left #" + Printable.of(room);
    }

    /** A member could not be reached for a while; returns the line to print. */
    synchronized String failed(String room, RoomMember member) {
        rooms.computeIfAbsent(room, r -> new HashMap<>()).put(member.key(), true);
        return "* " + Printable.of(member.name()) + " is unreachable (#" + Printable.of(room) + ")";
    }
}
