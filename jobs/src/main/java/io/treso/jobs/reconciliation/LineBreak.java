package io.treso.jobs.reconciliation;

/** A payout line that disagrees with the order events Treso saw: evidence for the payout. */
public final class LineBreak {
    public String accountKey;
    public String payoutId;
    public String payoutEventId;
    public long payoutAt;
    public String sourceId;
    public String orderId;
    public long expectedMinor;
    public long actualMinor;

    public LineBreak() {}
}
