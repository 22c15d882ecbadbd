package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.Psp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Each order event once, with one timer per store and day rather than one per order. */
class OrderEventsOnceHarnessTest {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final Duration HORIZON = Duration.ofDays(35);
    static final Instant T0 = Instant.parse("2026-03-16T10:00:00Z");

    static Activity captured(String store, String order, Instant at) {
        return Activity.of(
                OrderEvent.newBuilder()
                        .setEventId("shopify:" + order + ":CAPTURED")
                        .setOrderId(order)
                        .setStoreId(store)
                        .setChannel(Channel.SHOPIFY)
                        .setKind(OrderKind.CAPTURED)
                        .setOccurredAt(at)
                        .setAmountMinor(4_990)
                        .setCurrency("EUR")
                        .setPsp(Psp.STRIPE)
                        .build());
    }

    @Test
    void aRedeliveryIsDroppedAndADayIsForgottenAfterTheHorizon() throws Exception {
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OrderEventsOnce(HORIZON, Long.MAX_VALUE)),
                        OrderEventsOnce::key,
                        Types.STRING)) {
            h.open();
            for (int i = 0; i < 50; i++) {
                Activity e = captured("store-1", "o-" + i, T0.plusSeconds(60L * i));
                h.processElement(e, e.occurredAt);
            }
            Activity again = captured("store-1", "o-7", T0.plusSeconds(420));
            h.processElement(again, again.occurredAt);
            Activity other = captured("store-2", "o-7", T0.plusSeconds(420));
            h.processElement(other, other.occurredAt);
            assertEquals(51, h.extractOutputValues().size(), "50 orders, the redelivery dropped");
            assertEquals(2, h.numEventTimeTimers(), "one per store-day, not one per order");
            h.processWatermark(T0.toEpochMilli() + HORIZON.toMillis() + DAY + 1);
            assertEquals(0, h.numKeyedStateEntries(), "forgotten after the horizon");
            h.processElement(again, again.occurredAt);
            assertEquals(52, h.extractOutputValues().size(), "beyond the horizon it counts again");
        }
    }

    @Test
    void theKeyIsTheStoreAndTheUtcDay() {
        Activity e = captured("store-1", "o-1", Instant.parse("2026-03-16T23:59:59Z"));
        Activity f = captured("store-1", "o-2", Instant.parse("2026-03-17T00:00:00Z"));
        assertEquals(
                List.of("store-1|20528", "store-1|20529"),
                List.of(OrderEventsOnce.key(e), OrderEventsOnce.key(f)));
    }
}
