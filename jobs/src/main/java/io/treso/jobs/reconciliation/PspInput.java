package io.treso.jobs.reconciliation;

import io.treso.event.PayoutEvent;

/**
 * What a PSP scope's ledger reads: money moving on the PSP's books (a capture, refund or chargeback
 * counted once by the order check, or a payout's status), or the order check's word that an order
 * passed its payout deadline in no payout, or was later paid out.
 */
public final class PspInput {
    /** What the input says. */
    public enum Kind {
        CAPTURED,
        REFUNDED,
        CHARGED_BACK,
        PAYOUT,
        ORDER_OVERDUE,
        ORDER_PAID_OUT
    }

    public Kind kind;
    public String psp;
    public String storeId;
    public String currency;

    /** Event time: of the order event, the payout status, or the deadline that passed. */
    public long at;

    /** Minor units: the change in captured money, a refund, a payout's paid-out amount. */
    public long amountMinor;

    public String orderId;
    public String eventId;
    public long capturedAt;

    public String payoutId;

    /** A FAILED or CANCELLED payout: what it paid out returns to the PSP's balance. */
    public boolean calledOff;

    /** Whether the payout names the orders it settles (lines or order ids). */
    public boolean namesOrders;

    /** A payout's gross and fees, for the fee rate the PSP totals report. */
    public long grossMinor;

    public long feeMinor;

    public PspInput() {}

    /** The ledger's key: {@code PSP/store/CCY}. */
    public String scope() {
        return scope(psp, storeId, currency);
    }

    public static String scope(String psp, String storeId, String currency) {
        return psp + "/" + storeId + "/" + currency;
    }

    /** Money on the PSP's books from an order the order check counted once. */
    public static PspInput money(Kind kind, OrderState s, long at, long amountMinor) {
        PspInput in = of(kind, s, at);
        in.amountMinor = amountMinor;
        return in;
    }

    /** An order past its payout deadline in no payout, or such an order now paid out. */
    public static PspInput order(Kind kind, OrderState s, long at) {
        PspInput in = of(kind, s, at);
        in.amountMinor = s.capturedMinor;
        in.capturedAt = s.capturedAt;
        in.eventId = s.capturedEventId;
        return in;
    }

    private static PspInput of(Kind kind, OrderState s, long at) {
        PspInput in = new PspInput();
        in.kind = kind;
        in.psp = s.psp;
        in.storeId = s.storeId;
        in.currency = s.currency;
        in.at = at;
        in.orderId = s.orderId;
        return in;
    }

    /**
     * A payout status. What it paid out is gross − refunds: the captures it settles, net of the
     * refunds and disputes it deducts. Fees are the PSP's income and adjustments are not captured
     * money, so neither moves the balance of captures owed.
     */
    public static PspInput of(PayoutEvent e) {
        PspInput in = new PspInput();
        in.kind = Kind.PAYOUT;
        in.psp = e.getPsp().name();
        in.storeId = e.getStoreId();
        in.currency = e.getCurrency();
        in.at = e.getOccurredAt().toEpochMilli();
        in.eventId = e.getEventId();
        in.payoutId = e.getPayoutId();
        in.amountMinor = Math.subtractExact(e.getGrossMinor(), e.getRefundMinor());
        in.grossMinor = e.getGrossMinor();
        in.feeMinor = e.getFeeMinor();
        String status = e.getStatus().name();
        in.calledOff = status.equals("FAILED") || status.equals("CANCELLED");
        in.namesOrders = !e.getLines().isEmpty() || !e.getOrderIds().isEmpty();
        return in;
    }
}
