package io.treso.jobs.reconciliation;

/** What one account knows of an obligation: the bank line that paid it, and its overdue check. */
public final class ObligationProgress {
    public String documentId;
    public String paidBy;
    public long paidAt = Long.MAX_VALUE;
    public boolean overdueChecked;

    public ObligationProgress() {}
}
