package io.treso.jobs.reconciliation;

/**
 * A payout as an account's matching state knows it, from its first event until it is cleaned up.
 * Times are epoch millis of the first event that showed each status; {@code Long.MAX_VALUE} means
 * not seen.
 */
public final class TrackedPayout {
    public String payoutId;
    public String psp;
    public String storeId;
    public String currency;
    public long netMinor;
    public long arrivalDay;
    public String descriptor;

    /** What its events say it settles ({@link PayoutFacts#settles}); null in older state: lines. */
    public String settles;

    /** Id and descriptor reduced as bank references are, once, not per credit. */
    public String normalisedId;

    public String normalisedDescriptor;
    public long lastEventAt = Long.MIN_VALUE;
    public long firstSeenAt = Long.MAX_VALUE;
    public long paidAt = Long.MAX_VALUE;
    public long failedAt = Long.MAX_VALUE;
    public String firstEventId;
    public String paidEventId;
    public String failedEventId;

    /** The match that settles it, or null. */
    public String matchId;

    /** Open AMBIGUOUS records that name it as a candidate: no deadline alert while any is open. */
    public String[] reviewMatchIds = new String[0];

    public long depositDeadline = Long.MAX_VALUE;
    public boolean depositChecked;
    public String depositAlertId;

    public long identityBreakAt = Long.MAX_VALUE;
    public String identityEventId;
    public long identityOwnDifference;
    public long identityLinesDifference;
    public String[] brokenLineIds = new String[0];

    /** Lines that disagree with the order events Treso saw. */
    public int brokenLines;

    public boolean identityAlerted;

    /** Where the store keeps it: settled payouts live apart, out of every decision's scan. */
    public boolean stored;

    public boolean storedSettled;

    /** The {@link PayoutIndex} keys it is filed under; null for none (settled, or older state). */
    public String filedUnderId;

    public String filedUnderDescriptor;

    public TrackedPayout() {}

    /**
     * Settled: no longer a candidate, kept only for revisions. (A called-off payout stays open: it
     * was a candidate until the time it was called off.)
     */
    public boolean isSettled() {
        return matchId != null;
    }

    public String referenceId() {
        if (normalisedId == null) normalisedId = References.normalise(payoutId);
        return normalisedId;
    }

    public String referenceDescriptor() {
        if (normalisedDescriptor == null) normalisedDescriptor = References.normalise(descriptor);
        return normalisedDescriptor;
    }

    /** A candidate at decision time {@code t}: announced by then, not called off by then. */
    public boolean liveAt(long t) {
        return firstSeenAt <= t && failedAt > t;
    }
}
