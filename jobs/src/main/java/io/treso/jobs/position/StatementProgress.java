package io.treso.jobs.position;

/** What an account has seen of one statement: the statement itself and the lines that cite it. */
public final class StatementProgress {
    public String statementId;
    public boolean received;
    public String eventId;
    public String kind;
    public long sequence;
    public long periodStart;
    public long periodEnd;
    public Long closing;
    public long entryCount;
    public long linesSeen;
    public long sumSeen;

    public StatementProgress() {}

    public StatementProgress(String statementId) {
        this.statementId = statementId;
    }
}
