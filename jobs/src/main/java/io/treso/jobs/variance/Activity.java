package io.treso.jobs.variance;

import io.treso.event.OrderEvent;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;

/** One event's contribution to its scope's bucket, before the window sums it. */
public final class Activity {
    public String family;
    public String scope;
    public String store;
    public String currency;
    public long primary;
    public long secondary;
    public long count;
    public long secondaryCount;
    public String eventId;

    /** When the event happened (epoch millis): the order dedupe keys by its UTC day. */
    public long occurredAt;

    public String key() {
        return family + "|" + scope;
    }

    /** A capture adds a sale; a refund or chargeback adds to refunds; other kinds add nothing. */
    public static Activity of(OrderEvent o) {
        Activity a = new Activity();
        a.family = Bucket.STORE;
        a.scope = o.getStoreId() + "/" + o.getChannel();
        a.store = o.getStoreId();
        a.currency = o.getCurrency();
        a.eventId = o.getEventId();
        a.occurredAt = o.getOccurredAt().toEpochMilli();
        switch (o.getKind()) {
            case CAPTURED -> {
                a.primary = o.getAmountMinor();
                a.count = 1;
            }
            case REFUNDED, CHARGEBACK -> {
                a.secondary = o.getAmountMinor();
                a.secondaryCount = 1;
            }
            default -> {}
        }
        return a;
    }

    /**
     * A payout's processing fee rate, per PSP and currency: its charges (gross) and the fees taken
     * on them. Dispute and account fees are fixed amounts, not the rate: on a small shop's day one
     * 15.00 dispute fee moves the rate by a point. A payout without lines counts by its own totals
     * and the orders it names as charges (one that names none is a payout of unknown charges,
     * {@code secondaryCount}, judged on its rate alone); when it also carries refunds or disputes,
     * its fee may hold a dispute fee that cannot be told apart, so it adds nothing.
     */
    public static Activity of(PayoutEvent p) {
        Activity a = new Activity();
        a.family = Bucket.PSP;
        a.scope = p.getPsp() + "/" + p.getCurrency();
        a.currency = p.getCurrency();
        a.eventId = p.getEventId();
        a.occurredAt = p.getOccurredAt().toEpochMilli();
        if (p.getLines().isEmpty()) {
            if (p.getRefundMinor() != 0) return a;
            a.primary = p.getGrossMinor();
            a.secondary = p.getFeeMinor();
            a.count = p.getOrderIds().size();
            if (a.count == 0) a.secondaryCount = 1;
            return a;
        }
        for (PayoutLine l : p.getLines()) {
            if (l.getType() == PayoutLineType.CHARGE) {
                a.primary += l.getAmountMinor();
                a.secondary += l.getFeeMinor();
                a.count++;
            }
        }
        return a;
    }
}
