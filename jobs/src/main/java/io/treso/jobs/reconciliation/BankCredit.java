package io.treso.jobs.reconciliation;

import io.treso.event.BankTransaction;

/** A booked bank credit waiting for its decision, or decided and still open (unmatched, review). */
public final class BankCredit {
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

    public BankCredit() {}

    public static BankCredit of(BankTransaction tx, long bookedDay) {
        BankCredit c = new BankCredit();
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
