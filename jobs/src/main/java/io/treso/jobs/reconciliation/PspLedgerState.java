package io.treso.jobs.reconciliation;

/**
 * What one PSP scope's ledger keeps: order money by day for the horizon (older days summed), the
 * payouts seen in that time, the orders past their payout deadline, and the open episode. A few
 * dozen entries whatever the scope's volume.
 */
public final class PspLedgerState {
    public String psp;
    public String storeId;
    public String currency;

    /** Order money by capture or refund day, oldest first. */
    public DayMoney[] days = new DayMoney[0];

    /** Captures of the days rolled out of {@link #days}. */
    public long rolledCapturedMinor;

    /** Refunds, chargebacks and payouts rolled out of {@link #days} and {@link #payouts}. */
    public long rolledOutMinor;

    public PayoutMark[] payouts = new PayoutMark[0];

    /**
     * Refunds and chargebacks, payout gross and fees rolled out of {@link #days} and {@link
     * #payouts}: the totals' history. (State from before 0.3 lacks what it rolled earlier; the
     * totals then start lower by a constant, which differences over a period cancel.)
     */
    public long rolledRefundedMinor;

    public long rolledGrossMinor;
    public long rolledFeeMinor;

    /** The totals last reported (captured, refunded, gross, fees), or null before the first. */
    public long[] reportedTotals;

    /** Whether the latest payout rolled out named its orders (true before any payout). */
    public boolean rolledNamesOrders = true;

    public long rolledPayoutAt = Long.MIN_VALUE;

    /** Orders the order check found past their deadline in no payout. */
    public OverdueOrder[] orders = new OverdueOrder[0];

    public String episodeId;
    public long lastActivity = Long.MIN_VALUE;
    public boolean reported;
    public long reportedBalanceMinor;

    public PspLedgerState() {}

    /** One day's order money on the PSP's books, minor units. */
    public static final class DayMoney {
        public long day;
        public long capturedMinor;
        public long refundedMinor;
        public long chargedBackMinor;

        public DayMoney() {}
    }

    /** A payout: what it paid out, from its first status that was not called off. */
    public static final class PayoutMark {
        public String payoutId;
        public long paidAt = Long.MAX_VALUE;
        public long amountMinor;
        public long calledOffAt = Long.MAX_VALUE;
        public boolean namesOrders;
        public long grossMinor;
        public long feeMinor;

        public PayoutMark() {}

        /**
         * What it has paid out as of {@code t}: nothing before it paid, nothing once called off.
         */
        long paidOutAsOf(long t) {
            return paidAsOf(t) ? amountMinor : 0;
        }

        /** Whether it had paid by {@code t} and was not called off since. */
        boolean paidAsOf(long t) {
            return paidAt <= t && !(calledOffAt <= t && calledOffAt >= paidAt);
        }

        long lastAt() {
            return calledOffAt != Long.MAX_VALUE ? Math.max(paidAt, calledOffAt) : paidAt;
        }
    }

    /** A captured order that no payout carried by its deadline. */
    public static final class OverdueOrder {
        public String orderId;
        public String capturedEventId;
        public long capturedAt;
        public long amountMinor;
        public long noticeAt;
        public long paidOutAt = Long.MAX_VALUE;

        public OverdueOrder() {}
    }
}
