package io.treso.jobs.reconciliation;

import io.treso.event.Obligation;

/**
 * A payable or receivable as every account's matching operator sees it (broadcast: obligations name
 * no account). Whether one is paid is kept per account, by the account that paid it.
 */
public final class ObligationFacts {
    public String eventId;
    public String documentId;
    public String kind;
    public String counterparty;
    public long amountMinor;
    public String currency;
    public long issuedAt;
    public long dueDay;
    public String status;

    public ObligationFacts() {}

    public static ObligationFacts of(Obligation o) {
        ObligationFacts f = new ObligationFacts();
        f.eventId = o.getEventId();
        f.documentId = o.getDocumentId();
        f.kind = o.getKind().name();
        f.counterparty = o.getCounterpartyName();
        f.amountMinor = o.getAmountMinor();
        f.currency = o.getCurrency();
        f.issuedAt = o.getOccurredAt().toEpochMilli();
        f.dueDay = o.getDueDate().toEpochDay();
        f.status = o.getStatus().name();
        return f;
    }

    public boolean isPayable() {
        return "PAYABLE".equals(kind);
    }

    public boolean isReceivable() {
        return "RECEIVABLE".equals(kind);
    }

    public boolean isCancelled() {
        return "CANCELLED".equals(status);
    }
}
