package io.treso.jobs.reconciliation;

/** One statement as matching counts it: received or not, and the booked lines citing it so far. */
public final class CoverageTally {
    public String statementId;
    public boolean received;
    public long sequence;
    public long periodStart;
    public long periodEnd;
    public long entryCount;
    public long linesSeen;

    public CoverageTally() {}
}
