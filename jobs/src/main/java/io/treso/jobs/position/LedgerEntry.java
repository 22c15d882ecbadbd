package io.treso.jobs.position;

/** Booked amounts at one millisecond of an account, and the last line's id as evidence. */
public final class LedgerEntry {
    public long amount;
    public String lastEventId;

    public LedgerEntry() {}

    public LedgerEntry(long amount, String lastEventId) {
        this.amount = amount;
        this.lastEventId = lastEventId;
    }
}
