package io.treso.jobs.reconciliation;

import io.treso.jobs.input.EventIdHashes;

/** What one order's check knows: the amounts its events carried, and which lines paid it out. */
public final class OrderState {
    public String orderId;
    public String currency;
    public String psp;
    public String storeId;
    public String capturedEventId;
    public long capturedAt = Long.MAX_VALUE;
    public long capturedMinor;
    public long refundedMinor;
    public long chargebackMinor;
    public boolean cancelled;
    public long chargeLineAt = Long.MAX_VALUE;
    public String chargePayoutId;
    public long missingPayoutAt = Long.MAX_VALUE;
    public String missingAlertId;
    public long lastSeen;

    /** The cleanup timer set for this order, 0 when none (the payout deadline cleans instead). */
    public long cleanupTimer;

    /**
     * Payout lines waiting for the watermark to pass their payout: a handful per order, so in the
     * value itself (a MapState iterated on every timer was the pipeline's hot spot).
     */
    public SettlementLine[] pending = new SettlementLine[0];

    /**
     * 64-bit hashes of the ids already counted (the order's events, the payout lines naming it): a
     * handful per order, kept small because this value is read and written for every record.
     */
    public long[] seen = new long[0];

    /** True the first time {@code id} is offered. */
    public boolean firstSighting(String id) {
        long[] more = EventIdHashes.addIfAbsent(seen, id);
        if (more == null) return false;
        seen = more;
        return true;
    }

    public OrderState() {}
}
