package io.treso.jobs.reconciliation;

import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import java.time.Instant;
import java.util.Arrays;

/** The latest revision of one match, as state; {@link #toRecord()} is what downstream sees. */
public final class Match {
    public String matchId;
    public int revision;

    /**
     * The contract's {@link ReconciliationStatus} by name: a String in state, so savepoints of
     * earlier versions restore. Read and write it through {@link #status()} and {@link #is}.
     */
    public String status;

    public String[] bankEventIds = new String[0];
    public String[] payoutIds = new String[0];
    public String[] obligationIds = new String[0];
    public long differenceMinor;
    public int confidence;
    public String rule;
    public boolean needsReview;
    public long decidedAt;

    /** The bank line's category: PSP_PAYOUT, SUPPLIER, LOAN…; null when nothing gives one. */
    public String category;

    /** The (first) bank line as a person finds it in the bank's portal. */
    public String currency;

    public long bookedAt;
    public String counterparty;
    public String reference;
    public String accountId;
    public long amountMinor;

    public Match() {}

    /** The match id of a decision on a bank credit: stable across revisions. */
    public static String idFor(String bankEventId) {
        return "bank:" + bankEventId;
    }

    public ReconciliationStatus status() {
        return ReconciliationStatus.valueOf(status);
    }

    public void status(ReconciliationStatus s) {
        status = s.name();
    }

    public boolean is(ReconciliationStatus s) {
        return s.name().equals(status);
    }

    public boolean isOpen() {
        return OpenItems.isOpen(status(), needsReview);
    }

    public boolean settles() {
        return is(ReconciliationStatus.MATCHED)
                || is(ReconciliationStatus.PARTIAL)
                || is(ReconciliationStatus.AMOUNT_MISMATCH)
                || is(ReconciliationStatus.WRITTEN_OFF);
    }

    public ReconciliationRecord toRecord() {
        return ReconciliationRecord.newBuilder()
                .setMatchId(matchId)
                .setRevision(revision)
                .setStatus(status())
                .setBankEventIds(Arrays.asList(bankEventIds))
                .setPayoutIds(Arrays.asList(payoutIds))
                .setOrderIds(java.util.List.of())
                .setObligationIds(Arrays.asList(obligationIds))
                .setDifferenceMinor(differenceMinor)
                .setConfidence(confidence)
                .setRule(rule)
                .setNeedsReview(needsReview)
                .setDecidedAt(Instant.ofEpochMilli(decidedAt))
                .setCategory(category)
                .setCurrency(currency)
                .setBookedAt(bookedAt == 0 ? null : Instant.ofEpochMilli(bookedAt))
                .setCounterparty(counterparty)
                .setReference(reference)
                .setAccountId(accountId)
                .setAmountMinor(accountId == null ? null : amountMinor)
                .build();
    }
}
