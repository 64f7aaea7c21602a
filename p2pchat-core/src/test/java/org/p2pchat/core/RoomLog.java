package org.p2pchat.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.RoomMessageId;

/**
 * A listener that keeps what one peer hears of rooms, and checks as it goes what rooms promise:
 * no message twice (by {@link RoomMessage#id()}), and each origin's messages in order. Room
 * messages in these tests read {@code "<origin> <n>"}, n counting from 0 per origin. Membership
 * events are kept in order with the time they came ({@link System#nanoTime()}). Thread-safe;
 * the peer calls it one call at a time.
 */
final class RoomLog implements MessageListener {
    /** A membership event: {@code "joined"}, {@code "left"} or {@code "failed"}, of a member. */
    record Event(String kind, String room, String member, long atNanos) {
        @Override
        public String toString() {
            return kind + " " + room + " " + member;
        }
    }

    final String owner;
    private final List<RoomMessage> messages = new ArrayList<>();
    private final Set<RoomMessageId> ids = new HashSet<>();
    private final Map<String, Integer> nextFrom = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> directs = new ArrayList<>();

    RoomLog(String owner) {
        this.owner = owner;
    }

    @Override
    public synchronized void onMessage(ChatMessage message) {
        directs.add(message.from() + ": " + message.text());
    }

    @Override
    public synchronized void onRoomMessage(RoomMessage m) {
        messages.add(m);
        if (!ids.add(m.id())) {
            violations.add(owner + " got " + m.id() + " (\"" + m.text() + "\") twice");
            return;
        }
        if (m.from().equals(owner)) {
            violations.add(owner + " got its own message back: " + m.text());
        }
        String[] parts = m.text().split(" ", 2);
        if (parts.length != 2 || !parts[0].equals(m.from())) {
            violations.add(owner + " got \"" + m.text() + "\" from " + m.from());
            return;
        }
        int n = Integer.parseInt(parts[1]);
        int expected = nextFrom.getOrDefault(m.from(), 0);
        if (n != expected) {
            violations.add(owner + " got \"" + m.text() + "\" when " + m.from() + " " + expected
                    + " was due");
        }
        nextFrom.put(m.from(), Math.max(expected, n + 1));
    }

    @Override
    public synchronized void onMemberJoined(String room, RoomMember member) {
        events.add(new Event("joined", room, member.name(), System.nanoTime()));
    }

    @Override
    public synchronized void onMemberLeft(String room, RoomMember member) {
        events.add(new Event("left", room, member.name(), System.nanoTime()));
    }

    @Override
    public synchronized void onMemberFailed(String room, RoomMember member) {
        events.add(new Event("failed", room, member.name(), System.nanoTime()));
    }

    /** How many distinct room messages arrived. */
    synchronized int distinct() {
        return ids.size();
    }

    /** How many room messages arrived, copies included. */
    synchronized int received() {
        return messages.size();
    }

    /** How many messages of an origin arrived in order, from its first on. */
    synchronized int inOrderFrom(String origin) {
        return nextFrom.getOrDefault(origin, 0);
    }

    /** The texts of an origin's messages, in the order they came. */
    synchronized List<String> textsFrom(String origin) {
        List<String> out = new ArrayList<>();
        for (RoomMessage m : messages) {
            if (m.from().equals(origin)) {
                out.add(m.text());
            }
        }
        return out;
    }

    /** Every room message that arrived, copies included, in order. */
    synchronized List<RoomMessage> messages() {
        return List.copyOf(messages);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Whether an event came, as {@code "left general b"}. */
    synchronized boolean heard(String event) {
        for (Event e : events) {
            if (e.toString().equals(event)) {
                return true;
            }
        }
        return false;
    }

    /** The direct messages that came, as {@code "<from>: <text>"}. */
    synchronized List<String> directs() {
        return List.copyOf(directs);
    }

    /** The events about one member, in order. */
    synchronized List<Event> eventsOf(String member) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            if (e.member().equals(member)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first event of this kind about a member that came at or after a time, or null. */
    synchronized Event first(String kind, String member, long sinceNanos) {
        for (Event e : events) {
            if (e.kind().equals(kind) && e.member().equals(member) && e.atNanos() - sinceNanos >= 0) {
                return e;
            }
        }
        return null;
    }
}
