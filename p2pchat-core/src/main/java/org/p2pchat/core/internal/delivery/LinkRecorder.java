package org.p2pchat.core.internal.delivery;

import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.runtime.EpochNanos;

/**
 * What a {@link FriendLink} tells its {@link SendJournal} about its text messages: each one
 * queued once the link records (it is the one link of its peer's key), then delivered, failed
 * or renumbered. Room messages are never recorded.
 *
 * <p>Not thread-safe: every method is called with its link's lock held, so the journal hears of
 * each link's messages in the order things happen to them.
 */
final class LinkRecorder {
    private final SendJournal journal;
    private final java.time.Duration deliveryTimeout;
    private final WallClock wallClock = new WallClock(EpochNanos::now);
    private boolean recording;

    LinkRecorder(SendJournal journal, java.time.Duration deliveryTimeout) {
        this.journal = journal;
        this.deliveryTimeout = deliveryTimeout;
    }

    /**
     * A message was added to the outbox: a text message gets its record, and is recorded.
     *
     * @param tick the node's monotonic reading when it was added
     */
    void added(Outbox.Entry e, PeerKey key, String friend, String text, long tick) {
        if (e.kind == MessageFrames.KIND_TEXT) {
            // The system clock is slow to read on some machines, and this is per send.
            long now = wallClock.at(tick);
            e.tracked = journal.track(e.utf8, text, now, deliveryTimeout);
            e.tracked.queuedAt(now);
            e.tracked.numbered(e.seq);
            record(e, key, friend);
        }
    }

    /**
     * The link is the one of its key from now on: what waits in its outbox is recorded, and what
     * follows.
     */
    void start(Outbox outbox, PeerKey key, String friend) {
        if (recording || key == null) {
            return;
        }
        recording = true;
        outbox.forEach(e -> record(e, key, friend));
    }

    private void record(Outbox.Entry e, PeerKey key, String friend) {
        if (recording && e.tracked != null && !e.tracked.recorded()) {
            e.tracked.markRecorded();
            journal.queued(key, friend, e.tracked);
        }
    }

    /** Messages the friend acknowledged. */
    void delivered(List<Outbox.Entry> entries, PeerKey key) {
        List<TrackedText> done = recordedIn(entries);
        if (!done.isEmpty()) {
            journal.delivered(key, done);
        }
    }

    /** Messages given up on. */
    void failed(List<Outbox.Entry> entries, PeerKey key) {
        List<TrackedText> failed = recordedIn(entries);
        if (!failed.isEmpty()) {
            journal.failed(key, failed);
        }
    }

    /** Renumbers the outbox's waiting messages, and their outbox entries in the store. */
    void renumber(Outbox outbox, long first, PeerKey key) {
        List<TrackedText> moved = new ArrayList<>();
        long[] oldLast = {0};
        outbox.forEach(e -> {
            if (e.tracked != null && e.tracked.recorded() && !e.tracked.restored()) {
                oldLast[0] = Math.max(oldLast[0], e.tracked.seq());
                moved.add(e.tracked);
            }
        });
        outbox.renumberFrom(first);
        if (!moved.isEmpty()) {
            journal.renumbered(key, oldLast[0], moved);
        }
    }

    private static List<TrackedText> recordedIn(List<Outbox.Entry> entries) {
        List<TrackedText> out = null;
        for (Outbox.Entry e : entries) {
            if (e.tracked != null && e.tracked.recorded()) {
                if (out == null) {
                    out = new ArrayList<>(entries.size());
                }
                out.add(e.tracked);
            }
        }
        return out == null ? List.of() : out;
    }
}
