package org.p2pchat.core.internal.files;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.FileTransferException.Reason;
import org.p2pchat.api.ProtocolException;

/**
 * Files' decoders on arbitrary bytes: a control message, a CREDIT or a CHUNK header may be refused
 * only with a {@link ProtocolException}, and what they accept is within the protocol's bounds. The
 * {@code @FuzzTest} runs its (empty) input in {@code mvn verify} and fuzzes with
 * {@code JAZZER_FUZZ=1}; the {@code @Test} feeds it a seeded batch of mutated genuine ones.
 */
class FileFramesFuzzTest {
    private static final int BATCH = 20_000;

    @FuzzTest
    void decodersOnlyThrowProtocolException(byte[] bytes) {
        try {
            FileFrames.Control c = FileFrames.readControl(bytes);
            assertTrue(c.id() != null && c.type() >= FileFrames.OFFER && c.type() <= FileFrames.FAIL,
                    c.toString());
            if (c.offer() != null) {
                assertTrue(c.offer().size() >= 0 && c.offer().size() < FileFrames.MAX_SIZE
                        && c.offer().sha256().length == FileFrames.DIGEST_BYTES, c.toString());
            }
            assertTrue(c.offset() >= 0 && c.offset() < FileFrames.MAX_SIZE, c.toString());
        } catch (ProtocolException refused) {
            // fine
        }
        try {
            FileFrames.Credit credit = FileFrames.readCredit(ByteBuffer.wrap(bytes));
            assertTrue(0 <= credit.next() && credit.next() <= credit.limit()
                    && credit.limit() < FileFrames.MAX_SIZE, credit.toString());
        } catch (ProtocolException refused) {
            // fine
        }
        try {
            ByteBuffer chunk = ByteBuffer.wrap(bytes);
            FileFrames.readChunkId(chunk);
            long offset = FileFrames.readChunkOffset(chunk);
            assertTrue(offset >= 0 && offset < FileFrames.MAX_SIZE && chunk.hasRemaining(),
                    "offset " + offset);
        } catch (ProtocolException refused) {
            // fine
        }
    }

    @Test
    void decodersOnMutatedGenuineMessagesAndFrames() {
        SplittableRandom random = new SplittableRandom(0xF11E5);
        for (int n = 0; n < BATCH; n++) {
            byte[] genuine = genuine(random);
            decodersOnlyThrowProtocolException(genuine);
            decodersOnlyThrowProtocolException(mutate(genuine, random));
        }
    }

    private static byte[] genuine(SplittableRandom random) {
        TransferId id = TransferId.of(bytes(random, TransferId.BYTES));
        long big = random.nextLong(FileFrames.MAX_SIZE);
        return switch (random.nextInt(6)) {
            case 0 -> FileFrames.offer(id, big, bytes(random, 32), "f" + random.nextInt(1000));
            case 1 -> FileFrames.accept(id, big);
            case 2 -> FileFrames.refuse(id, Reason.values()[random.nextInt(10)], "why");
            case 3 -> FileFrames.done(id);
            case 4 -> {
                ByteBuffer b = FileFrames.credit(id, big / 2, big);
                b.get();
                byte[] out = new byte[b.remaining()];
                b.get(out);
                yield out;
            }
            default -> {
                ByteBuffer b = ByteBuffer.allocate(FileFrames.CHUNK_HEADER + 8);
                FileFrames.putChunkHeader(b, id, big);
                b.put(bytes(random, 8)).flip().get();
                byte[] out = new byte[b.remaining()];
                b.get(out);
                yield out;
            }
        };
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Flips, truncates, extends or overwrites a few bytes. */
    private static byte[] mutate(byte[] genuine, SplittableRandom random) {
        byte[] b = genuine.clone();
        switch (random.nextInt(4)) {
            case 0 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 1 -> b = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
            default -> {
                for (int i = 0, n = 1 + random.nextInt(3); i < n && b.length > 0; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return b;
    }
}
