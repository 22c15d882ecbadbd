package io.treso.jobs.reconciliation;

import io.treso.event.BankTransaction;

/**
 * A booked bank line waiting for its decision, or decided and still open (unmatched, in review).
 */
public final class BankEntry {
    public String eventId;
    public long bookedAt;
    public long bookedDay;
    public long amountMinor;
    public String currency;
    public String reference;
    public String counterparty;
    public boolean decided;
    public long decideAt;
    public String matchId;
    public String unreconciledAlertId;

    /** Where the store keeps it: decided lines live apart, out of every decision's scan. */
    public boolean stored;

    public boolean storedDecided;

    public BankEntry() {}

    public static BankEntry of(BankTransaction tx, long bookedDay) {
        BankEntry c = new BankEntry();
        c.eventId = tx.getEventId();
        c.bookedAt = tx.getBookedAt().toEpochMilli();
        c.bookedDay = bookedDay;
        c.amountMinor = tx.getAmountMinor();
        c.currency = tx.getCurrency();
        c.reference = tx.getReference();
        c.counterparty = tx.getCounterpartyName();
        return c;
    }
}
