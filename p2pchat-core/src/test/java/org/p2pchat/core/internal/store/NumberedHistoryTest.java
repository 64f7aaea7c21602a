package org.p2pchat.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.PeerKey;
import org.p2pchat.spi.StoreWrite;
import org.p2pchat.core.internal.runtime.EpochNanos;

/**
 * Records kept by series and number read exactly as if they had been written whole: the same
 * records, order, pages, search results, replacements, state changes and forgetting, whatever
 * mix of the two kinds of write.
 */
class NumberedHistoryTest {
    private static final PeerKey ME = key(0);
    private static final PeerKey[] FRIENDS = {key(1), key(2), key(3)};
    private static final long BASE = EpochNanos.of(Instant.parse("2026-12-02T10:00:00Z"));

    private static PeerKey key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        return PeerKey.of(b);
    }

    /** The two stores: one given numbered records, one given the same records whole. */
    private final MemoryStore numbered;
    private final MemoryStore whole;
    private final List<Known> known = new ArrayList<>();

    /** A numbered record written, to change or write again later. */
    private record Known(NumberedSeries series, long number, long time) {
    }

    NumberedHistoryTest() {
        // Small bounds, so that records and conversations are forgotten all along.
        numbered = new MemoryStore(20, 3, Long.MAX_VALUE);
        whole = new MemoryStore(20, 3, Long.MAX_VALUE);
    }

    private static NumberedSeries sentTo(int friend, String name) {
        return new NumberedSeries("d:me/1/s", Conversation.direct(FRIENDS[friend], name), true,
                "me", ME);
    }

    private static NumberedSeries receivedFrom(int friend, int epoch, String name) {
        return new NumberedSeries("d:" + FRIENDS[friend] + "/" + epoch + "/",
                Conversation.direct(FRIENDS[friend], name), false, name, FRIENDS[friend]);
    }

    private static HistoryRecord asWritten(NumberedSeries s, long number, String text, long time,
            DeliveryState state) {
        Instant at = EpochNanos.instant(time);
        return new HistoryRecord(s.id(number), s.conversation(), s.outgoing(), s.sender(),
                s.senderKey(), text, at, s.outgoing() ? null : at, state);
    }

    private void sent(NumberedSeries s, long number, String text, long time) {
        assertTrue(numbered.sent(s, number, text, time));
        whole.write(new StoreWrite().history(asWritten(s, number, text, time,
                DeliveryState.PENDING)));
        known.add(new Known(s, number, time));
    }

    private void received(NumberedSeries s, long[] numbers, String[] texts, long firstAt) {
        NumberedHistory.Texts given = new NumberedHistory.Texts() {
            @Override
            public long number(int i) {
                return numbers[i];
            }

            @Override
            public String text(int i) {
                return texts[i];
            }
        };
        int from = numbers.length > 1 ? 1 : 0;
        assertTrue(numbered.received(s, given, from, numbers.length, firstAt));
        StoreWrite w = new StoreWrite();
        for (int i = from; i < numbers.length; i++) {
            w.history(asWritten(s, numbers[i], texts[i], firstAt + i, DeliveryState.RECEIVED));
            known.add(new Known(s, numbers[i], firstAt + i));
        }
        whole.write(w);
    }

    private void state(Known k, DeliveryState state) {
        numbered.state(k.series(), k.number(), k.time(), state);
        whole.write(new StoreWrite().state(k.series().id(k.number()), state));
    }

    /** A write given to both stores as it is: records whole, state changes by id. */
    private void both(StoreWrite a, StoreWrite b) {
        numbered.write(a);
        whole.write(b);
    }

    private void assertSame(String when) {
        assertEquals(whole.conversations(100), numbered.conversations(100), when);
        for (Conversation c : whole.conversations(100)) {
            assertEquals(whole.history(c, HistoryQuery.latest(1_000)),
                    numbered.history(c, HistoryQuery.latest(1_000)), when + ", " + c);
            List<HistoryRecord> all = whole.history(c, HistoryQuery.latest(1_000));
            if (all.size() > 2) {
                HistoryRecord middle = all.get(all.size() / 2);
                assertEquals(whole.history(c, HistoryQuery.before(middle, 3)),
                        numbered.history(c, HistoryQuery.before(middle, 3)), when + ", a page");
            }
        }
        assertEquals(whole.search("text", 1_000), numbered.search("text", 1_000), when);
        assertEquals(whole.search("7", 1_000), numbered.search("7", 1_000), when);
    }

    @Test
    void aRandomMixOfWritesReadsTheSameAsTheRecordsWrittenWhole() {
        for (int seed = 0; seed < 150; seed++) {
            new NumberedHistoryTest().run(new Random(seed), "seed " + seed);
        }
    }

    private void run(Random random, String name) {
        long sentNumber = 0;
        long[] receivedNumbers = new long[FRIENDS.length * 2];
        long time = BASE;
        for (int step = 0; step < 300; step++) {
            // Mostly rising, now and then the same nanosecond or a step back.
            int jitter = random.nextInt(10);
            time += jitter < 6 ? 1 + random.nextInt(1_000) : jitter < 8 ? 0 : -random.nextInt(50);
            int friend = random.nextInt(FRIENDS.length);
            String friendName = random.nextInt(8) == 0 ? "renamed" : "friend" + friend;
            String text = "text " + random.nextInt(100);
            int op = random.nextInt(100);
            if (op < 35) {
                // Now and then a number already used: it replaces.
                long n = random.nextInt(10) == 0 && sentNumber > 0
                        ? 1 + random.nextInt((int) sentNumber) : ++sentNumber;
                sent(sentTo(friend, friendName), n, text, time);
            } else if (op < 65) {
                int epoch = random.nextInt(2);
                int at = friend * 2 + epoch;
                int count = 1 + random.nextInt(5);
                long[] numbers = new long[count];
                String[] texts = new String[count];
                for (int i = 0; i < count; i++) {
                    numbers[i] = random.nextInt(10) == 0 && receivedNumbers[at] > 0
                            ? 1 + random.nextInt((int) receivedNumbers[at]) : ++receivedNumbers[at];
                    texts[i] = text + "." + i;
                }
                received(receivedFrom(friend, epoch, friendName), numbers, texts, time);
                time += count;
            } else if (op < 80 && !known.isEmpty()) {
                Known k = known.get(random.nextInt(known.size()));
                state(k, random.nextBoolean() ? DeliveryState.DELIVERED : DeliveryState.FAILED);
            } else if (op < 87 && !known.isEmpty()) {
                // By id, as a write names it.
                Known k = known.get(random.nextInt(known.size()));
                both(new StoreWrite().state(k.series().id(k.number()), DeliveryState.FAILED),
                        new StoreWrite().state(k.series().id(k.number()), DeliveryState.FAILED));
            } else if (op < 94) {
                // A record written whole with a numbered id, known or not yet: replaces, or is
                // replaced later.
                NumberedSeries s = random.nextBoolean() ? sentTo(friend, friendName)
                        : receivedFrom(friend, random.nextInt(2), friendName);
                long n = 1 + random.nextInt(40);
                HistoryRecord r = asWritten(s, n, text + " whole", time, DeliveryState.RECEIVED);
                both(new StoreWrite().history(r), new StoreWrite().history(r));
            } else {
                HistoryRecord r = new HistoryRecord("r:room/1/" + random.nextInt(30),
                        Conversation.room("room", "Room"), false, "zed", FRIENDS[friend], text,
                        EpochNanos.instant(time), EpochNanos.instant(time),
                        DeliveryState.RECEIVED);
                both(new StoreWrite().history(r), new StoreWrite().history(r));
            }
            assertSame(name + ", step " + step);
        }
    }

    @Test
    void aNumberedRecordCostsItsTextAndItsSlotsAndGivesThemBackWhenForgotten() {
        MemoryStore store = new MemoryStore(2, 10, Long.MAX_VALUE);
        NumberedSeries s = sentTo(0, "bob");
        long series = MemoryStore.seriesCost(s.prefix());
        store.sent(s, 1, "hello", BASE);
        assertEquals(series + MemoryStore.numberedCost("hello"), store.historyBytes());
        store.sent(s, 2, "hi", BASE + 1);
        store.sent(s, 3, "hey", BASE + 2);
        assertEquals(series + MemoryStore.numberedCost("hi") + MemoryStore.numberedCost("hey"),
                store.historyBytes(), "the oldest went");
        store.sent(s, 3, "hey!", BASE + 3);
        assertEquals(series + MemoryStore.numberedCost("hi") + MemoryStore.numberedCost("hey!"),
                store.historyBytes(), "a record of the same id replaced it");
    }

    @Test
    void aSeriesPerMessageCountsAgainstTheByteBoundAndIsGivenBackWhenItsRecordsGo() {
        // A stranger's process number is its own choice: one new series for every message.
        long bound = 64 << 10;
        MemoryStore store = new MemoryStore(100_000, 10, bound);
        int sent = 5_000;
        for (int i = 0; i < sent; i++) {
            NumberedSeries s = receivedFrom(0, 1_000_000 + i, "mallory");
            store.received(s, new OneText(1, "x"), 0, 1, BASE + i);
            assertTrue(store.historyBytes() <= bound, "within the bound after " + i);
        }
        NumberedSeries last = receivedFrom(0, 1_000_000 + sent - 1, "mallory");
        long each = MemoryStore.seriesCost(last.prefix()) + MemoryStore.numberedCost("x");
        List<HistoryRecord> kept = store.history(last.conversation(), HistoryQuery.latest(10_000));
        assertEquals(bound / each, kept.size(), "as many as the bound pays for, the newest");
        assertEquals(last.id(1), kept.get(0).messageId());
        assertEquals(kept.size() * each, store.historyBytes());
    }

    /** One received text, numbered. */
    private record OneText(long number, String text) implements NumberedHistory.Texts {
        @Override
        public long number(int i) {
            return number;
        }

        @Override
        public String text(int i) {
            return text;
        }
    }

    @Test
    void statesChangedTogetherReadAsTheSameChangedOneByOne() {
        MemoryStore together = new MemoryStore(8, 10, Long.MAX_VALUE);
        MemoryStore oneByOne = new MemoryStore(8, 10, Long.MAX_VALUE);
        NumberedSeries s = sentTo(0, "bob");
        for (long n = 1; n <= 12; n++) {
            together.sent(s, n, "m" + n, BASE + n);
            oneByOne.sent(s, n, "m" + n, BASE + n);
        }
        // 2 and 3 are forgotten already (8 kept), 20 was never sent.
        long[] numbers = {2, 3, 5, 6, 7, 9, 20};
        together.states(s, new NumberedHistory.Settled() {
            @Override
            public int size() {
                return numbers.length;
            }

            @Override
            public long number(int i) {
                return numbers[i];
            }

            @Override
            public long sentAt(int i) {
                return BASE + numbers[i];
            }
        }, DeliveryState.DELIVERED);
        for (long n : numbers) {
            oneByOne.state(s, n, BASE + n, DeliveryState.DELIVERED);
        }
        List<HistoryRecord> read = together.history(s.conversation(), HistoryQuery.latest(100));
        assertEquals(oneByOne.history(s.conversation(), HistoryQuery.latest(100)), read);
        assertEquals(4, read.stream().filter(r -> r.state() == DeliveryState.DELIVERED).count());
    }

    @Test
    void aClosedStoreKeepsNoNumberedRecord() {
        MemoryStore store = new MemoryStore();
        store.close();
        assertFalse(store.sent(sentTo(0, "bob"), 1, "hello", BASE));
        assertEquals(0, store.historyBytes());
    }
}
