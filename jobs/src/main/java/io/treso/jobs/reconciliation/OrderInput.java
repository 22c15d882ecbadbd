package io.treso.jobs.reconciliation;

/** What the per-order check reads: an order event, or a payout line naming the order. */
public final class OrderInput {
    public OrderFacts order;
    public SettlementLine line;

    public OrderInput() {}

    public static OrderInput of(OrderFacts order) {
        OrderInput in = new OrderInput();
        in.order = order;
        return in;
    }

    public static OrderInput of(SettlementLine line) {
        OrderInput in = new OrderInput();
        in.line = line;
        return in;
    }

    public String orderId() {
        return order != null ? order.orderId : line.orderId;
    }
}
