package org.p2pchat.core.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ProtocolException;

/**
 * The DATA and ACK decoders, and {@link Inflow} behind them, on arbitrary bytes: a frame may be
 * refused only with a {@link ProtocolException}, and no sequence of frames makes an inflow hand
 * the listener more than its window. The {@code @FuzzTest}s run their (empty) input in
 * {@code mvn verify} and fuzz with {@code JAZZER_FUZZ=1}; the {@code @Test}s feed the same
 * targets a fixed, seeded batch of mutated genuine frames, so the build checks them deeply too.
 */
class MessageFramesFuzzTest {
    private static final org.p2pchat.api.PeerKey PEER =
            org.p2pchat.api.PeerKey.of(new byte[32]);
    /** Small, so that arbitrary frames overrun it. */
    private static final long WINDOW = 256;
    /** A memory budget whose strangers' quarter holds only a few empty messages. */
    private static final long SMALL_BUDGET = 2_000;
    /** Operations per input, at most. */
    private static final int MAX_OPS = 64;
    /** Where the inflow's ACKs go: without them the friend has no window to send in. */
    private static final LinkSession SESSION = FakeLinkSessions.discarding(1);

    // ---- the targets ----

    @FuzzTest
    void decodersOnlyThrowProtocolException(byte[] frame) {
        ByteBuffer data = ByteBuffer.wrap(frame);
        try {
            MessageFrames.DataHeader h = MessageFrames.readDataHeader(data);
            assertTrue(h.firstSeq() >= 1 && h.floor() >= 1 && h.floor() <= h.firstSeq(),
                    h.toString());
            for (int i = 0; i < frame.length && data.hasRemaining(); i++) {
                int length = MessageFrames.readMessageLength(data);
                assertTrue(length >= 0 && length <= data.remaining(), "length " + length);
                data.position(data.position() + length);
            }
        } catch (ProtocolException refused) {
            // fine
        }
        try {
            long[] ack = MessageFrames.readAck(ByteBuffer.wrap(frame));
            assertTrue(ack[0] >= 0 && ack[1] >= 0, Arrays.toString(ack));
        } catch (ProtocolException refused) {
            // fine
        }
        try {
            long v = MessageFrames.getVarint(ByteBuffer.wrap(frame), "varint");
            assertTrue(v >= 0, "varint " + v);
        } catch (ProtocolException refused) {
            // fine
        }
    }

    /**
     * Plays a sequence of operations on one inflow. Each starts with a byte: {@code 0} a new
     * connection announcing epoch {@code next byte & 3}; {@code 1} the listener finishes the
     * oldest message it holds; {@code 2, 3} a DATA frame (after its type byte) of {@code next
     * byte} bytes, which may be refused only with a {@link ProtocolException}.
     */
    @FuzzTest
    void inflowNeverHandsTheListenerMoreThanItsWindow(byte[] input) {
        play(input, new MemoryBudget(1L << 30), false);
    }

    /**
     * The same operations, from a stranger, under a memory budget so small that arbitrary frames
     * overrun it: what the inflow holds never goes beyond the strangers' share, and is exactly
     * what the listener holds, counted by {@link MemoryBudget#cost}.
     */
    @FuzzTest
    void inflowNeverHoldsMoreThanTheStrangersShareOfTheMemoryBudget(byte[] input) {
        play(input, new MemoryBudget(SMALL_BUDGET), true);
    }

    /** What {@link #play} saw: messages delivered, frames refused, of which for the window. */
    private record Played(int delivered, int refused, int overruns) {
    }

    private static Played play(byte[] input) {
        return play(input, new MemoryBudget(1L << 30), false);
    }

    private static Played play(byte[] input, MemoryBudget budget, boolean stranger) {
        int[] delivered = {0};
        int refusals = 0;
        int overruns = 0;
        Inflow inflow = new Inflow("fuzz", WINDOW, budget, stranger, new ReceiveLedger(null, java.util.List.of()));
        inflow.acknowledge(SESSION);
        ArrayDeque<Long> held = new ArrayDeque<>();
        long[] heldUnits = {0};
        boolean[] refused = {false};
        Inflow.Delivery listener = TestDeliveries.of(() -> inflow, (text, firstEpoch, firstSeq, seq, units) -> {
            inflow.recorded(inflow.currentEpoch(), seq);
            assertTrue(units >= MessageFrames.MESSAGE_OVERHEAD, "units " + units);
            held.add(units);
            heldUnits[0] += units;
            delivered[0]++;
            assertTrue(heldUnits[0] <= WINDOW, "the listener holds " + heldUnits[0]
                    + " bytes, beyond the window of " + WINDOW);
        });
        int i = 0;
        for (int ops = 0; ops < MAX_OPS && i < input.length; ops++) {
            int op = input[i++] & 3;
            if (op == 0) {
                if (i < input.length) {
                    inflow.epoch(input[i++] & 3, PEER);
                }
            } else if (op == 1) {
                Long units = held.poll();
                if (units != null) {
                    heldUnits[0] -= units;
                    inflow.consumed(units);
                }
            } else {
                int length = i < input.length ? input[i++] & 0xFF : 0;
                int end = Math.min(input.length, i + length);
                ByteBuffer frame = ByteBuffer.wrap(Arrays.copyOfRange(input, i, end));
                i = end;
                try {
                    inflow.receive(frame, SESSION, listener);
                    inflow.acknowledge(SESSION);
                } catch (ProtocolException e) {
                    refused[0] = true;
                    refusals++;
                    overruns += e.getMessage().contains("window") ? 1 : 0;
                }
            }
            assertTrue(inflow.backlog() >= heldUnits[0], "backlog " + inflow.backlog()
                    + " below what the listener holds, " + heldUnits[0]);
            if (!refused[0]) {
                assertEquals(heldUnits[0], inflow.backlog(), "backlog");
                long heldCost = held.stream()
                        .mapToLong(u -> MemoryBudget.cost((int) (u - MessageFrames.MESSAGE_OVERHEAD)))
                        .sum();
                // Reserved in chunks: what is held, and at most three chunks beyond it.
                assertTrue(budget.used() >= heldCost && budget.used() <= heldCost
                        + 3 * Inflow.CREDIT_CHUNK, "the budget counts " + budget.used()
                        + " bytes for " + heldCost + " held");
            }
            assertTrue(budget.used() <= (stranger ? budget.limit() / 4 : budget.limit()),
                    "the inflow holds " + budget.used() + " bytes, beyond its share of "
                            + budget.limit());
        }
        return new Played(delivered[0], refusals, overruns);
    }

    // ---- a deterministic batch for the build ----

    private static final int BATCH = 3_000;

    @Test
    void decodersOnMutatedGenuineFrames() {
        SplittableRandom random = new SplittableRandom(0x5EED);
        for (int n = 0; n < BATCH; n++) {
            byte[] frame = random.nextBoolean() ? genuineData(random) : genuineAck(random);
            decodersOnlyThrowProtocolException(mutate(frame, random));
            decodersOnlyThrowProtocolException(frame);
        }
        for (int n = 0; n < BATCH; n++) {
            byte[] noise = new byte[random.nextInt(24)];
            random.nextBytes(noise);
            decodersOnlyThrowProtocolException(noise);
        }
    }

    @Test
    void inflowOnSequencesOfMutatedGenuineFrames() {
        SplittableRandom random = new SplittableRandom(0xF10);
        int delivered = 0;
        int refused = 0;
        int overruns = 0;
        for (int n = 0; n < BATCH; n++) {
            Played p = play(operations(random, n % 4 == 0));
            delivered += p.delivered();
            refused += p.refused();
            overruns += p.overruns();
        }
        // The batch reaches deep: messages are delivered, and frames refused for both reasons.
        assertTrue(delivered > BATCH, "delivered " + delivered);
        assertTrue(overruns > 0, "window overruns " + overruns);
        assertTrue(refused > overruns, "other refusals " + (refused - overruns));
    }

    @Test
    void inflowOfAStrangerUnderASmallBudgetOnSequencesOfGenuineFrames() {
        SplittableRandom random = new SplittableRandom(0xB0D6E7);
        int delivered = 0;
        for (int n = 0; n < BATCH; n++) {
            delivered += play(operations(random, n % 4 == 0), new MemoryBudget(SMALL_BUDGET), true)
                    .delivered();
        }
        assertTrue(delivered > BATCH / 2, "delivered " + delivered);
    }

    @Test
    void inflowOnTheEmptyInputAndOnNoise() {
        assertEquals(new Played(0, 0, 0), play(new byte[0]));
        SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < BATCH; n++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            play(noise);
        }
    }

    /** A stream of operations whose frames are mostly genuine, numbered near each other. */
    private static byte[] operations(SplittableRandom random, boolean mutated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long next = 1 + random.nextInt(3);
        int count = 1 + random.nextInt(MAX_OPS);
        for (int k = 0; k < count; k++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                out.write(0);
                out.write(random.nextInt(4));
            } else if (kind < 4) {
                out.write(1);
            } else {
                int messages = 1 + random.nextInt(3);
                long first = Math.max(1, next - random.nextInt(3) + (random.nextInt(8) == 0 ? 1 : 0));
                long floor = Math.max(1, first - random.nextInt(3));
                if (random.nextInt(8) == 0) {
                    floor = first; // the friend abandoned what was below
                }
                byte[] frame = dataBody(first, floor, messages, 120, random);
                if (mutated) {
                    frame = mutate(frame, random);
                }
                frame = Arrays.copyOf(frame, Math.min(frame.length, 255));
                out.write(2 + random.nextInt(2));
                out.write(frame.length);
                out.write(frame, 0, frame.length);
                next = Math.max(next, first + messages);
            }
        }
        return out.toByteArray();
    }

    private static byte[] genuineData(SplittableRandom random) {
        long first = random.nextInt(4) == 0 ? random.nextLong(1, Long.MAX_VALUE)
                : 1 + random.nextInt(1_000);
        long floor = first - random.nextLong(Math.min(first, 300));
        return dataBody(first, floor, 1 + random.nextInt(4), 200, random);
    }

    /** A DATA frame after its type byte. */
    private static byte[] dataBody(long first, long floor, int messages, int maxText,
            SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(MessageFrames.MAX_DATA_HEADER
                + messages * (MessageFrames.MAX_LENGTH_PREFIX + maxText));
        MessageFrames.putDataHeader(b, first, floor);
        for (int m = 0; m < messages; m++) {
            byte[] text = new byte[random.nextInt(maxText)];
            random.nextBytes(text);
            MessageFrames.putMessage(b, MessageFrames.KIND_TEXT, text);
        }
        b.flip().get();
        byte[] body = new byte[b.remaining()];
        b.get(body);
        return body;
    }

    private static byte[] genuineAck(SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(1 + 9 + 9);
        MessageFrames.putAck(b, random.nextLong(Long.MAX_VALUE), random.nextLong(Long.MAX_VALUE));
        b.flip().get();
        byte[] body = new byte[b.remaining()];
        b.get(body);
        return body;
    }

    /** Flips, truncates, extends or overwrites a few bytes. */
    private static byte[] mutate(byte[] frame, SplittableRandom random) {
        byte[] m = frame.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                if (m.length > 0) {
                    m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length + 1));
            case 2 -> {
                m = Arrays.copyOf(m, m.length + 1 + random.nextInt(4));
                m[m.length - 1] = (byte) random.nextInt(256);
            }
            default -> {
                for (int k = 0; k < 3 && m.length > 0; k++) {
                    m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return m;
    }
}
