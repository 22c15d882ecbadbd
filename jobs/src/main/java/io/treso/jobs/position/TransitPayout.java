package io.treso.jobs.position;

import io.treso.event.PayoutEvent;
import io.treso.event.PayoutStatus;
import java.time.LocalDate;

/**
 * What cash in transit needs of a payout, and no more: a payout carries a line per order it
 * settles, and shipping those across the keyBy cost more than the transit logic itself.
 */
public final class TransitPayout {
    public String eventId;
    public long occurredAt;
    public String scope;
    public String payoutId;
    public String status;
    public long netMinor;
    public String currency;
    public long expectedArrivalEpochDay;

    public TransitPayout() {}

    public static TransitPayout of(PayoutEvent p) {
        TransitPayout t = new TransitPayout();
        t.eventId = p.getEventId();
        t.occurredAt = p.getOccurredAt().toEpochMilli();
        t.scope = "transit:" + p.getPsp() + "/" + p.getStoreId() + "/" + p.getCurrency();
        t.payoutId = p.getPayoutId();
        t.status = p.getStatus().name();
        t.netMinor = p.getNetMinor();
        t.currency = p.getCurrency();
        t.expectedArrivalEpochDay = p.getExpectedArrivalDate().toEpochDay();
        return t;
    }

    boolean isOnItsWay() {
        return status.equals(PayoutStatus.IN_TRANSIT.name())
                || status.equals(PayoutStatus.PAID.name());
    }

    boolean isCalledOff() {
        return status.equals(PayoutStatus.FAILED.name())
                || status.equals(PayoutStatus.CANCELLED.name());
    }

    LocalDate expectedArrival() {
        return LocalDate.ofEpochDay(expectedArrivalEpochDay);
    }
}
