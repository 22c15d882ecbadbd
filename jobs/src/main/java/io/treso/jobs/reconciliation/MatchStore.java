package io.treso.jobs.reconciliation;

/**
 * Where an account's matching state lives: RocksDB MapState in the Flink function, maps in unit
 * tests. Narrow, so that {@link BankMatcher} stays free of Flink. Values read are copies: callers
 * put back what they change.
 */
public interface MatchStore {
    MatchingProgress progress();

    void saveProgress(MatchingProgress progress);

    TrackedPayout payout(String payoutId);

    void putPayout(TrackedPayout payout);

    /** The payouts still open (not settled, not called off): the candidates. */
    Iterable<TrackedPayout> payouts();

    /**
     * Open payouts' ids filed under a key of {@link PayoutIndex}; never null. Putting an empty
     * array removes the key.
     */
    String[] payoutsUnder(String key);

    void putPayoutsUnder(String key, String[] payoutIds);

    BankEntry credit(String eventId);

    void putCredit(BankEntry credit);

    /** The bank lines not decided yet. */
    Iterable<BankEntry> credits();

    Match match(String matchId);

    void putMatch(Match match);

    CoverageTally tally(String statementId);

    void putTally(CoverageTally tally);

    void removeTally(String statementId);

    Iterable<CoverageTally> tallies();

    /** Credits decided UNMATCHED: the few a late payout may still settle. */
    Iterable<String> unmatchedCredits();

    void indexUnmatched(String bankEventId, boolean unmatched);

    ObligationProgress obligation(String documentId);

    void putObligation(ObligationProgress progress);

    /** Treasurer actions waiting for their effective time, or for the match they act on. */
    Iterable<MatchAction> pendingActions();

    void putAction(MatchAction action);

    void removeAction(String eventId);

    /** True the first time a bank event id is seen. */
    boolean firstSighting(String bankEventId, long bookedAt);
}
