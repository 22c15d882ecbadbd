package io.treso.jobs.reconciliation;

import io.treso.calendar.BusinessCalendar;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Payouts against the orders Treso saw, one order at a time, in plain Java. A CHARGE line must
 * carry the captured amount, a REFUND line minus the refunds, a DISPUTE line minus the chargebacks,
 * converted by the line's exchange rate when currencies differ. A line naming an order Treso never
 * saw is not checked (nothing to check it against). A captured order that no payout carries within
 * the PSP's schedule plus grace is overdue; {@link PspLedger} turns overdue orders into one
 * MISSING_PAYOUT episode per PSP scope.
 */
public final class OrderLedger {
    public static final String MISSING_PAYOUT = "MISSING_PAYOUT";

    private OrderLedger() {}

    /** Adds an order event; false when it was seen before (a duplicate delivery). */
    public static boolean apply(OrderState s, OrderFacts f) {
        if (!s.firstSighting(f.eventId)) return false;
        s.orderId = f.orderId;
        s.currency = f.currency;
        s.psp = f.psp;
        s.storeId = f.storeId;
        switch (f.kind) {
            case "CAPTURED" -> {
                if (f.occurredAt < s.capturedAt) {
                    s.capturedAt = f.occurredAt;
                    s.capturedEventId = f.eventId;
                }
                s.capturedMinor = f.amountMinor;
            }
            case "REFUNDED" -> s.refundedMinor += f.amountMinor;
            case "CHARGEBACK" -> s.chargebackMinor += f.amountMinor;
            case "CANCELLED" -> s.cancelled = true;
            default -> {}
        }
        return true;
    }

    /** The line's disagreement with the order, or null when it agrees or cannot be checked. */
    public static LineBreak check(OrderState s, SettlementLine l, long tolerance) {
        if (s == null || s.currency == null) return null;
        long expected;
        switch (l.type) {
            case "CHARGE" -> {
                if (s.capturedAt == Long.MAX_VALUE) return null;
                expected = s.capturedMinor;
            }
            case "REFUND" -> {
                if (s.refundedMinor == 0) return null;
                expected = -s.refundedMinor;
            }
            case "DISPUTE" -> {
                if (s.chargebackMinor == 0) return null;
                expected = -s.chargebackMinor;
            }
            default -> {
                return null;
            }
        }
        long actual = l.amountMinor;
        if (!l.currency.equals(s.currency)) {
            if (l.exchangeRate == null || !s.currency.equals(l.payoutCurrency)) return null;
            actual =
                    BigDecimal.valueOf(l.amountMinor)
                            .multiply(new BigDecimal(l.exchangeRate))
                            .setScale(0, RoundingMode.HALF_EVEN)
                            .longValueExact();
        }
        if (Math.abs(actual - expected) <= tolerance) return null;
        LineBreak b = new LineBreak();
        b.accountKey = l.accountKey;
        b.payoutId = l.payoutId;
        b.payoutEventId = l.payoutEventId;
        b.payoutAt = l.payoutAt;
        b.sourceId = l.sourceId;
        b.orderId = l.orderId;
        b.expectedMinor = expected;
        b.actualMinor = actual;
        return b;
    }

    /** When a captured order must have been in a payout; MAX when it was never captured. */
    public static long payoutDeadline(OrderState s, MatchingRules r, BusinessCalendar calendar) {
        if (s.capturedAt == Long.MAX_VALUE || s.cancelled) return Long.MAX_VALUE;
        return calendar.startOf(
                        calendar.plusBusinessDays(
                                calendar.dateOf(Instant.ofEpochMilli(s.capturedAt)),
                                r.scheduleDays(s.psp) + r.payoutGraceBusinessDays + 1))
                .toEpochMilli();
    }
}
