package org.p2pchat.core.internal.delivery;

import java.util.function.Supplier;

/** {@link Inflow.Delivery}s for tests: text handed to a lambda, copies recorded at once. */
final class TestDeliveries {
    /** What a test does with each new text message. */
    @FunctionalInterface
    interface Text {
        void deliver(String text, long firstEpoch, long firstSeq, long seq, long units);
    }

    private TestDeliveries() {
    }

    /**
     * A delivery that hands text to {@code text} and records a copy at once, as the in-memory
     * store does.
     *
     * @param inflow the inflow it delivers for (asked when a copy arrives)
     * @param text what to do with each new text message
     * @return the delivery
     */
    static Inflow.Delivery of(Supplier<Inflow> inflow, Text text) {
        return new Inflow.Delivery() {
            @Override
            public void deliver(ArrivedTexts texts) {
                for (int i = 0; i < texts.size(); i++) {
                    text.deliver(texts.text(i), texts.firstEpoch(i), texts.firstSeq(i),
                            texts.seq(i), texts.units(i));
                }
            }

            @Override
            public void alreadyDelivered(long seq) {
                Inflow i = inflow.get();
                i.recorded(i.currentEpoch(), seq);
            }
        };
    }
}
