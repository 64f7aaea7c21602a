package org.p2pchat.core;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.p2pchat.testkit.Await;

/**
 * Waits that, when they time out, say which threads are blocked on a lock and where, so that a
 * deadlock shows as one (a wait that times out with two p2pchat threads each blocked on a lock
 * the other holds) rather than as a mere timeout.
 */
final class Stuck {
    private Stuck() {
    }

    /** As {@link Await#until(String, Duration, BooleanSupplier)}, naming blocked threads on failure. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Await.until(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + blockedThreads(), e);
        }
    }

    /** The threads blocked on a monitor now, each with the top of its stack; empty if none. */
    static String blockedThreads() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getState() != Thread.State.BLOCKED) {
                continue;
            }
            out.append("\n  blocked: \"").append(e.getKey().getName()).append('"');
            StackTraceElement[] stack = e.getValue();
            for (int i = 0; i < Math.min(stack.length, 10); i++) {
                out.append("\n      at ").append(stack[i]);
            }
        }
        return out.toString();
    }
}
