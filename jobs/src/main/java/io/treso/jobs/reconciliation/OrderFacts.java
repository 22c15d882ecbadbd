package io.treso.jobs.reconciliation;

import io.treso.event.OrderEvent;

/** An order event as payout checking needs it. */
public final class OrderFacts {
    public String eventId;
    public String orderId;
    public String kind;
    public long amountMinor;
    public String currency;
    public String psp;
    public String storeId;
    public long occurredAt;

    public OrderFacts() {}

    public static OrderFacts of(OrderEvent e) {
        OrderFacts f = new OrderFacts();
        f.eventId = e.getEventId();
        f.orderId = e.getOrderId();
        f.kind = e.getKind().name();
        f.amountMinor = e.getAmountMinor();
        f.currency = e.getCurrency();
        f.psp = e.getPsp().name();
        f.storeId = e.getStoreId();
        f.occurredAt = e.getOccurredAt().toEpochMilli();
        return f;
    }
}
