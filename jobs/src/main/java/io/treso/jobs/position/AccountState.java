package io.treso.jobs.position;

/**
 * The small per-account values kept in RocksDB ValueState. Lines after the last checked statement
 * live in the ledger, ids in their own MapState, so this stays a few dozen bytes.
 */
public final class AccountState {
    public String accountId;
    public String currency;

    /** True once the first END_OF_DAY statement has set the opening balance. */
    public boolean anchored;

    public long anchorStart;

    /** Our balance as of {@link #foldedUntil}; the ledger holds what came after. */
    public long base;

    public long foldedUntil;

    /** base + the ledger: the running booked balance. */
    public long balance;

    /**
     * LOW_BALANCE walks the lines in booking order up to the bank time, so arrival order between
     * lines and statements never changes what fires: the balance through this instant.
     */
    public long evaluatedUntil;

    public long evaluatedBalance;

    /** The highest event time applied. */
    public long asOf;

    /** End of the latest END_OF_DAY or EXPORT statement period received. */
    public long bankTime;

    public Long bankReportedBalance;
    public long bankReportedAt;

    /** The id of the firing LOW_BALANCE alert, or null. */
    public String lowBalanceAlertId;

    /** The id of the firing BALANCE_BREAK alert, or null. */
    public String balanceBreakAlertId;

    /** Statements are checked in sequence; this is the last one checked. */
    public long lastCheckedSequence;

    /** Lines booked before the anchor period, already inside the opening balance. */
    public long linesCoveredByOpening;

    /** True once the daily closes started ({@link AccountCloses}); false in older state. */
    public boolean closing;

    /** The last local day closed (epoch day). */
    public long closedDay;

    /** The closes of the recent days up to {@link #closedDay}, oldest first: late lines revise. */
    public long[] recentCloses = new long[0];

    /** The bank's closing balance for those days; {@link Long#MIN_VALUE} when it gave none. */
    public long[] recentBankCloses = new long[0];

    public AccountState() {}
}
