package org.p2pchat.core.internal.room;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.PeerKey;

/**
 * One member's view of a room's membership: the latest signed record of each member, and of
 * former members while their leave is remembered (so that an old join of theirs, replayed, does
 * not bring them back). Records merge by {@link MemberRecord#supersedes}, so every member that
 * has seen the same records holds the same view, in whatever order they came: that is what
 * makes views converge when records spread and digests are exchanged.
 *
 * <p>Bounded: at most {@link #MAX_MEMBERS} members (a record beyond is ignored) and
 * {@link #MAX_FORMER} former members (the leave heard first is forgotten first).
 *
 * <p>Names are unique: a joiner is refused a name that a member holds. Two joins of one name
 * through different members at the same moment can both be admitted; then the member with the
 * earlier incarnation (then the smaller key) keeps the name and the other is shown as
 * {@code name~abcd}, the start of its fingerprint, on every member alike.
 *
 * <p>Guarded by its room's lock.
 */
final class RoomView {
    static final int MAX_MEMBERS = 256;
    static final int MAX_FORMER = 1024;

    /** What applying a record did. */
    enum Change {
        /** Nothing: the record is not newer than the one held, or the view is full. */
        NONE,
        /** A new member (or a former one back with a new incarnation). */
        JOINED,
        /** A member joined again with a newer incarnation (it restarted) without a leave. */
        REJOINED,
        /** A member's record changed otherwise (its address, say). */
        UPDATED,
        /** A member announced it left. */
        LEFT,
        /** A leave of one who was not a member here: remembered, nothing to report. */
        TOMBSTONE
    }

    /** The result of {@link #apply}: what changed, and former members forgotten to make room. */
    record Applied(Change change, MemberRecord before, List<PeerKey> forgotten) {
    }

    private static final Comparator<MemberRecord> SENIORITY = Comparator
            .comparingLong(MemberRecord::incarnation)
            .thenComparing(r -> r.key().toString());

    private final Map<PeerKey, MemberRecord> members = new LinkedHashMap<>();
    private final Map<PeerKey, MemberRecord> former = new LinkedHashMap<>();

    /** Merges a verified record. */
    Applied apply(MemberRecord r) {
        MemberRecord held = members.get(r.key());
        if (held == null) {
            held = former.get(r.key());
        }
        if (held != null && !r.supersedes(held)) {
            return new Applied(Change.NONE, held, List.of());
        }
        List<PeerKey> forgotten = new ArrayList<>(0);
        if (r.joined()) {
            boolean wasMember = members.containsKey(r.key());
            if (!wasMember && members.size() >= MAX_MEMBERS) {
                return new Applied(Change.NONE, held, List.of());
            }
            former.remove(r.key());
            members.put(r.key(), r);
            Change c = !wasMember ? Change.JOINED
                    : held.incarnation() != r.incarnation() ? Change.REJOINED : Change.UPDATED;
            return new Applied(c, held, forgotten);
        }
        boolean wasMember = members.remove(r.key()) != null;
        former.remove(r.key());
        former.put(r.key(), r);
        Iterator<PeerKey> it = former.keySet().iterator();
        while (former.size() > MAX_FORMER && it.hasNext()) {
            forgotten.add(it.next());
            it.remove();
        }
        return new Applied(wasMember ? Change.LEFT : Change.TOMBSTONE, held, forgotten);
    }

    /** The record of a member, or null if it is not one now. */
    MemberRecord member(PeerKey key) {
        return members.get(key);
    }

    /** The latest record of a member or former member, or null. */
    MemberRecord record(PeerKey key) {
        MemberRecord r = members.get(key);
        return r != null ? r : former.get(key);
    }

    /** Every member's record, in the order they were first seen. */
    List<MemberRecord> members() {
        return new ArrayList<>(members.values());
    }

    /** Every record held, members' and former members', for a digest. */
    List<MemberRecord> records() {
        List<MemberRecord> all = new ArrayList<>(members.values());
        all.addAll(former.values());
        return all;
    }

    int size() {
        return members.size();
    }

    int formerSize() {
        return former.size();
    }

    /** The member that holds a name, or null. */
    MemberRecord holderOf(String name) {
        MemberRecord holder = null;
        for (MemberRecord r : members.values()) {
            if (r.name().equals(name) && (holder == null || SENIORITY.compare(r, holder) < 0)) {
                holder = r;
            }
        }
        return holder;
    }

    /** How a member is shown: its name, or {@code name~abcd} if another holds that name. */
    String label(MemberRecord r) {
        MemberRecord holder = holderOf(r.name());
        return holder == null || holder.key().equals(r.key()) ? r.name()
                : r.name() + "~" + r.key().fingerprint().substring(0, 4);
    }
}
