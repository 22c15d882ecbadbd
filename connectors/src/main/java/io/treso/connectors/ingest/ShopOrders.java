package io.treso.connectors.ingest;

import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;

/**
 * What every shop and PSP reader gives an order event the same way: its identity, {@code
 * <source>:<order>:<kind>[:<part>]} (the part names one refund, invoice or credit memo of the
 * order), so ingesting a file and receiving the same fact as a webhook give one id; and the store
 * it belongs to. The caller adds the time, money and PSP.
 */
public final class ShopOrders {
    private ShopOrders() {}

    public static OrderEvent.Builder event(
            String source,
            Channel channel,
            PspContext context,
            String order,
            OrderKind kind,
            String part) {
        return OrderEvent.newBuilder()
                .setEventId(source + ":" + order + ":" + kind + (part == null ? "" : ":" + part))
                .setStoreId(context.storeId())
                .setChannel(channel)
                .setOrderId(order)
                .setKind(kind)
                .setTaxMinor(null)
                .setPspReference(null);
    }
}
