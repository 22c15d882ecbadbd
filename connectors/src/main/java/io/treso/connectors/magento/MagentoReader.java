package io.treso.connectors.magento;

import static io.treso.connectors.ingest.JsonFiles.require;
import static io.treso.connectors.ingest.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.JsonFiles;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.connectors.ingest.ShopOrders;
import io.treso.connectors.ingest.SourceReader;
import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.Psp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.Preconditions;

/**
 * Magento 2 (Adobe Commerce) REST search results ({@code {"items": [...], "total_count": n}}) of
 * {@code /V1/orders}, {@code /V1/invoices} and {@code /V1/creditmemos}, given together: an order is
 * PLACED when created and CANCELLED when its state is {@code canceled}; an invoice is the order's
 * capture (CAPTURED, its {@code grand_total}, when created); a credit memo a refund. Invoices and
 * credit memos name their order by its entity id, so their order must be among the orders given:
 * events carry the order number customers see ({@code increment_id}). Times are Magento's UTC
 * {@code created_at}; the PSP comes from the order's {@code payment.method}.
 */
public final class MagentoReader implements SourceReader {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final PspContext context;

    public MagentoReader(PspContext context) {
        this.context = Preconditions.checkNotNull(context);
    }

    private record Order(String number, String currency, Psp psp, String reference) {}

    @Override
    public List<ParsedFile> read(List<Path> files) throws IOException {
        Map<Path, JsonNode> items = new LinkedHashMap<>();
        Map<Path, String> refused = new HashMap<>();
        Map<String, Order> orders = new HashMap<>();
        for (Path f : files) {
            try {
                JsonNode root = JsonFiles.read(f);
                JsonNode list = root.get("items");
                if (list == null || !list.isArray()) {
                    throw new RefusedFileException(
                            "no \"items\" array: not a Magento REST search result");
                }
                items.put(f, list);
                for (JsonNode o : list) {
                    if (isOrder(o)) orders.put(require(o, "entity_id", "order"), order(o));
                }
            } catch (RefusedFileException e) {
                refused.put(f, e.getMessage());
            }
        }
        List<ParsedFile> out = new ArrayList<>();
        for (Path f : files) {
            if (refused.containsKey(f)) {
                out.add(ParsedFile.refused(f, refused.get(f)));
                continue;
            }
            try {
                List<OrderEvent> events = new ArrayList<>();
                for (JsonNode item : items.get(f)) events.addAll(events(item, orders));
                out.add(
                        ParsedFile.accepted(
                                f,
                                items.get(f).size(),
                                events.isEmpty()
                                        ? List.of()
                                        : List.of(
                                                new IngestBatch(
                                                        "MAGENTO " + f.getFileName(),
                                                        events,
                                                        items.get(f).size()
                                                                + " items, "
                                                                + events.size()
                                                                + " order events"))));
            } catch (RefusedFileException e) {
                out.add(ParsedFile.refused(f, e.getMessage()));
            }
        }
        return out;
    }

    /** Orders carry a state and a payment; invoices and credit memos an order_id. */
    private static boolean isOrder(JsonNode item) {
        return item.has("state") && item.has("payment") && !item.has("order_id");
    }

    private static Order order(JsonNode o) throws RefusedFileException {
        String where = "order " + text(o, "increment_id");
        JsonNode payment = o.get("payment");
        String method = payment == null ? null : text(payment, "method");
        String reference = payment == null ? null : text(payment, "last_trans_id");
        return new Order(
                require(o, "increment_id", where),
                require(o, "order_currency_code", where),
                psp(method),
                reference == null || reference.isBlank() ? null : reference);
    }

    private List<OrderEvent> events(JsonNode item, Map<String, Order> orders)
            throws RefusedFileException {
        List<OrderEvent> out = new ArrayList<>();
        if (isOrder(item)) {
            Order o = orders.get(require(item, "entity_id", "order"));
            String where = "order " + o.number();
            long total = money(item, "grand_total", o.currency(), where);
            Long tax =
                    item.has("tax_amount") ? money(item, "tax_amount", o.currency(), where) : null;
            out.add(event(o, OrderKind.PLACED, time(item, "created_at", where), total, tax, null));
            if ("canceled".equals(text(item, "state"))) {
                out.add(
                        event(
                                o,
                                OrderKind.CANCELLED,
                                time(item, "updated_at", where),
                                total,
                                tax,
                                null));
            }
            return out;
        }
        String orderId = text(item, "order_id");
        String document = require(item, "increment_id", "document");
        Order o = orders.get(orderId);
        if (o == null) {
            throw new RefusedFileException(
                    "invoice or credit memo "
                            + document
                            + " names order entity "
                            + orderId
                            + ", which no orders file given here holds: give the orders too");
        }
        // Credit memos carry adjustment fields that invoices lack.
        boolean memo =
                item.has("adjustment_positive")
                        || item.has("adjustment_negative")
                        || item.has("creditmemo_status");
        String where = (memo ? "credit memo " : "invoice ") + document;
        long total = money(item, "grand_total", o.currency(), where);
        Long tax = item.has("tax_amount") ? money(item, "tax_amount", o.currency(), where) : null;
        out.add(
                event(
                        o,
                        memo ? OrderKind.REFUNDED : OrderKind.CAPTURED,
                        time(item, "created_at", where),
                        total,
                        tax,
                        document));
        return out;
    }

    private OrderEvent event(
            Order o, OrderKind kind, Instant at, long amount, Long tax, String document) {
        return ShopOrders.event("magento", Channel.MAGENTO, context, o.number(), kind, document)
                .setOccurredAt(at)
                .setAmountMinor(amount)
                .setTaxMinor(tax)
                .setCurrency(o.currency())
                .setPsp(o.psp())
                .setPspReference(o.reference())
                .build();
    }

    /** Magento's payment method codes, the common ones; others are OTHER. */
    static Psp psp(String method) {
        if (method == null) return Psp.OTHER;
        String m = method.toLowerCase(Locale.ROOT);
        if (m.contains("stripe")) return Psp.STRIPE;
        if (m.contains("paypal") || m.contains("braintree_paypal")) return Psp.PAYPAL;
        if (m.contains("adyen")) return Psp.ADYEN;
        if (m.contains("amazon")) return Psp.AMAZON_PAY;
        if (m.equals("banktransfer")) return Psp.BANK_TRANSFER;
        return Psp.OTHER;
    }

    private static long money(JsonNode item, String field, String currency, String where)
            throws RefusedFileException {
        return JsonFiles.money(item.get(field), currency, where + " " + field);
    }

    private static Instant time(JsonNode item, String field, String where)
            throws RefusedFileException {
        String v = require(item, field, where);
        try {
            return LocalDateTime.parse(v, TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new RefusedFileException(
                    where + ": " + field + " \"" + v + "\" is not a date-time");
        }
    }
}
