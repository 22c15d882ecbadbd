package io.treso.connectors.woocommerce;

import static io.treso.connectors.ingest.JsonFiles.require;
import static io.treso.connectors.ingest.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.JsonFiles;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.connectors.ingest.ShopOrders;
import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.Psp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.util.Preconditions;

/**
 * WooCommerce REST API v3 orders ({@code GET /wp-json/wc/v3/orders}: an array, or one order as its
 * {@code order.created}/{@code order.updated} webhooks send it). An order is PLACED when created,
 * CAPTURED when paid ({@code date_paid_gmt}), CANCELLED when cancelled or failed, and each of its
 * {@code refunds} is REFUNDED (WooCommerce writes them negative). A {@code refunded} order whose
 * refunds are not listed is refunded in full. Times are the {@code _gmt} fields; the PSP comes from
 * {@code payment_method}, its reference from {@code transaction_id}.
 */
public final class WooCommerceReader {
    private final PspContext context;

    public WooCommerceReader(PspContext context) {
        this.context = Preconditions.checkNotNull(context);
    }

    public ParsedFile parse(Path file) throws IOException, RefusedFileException {
        JsonNode root = JsonFiles.read(file);
        List<JsonNode> orders = new ArrayList<>();
        if (root.isArray()) root.forEach(orders::add);
        else orders.add(root);
        List<OrderEvent> events = new ArrayList<>();
        for (JsonNode o : orders) events.addAll(orderEvents(o));
        if (events.isEmpty()) return ParsedFile.accepted(file, orders.size(), List.of());
        return ParsedFile.accepted(
                file,
                orders.size(),
                List.of(
                        new IngestBatch(
                                "WOOCOMMERCE ORDERS",
                                events,
                                orders.size() + " orders, " + events.size() + " order events")));
    }

    /** The webhook topics whose payload is an order, read by {@link #orderEvents}. */
    public static final java.util.Set<String> WEBHOOK_TOPICS =
            java.util.Set.of("order.created", "order.updated");

    /** One order (a list item, or an order webhook's payload) as its events. */
    public List<OrderEvent> orderEvents(JsonNode o) throws RefusedFileException {
        if (!o.has("id") || !o.has("status") || !o.has("total")) {
            throw new RefusedFileException(
                    "not a WooCommerce order (no id, status and total): " + abbreviate(o));
        }
        return order(o);
    }

    private List<OrderEvent> order(JsonNode o) throws RefusedFileException {
        String id = require(o, "id", "order");
        String where = "order " + id;
        String currency = require(o, "currency", where);
        String status = require(o, "status", where);
        long total = MinorUnits.of(require(o, "total", where), currency, where + " total");
        Long tax =
                text(o, "total_tax") == null
                        ? null
                        : MinorUnits.of(text(o, "total_tax"), currency, where + " total_tax");
        Psp psp = psp(text(o, "payment_method"));
        String reference = blankToNull(text(o, "transaction_id"));
        Instant created = gmt(o, "date_created_gmt", where);
        Instant modified =
                text(o, "date_modified_gmt") == null ? created : gmt(o, "date_modified_gmt", where);
        List<OrderEvent> out = new ArrayList<>();
        out.add(event(id, OrderKind.PLACED, created, total, tax, currency, psp, reference, null));
        if (text(o, "date_paid_gmt") != null) {
            out.add(
                    event(
                            id,
                            OrderKind.CAPTURED,
                            gmt(o, "date_paid_gmt", where),
                            total,
                            tax,
                            currency,
                            psp,
                            reference,
                            null));
        }
        if (status.equals("cancelled") || status.equals("failed")) {
            out.add(
                    event(
                            id,
                            OrderKind.CANCELLED,
                            modified,
                            total,
                            tax,
                            currency,
                            psp,
                            reference,
                            null));
        }
        JsonNode refunds = o.get("refunds");
        long refunded = 0;
        if (refunds != null && refunds.isArray()) {
            for (JsonNode r : refunds) {
                String refundId = require(r, "id", where + " refund");
                long amount =
                        Math.abs(
                                MinorUnits.of(
                                        require(r, "total", where + " refund " + refundId),
                                        currency,
                                        where + " refund " + refundId));
                refunded += amount;
                out.add(
                        event(
                                id,
                                OrderKind.REFUNDED,
                                modified,
                                amount,
                                null,
                                currency,
                                psp,
                                reference,
                                refundId));
            }
        }
        if (status.equals("refunded") && refunded == 0) {
            out.add(
                    event(
                            id,
                            OrderKind.REFUNDED,
                            modified,
                            total,
                            tax,
                            currency,
                            psp,
                            reference,
                            "full"));
        }
        if (refunded > total) {
            throw new RefusedFileException(
                    where
                            + ": refunds of "
                            + MinorUnits.format(refunded, currency)
                            + " exceed its total "
                            + MinorUnits.format(total, currency));
        }
        return out;
    }

    private OrderEvent event(
            String order,
            OrderKind kind,
            Instant at,
            long amount,
            Long tax,
            String currency,
            Psp psp,
            String reference,
            String refund) {
        return ShopOrders.event("woocommerce", Channel.WOOCOMMERCE, context, order, kind, refund)
                .setOccurredAt(at)
                .setAmountMinor(amount)
                .setTaxMinor(tax)
                .setCurrency(currency)
                .setPsp(psp)
                .setPspReference(reference)
                .build();
    }

    /** WooCommerce's payment method ids, the common ones; others are OTHER. */
    static Psp psp(String method) {
        if (method == null) return Psp.OTHER;
        String m = method.toLowerCase(Locale.ROOT);
        if (m.contains("stripe") || m.equals("woocommerce_payments")) return Psp.STRIPE;
        if (m.contains("paypal") || m.startsWith("ppcp")) return Psp.PAYPAL;
        if (m.contains("amazon")) return Psp.AMAZON_PAY;
        if (m.contains("adyen")) return Psp.ADYEN;
        if (m.equals("bacs")) return Psp.BANK_TRANSFER;
        return Psp.OTHER;
    }

    private static Instant gmt(JsonNode o, String field, String where) throws RefusedFileException {
        String v = require(o, field, where);
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new RefusedFileException(
                    where + ": " + field + " \"" + v + "\" is not a date-time");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String abbreviate(JsonNode o) {
        String s = o.toString();
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
