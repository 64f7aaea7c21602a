package org.p2pchat.core.internal.files;

import java.util.concurrent.TimeUnit;
import org.p2pchat.api.FileTransfer;

/**
 * Reports a transfer's progress to the listener, on its serial executor, coalesced: at most one
 * call every {@value #INTERVAL_MILLIS} ms, and always the last one (every byte done), once. A
 * transfer moves a chunk at a time, far too often for a person to watch every step.
 *
 * <p>Called on the file thread only.
 */
final class Progress {
    static final long INTERVAL_MILLIS = 100;
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);

    private final FileNet net;
    private final FileTransfer transfer;
    private long last = Long.MIN_VALUE;
    private long reported = -1;

    Progress(FileNet net, FileTransfer transfer) {
        this.net = net;
        this.transfer = transfer;
    }

    void report(Object lane, long done) {
        long size = transfer.size();
        if (done == reported) {
            return;
        }
        long now = net.nanoTime();
        if (done < size && last != Long.MIN_VALUE && now - last < INTERVAL) {
            return;
        }
        last = now;
        reported = done;
        net.execute(lane, () -> net.listener().onFileProgress(transfer, done, size));
    }
}
