package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The order check's timers and state lifetime: every timer is written at each checkpoint, so an
 * order holds one at a time, and nothing outlives the horizon of its last sighting.
 */
class OrderCheckFunctionHarnessTest {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final Duration HORIZON = Duration.ofDays(35);
    // A Monday, so the payout deadline counts plain business days.
    static final long T0 = Instant.parse("2026-03-16T10:00:00Z").toEpochMilli();

    static KeyedBroadcastOperatorTestHarness<String, OrderInput, MatchingBroadcast, LineBreak>
            harness() throws Exception {
        return harness(Long.MAX_VALUE);
    }

    static KeyedBroadcastOperatorTestHarness<String, OrderInput, MatchingBroadcast, LineBreak>
            harness(long endOfTime) throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new OrderCheckFunction(
                                        List.of(MatchingRules.defaults()), HORIZON, endOfTime),
                                List.of(BankMatchingFunction.RULES)),
                        OrderInput::orderId,
                        Types.STRING,
                        1,
                        1,
                        0);
        h.open();
        return h;
    }

    static OrderInput order(String kind, String order, long at) {
        OrderFacts f = new OrderFacts();
        f.eventId = "shopify:" + order + ":" + kind + ":" + at;
        f.orderId = order;
        f.kind = kind;
        f.amountMinor = 4_990;
        f.currency = "EUR";
        f.psp = "STRIPE";
        f.storeId = "store-1";
        f.occurredAt = at;
        return OrderInput.of(f);
    }

    static OrderInput charge(String order, long payoutAt) {
        SettlementLine l = new SettlementLine();
        l.payoutId = "po-1";
        l.payoutEventId = "stripe:po-1:PAID";
        l.payoutAt = payoutAt;
        l.accountKey = "STRIPE/EUR";
        l.sourceId = "ch-" + order;
        l.type = "CHARGE";
        l.orderId = order;
        l.amountMinor = 4_990;
        l.currency = "EUR";
        return OrderInput.of(l);
    }

    /** Orders with state: the keys of the order check's one value state. */
    static long orders(
            KeyedBroadcastOperatorTestHarness<String, OrderInput, MatchingBroadcast, LineBreak> h) {
        var op = (AbstractStreamOperator<?>) h.getTwoInputOperator();
        try (var keys =
                op.getKeyedStateBackend().<VoidNamespace>getKeys("order", VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** What the order check told the PSP ledger about orders: overdue, then paid out. */
    static List<String> alerts(
            KeyedBroadcastOperatorTestHarness<String, OrderInput, MatchingBroadcast, LineBreak> h) {
        return notices(h).stream()
                .filter(n -> n.kind.name().startsWith("ORDER_"))
                .map(n -> n.kind.name())
                .toList();
    }

    static List<PspInput> notices(
            KeyedBroadcastOperatorTestHarness<String, OrderInput, MatchingBroadcast, LineBreak> h) {
        var out = h.getSideOutput(OrderCheckFunction.PSP);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    static OrderInput orderRef(String order, long payoutAt) {
        OrderInput in = charge(order, payoutAt);
        in.line.type = SettlementLine.ORDER_REF;
        in.line.sourceId = "po-1:" + order;
        in.line.amountMinor = 0;
        return in;
    }

    @Test
    void aPayoutNamingTheOrderWithoutLinesPaysItOutUncheckedAndResolvesItsOverdueNotice()
            throws Exception {
        try (var h = harness()) {
            h.processElement(order("CAPTURED", "o-5", T0), T0);
            h.watermark(T0 + 15 * DAY);
            assertEquals(List.of("ORDER_OVERDUE"), alerts(h), "past schedule and grace");
            h.processElement(orderRef("o-5", T0 + 16 * DAY), T0 + 16 * DAY);
            assertEquals(List.of("ORDER_OVERDUE", "ORDER_PAID_OUT"), alerts(h));
            assertEquals(List.of(), h.extractOutputValues(), "no amount, no line break");
            PspInput captured = notices(h).get(0);
            assertEquals(PspInput.Kind.CAPTURED, captured.kind);
            assertEquals(4_990, captured.amountMinor, "the capture moves the PSP balance");
            assertEquals("STRIPE/store-1/EUR", captured.scope());
        }
    }

    @Test
    void aCapturedOrderHoldsOnlyItsDeadlineTimerAndIsForgottenOncePaidOut() throws Exception {
        try (var h = harness()) {
            h.processElement(order("CREATED", "o-1", T0), T0);
            assertEquals(1, h.numEventTimeTimers(), "a cleanup timer while not captured");
            h.processElement(order("CAPTURED", "o-1", T0 + 60_000), T0 + 60_000);
            assertEquals(1, h.numEventTimeTimers(), "the deadline replaces the cleanup timer");
            h.processElement(charge("o-1", T0 + 2 * DAY), T0 + 2 * DAY);
            h.watermark(T0 + 20 * DAY);
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(0, orders(h), "paid out and checked: forgotten");
            assertEquals(List.of(), alerts(h));
        }
    }

    @Test
    void anOrderNeverCapturedIsForgottenAtTheHorizonOfItsLastSighting() throws Exception {
        try (var h = harness()) {
            h.processElement(order("CREATED", "o-2", T0), T0);
            h.processElement(order("CANCELLED", "o-2", T0 + 10 * DAY), T0 + 10 * DAY);
            assertEquals(1, h.numEventTimeTimers(), "the cleanup timer moved, not added");
            h.watermark(T0 + 36 * DAY);
            assertEquals(1, orders(h), "seen on day 10: kept");
            h.watermark(T0 + 46 * DAY);
            assertEquals(0, orders(h));
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void anOrderSeenAfterItsMissingPayoutAlertIsStillForgotten() throws Exception {
        try (var h = harness()) {
            h.processElement(order("CAPTURED", "o-3", T0), T0);
            h.watermark(T0 + 15 * DAY);
            assertEquals(
                    List.of("ORDER_OVERDUE"), alerts(h), "no payout within schedule and grace");
            // A refund weeks later moves the last sighting past the cleanup first set.
            long late = T0 + 30 * DAY;
            h.processElement(order("REFUNDED", "o-3", late), late);
            h.watermark(T0 + 60 * DAY);
            assertEquals(1, orders(h), "within the horizon of the refund");
            assertEquals(1, h.numEventTimeTimers(), "and a cleanup timer still set for it");
            h.watermark(late + HORIZON.toMillis() + 2 * DAY);
            assertEquals(0, orders(h));
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void pastTheEndOfABoundedInputTimersDoNothing() throws Exception {
        try (var h = harness(T0 + 3 * DAY)) {
            h.processElement(order("CAPTURED", "o-4", T0), T0);
            h.processElement(charge("o-4", T0 + 2 * DAY), T0 + 2 * DAY);
            h.watermark(Long.MAX_VALUE);
            assertEquals(1, orders(h), "the deadline after the end neither clears nor alerts");
            assertEquals(List.of(), alerts(h));
        }
    }
}
