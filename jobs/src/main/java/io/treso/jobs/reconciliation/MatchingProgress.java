package io.treso.jobs.reconciliation;

/**
 * How far an account's bank side is known: {@link #coverage} is the end of the latest statement
 * period such that it and every statement before it in sequence are complete (or given up on after
 * the grace period). Credits are decided in booking order up to it, so a late statement never lets
 * a later credit take a payout an earlier one should have had.
 */
public final class MatchingProgress {
    public long coverage = Long.MIN_VALUE;
    public long nextSequence = -1;
    public long bankTime = Long.MIN_VALUE;

    /** The account's currency, from its lines and statements. */
    public String currency;

    /** The last midnight for which receivables aging was reported. */
    public long agedThrough = Long.MIN_VALUE;

    /**
     * Payouts whose identity broke and whose alert waits for the watermark: a payout settled before
     * then is no longer among the open ones every decision scans.
     */
    public String[] identityPending = new String[0];

    /** Bank money by UTC booking day and category, until that day's midnight reports it. */
    public DayFlow[] flows = new DayFlow[0];

    /**
     * Every open payout is in the {@link PayoutIndex}: false in state written before the index, so
     * the first credit after a restore files them all once.
     */
    public boolean payoutsIndexed;

    public MatchingProgress() {}

    /** One day's money of one category on the account, minor units, signed. */
    public static final class DayFlow {
        public long day;
        public String category;
        public long sumMinor;

        public DayFlow() {}
    }
}
