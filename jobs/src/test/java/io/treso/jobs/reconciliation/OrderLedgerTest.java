package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.treso.calendar.BusinessCalendar;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OrderLedgerTest {
    static final BusinessCalendar CAL = BusinessCalendar.target(ZoneOffset.UTC);
    static final long MON_NOON = Instant.parse("2026-03-16T12:00:00Z").toEpochMilli();

    static OrderFacts event(String kind, long amount) {
        OrderFacts f = new OrderFacts();
        f.eventId = "shop:o1:" + kind;
        f.orderId = "o1";
        f.kind = kind;
        f.amountMinor = amount;
        f.currency = "EUR";
        f.psp = "STRIPE";
        f.storeId = "store-1";
        f.occurredAt = MON_NOON;
        return f;
    }

    static SettlementLine line(String type, long amount) {
        SettlementLine l = new SettlementLine();
        l.payoutId = "po_1";
        l.payoutEventId = "stripe:po_1:PAID";
        l.sourceId = "txn_" + type;
        l.type = type;
        l.orderId = "o1";
        l.amountMinor = amount;
        l.currency = "EUR";
        l.payoutCurrency = "EUR";
        return l;
    }

    static OrderState captured(long amount) {
        OrderState s = new OrderState();
        OrderLedger.apply(s, event("PLACED", amount));
        OrderLedger.apply(s, event("CAPTURED", amount));
        return s;
    }

    @Test
    void aChargeLineCarriesTheCapturedAmount() {
        OrderState s = captured(10_000);
        assertNull(OrderLedger.check(s, line("CHARGE", 10_000), 1));
        assertNull(OrderLedger.check(s, line("CHARGE", 10_001), 1), "within the rounding");
        LineBreak b = OrderLedger.check(s, line("CHARGE", 9_000), 1);
        assertEquals(10_000, b.expectedMinor);
        assertEquals(9_000, b.actualMinor);
        assertEquals("txn_CHARGE", b.sourceId);
    }

    @Test
    void refundAndDisputeLinesCarryMinusWhatTheOrderEventsSay() {
        OrderState s = captured(10_000);
        OrderLedger.apply(s, event("REFUNDED", 4_000));
        assertNull(OrderLedger.check(s, line("REFUND", -4_000), 0));
        assertEquals(-4_000, OrderLedger.check(s, line("REFUND", -5_000), 0).expectedMinor);
        assertNull(OrderLedger.check(s, line("DISPUTE", -10_000), 0), "no chargeback seen");
        OrderLedger.apply(s, event("CHARGEBACK", 10_000));
        assertNull(OrderLedger.check(s, line("DISPUTE", -10_000), 0));
    }

    @Test
    void aDuplicateDeliveryCountsOnce() {
        OrderState s = captured(10_000);
        OrderLedger.apply(s, event("REFUNDED", 4_000));
        assertFalse(OrderLedger.apply(s, event("REFUNDED", 4_000)));
        assertEquals(4_000, s.refundedMinor);
    }

    @Test
    void aForeignLineIsConvertedByItsRate() {
        OrderState s = captured(10_000); // EUR order
        SettlementLine l = line("CHARGE", 10_870); // USD line into an EUR payout
        l.currency = "USD";
        l.exchangeRate = "0.92";
        assertNull(OrderLedger.check(s, l, 1));
        l.exchangeRate = "0.90";
        assertEquals(9_783, OrderLedger.check(s, l, 1).actualMinor);
    }

    @Test
    void anOrderTreasoNeverSawIsNotChecked() {
        assertNull(OrderLedger.check(new OrderState(), line("CHARGE", 1), 0));
    }

    @Test
    void theDeadlineIsTheScheduleOfThePspPlusGraceInBusinessDays() {
        MatchingRules r = MatchingRules.defaults();
        OrderState s = captured(10_000);
        // Monday + 3 + 2 business days, then the whole next one: Tuesday a week later, 00:00.
        assertEquals(
                Instant.parse("2026-03-24T00:00:00Z").toEpochMilli(),
                OrderLedger.payoutDeadline(s, r, CAL));
        s.psp = "AMAZON_PAY";
        assertEquals(
                Instant.parse("2026-04-08T00:00:00Z").toEpochMilli(),
                OrderLedger.payoutDeadline(s, r, CAL),
                "12 + 2 business days and the next, over Good Friday and Easter Monday");
        OrderState never = new OrderState();
        OrderLedger.apply(never, event("PLACED", 1));
        assertEquals(Long.MAX_VALUE, OrderLedger.payoutDeadline(never, r, CAL));
    }
}
