package io.treso.connectors.shopify;

import static io.treso.connectors.ingest.JsonFiles.require;
import static io.treso.connectors.ingest.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.JsonFiles;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.PspPayouts;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.connectors.ingest.ShopOrders;
import io.treso.connectors.ingest.SourceReader;
import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * Shopify Payments as the Admin REST API and webhooks give it: {@code payouts} (with their {@code
 * summary}), balance {@code transactions} (grouped by {@code payout_id} into the payout's lines),
 * and {@code orders/paid} and {@code refunds/create} webhook payloads as order events. Files of one
 * run are read together, so a payouts file and its transactions file may come apart.
 */
public final class ShopifyReader implements SourceReader {
    private final PspContext context;

    public ShopifyReader(PspContext context) {
        this.context = context;
    }

    @Override
    public List<ParsedFile> read(List<Path> files) throws IOException {
        Map<Path, JsonNode> docs = new LinkedHashMap<>();
        Map<Path, String> refused = new HashMap<>();
        Map<String, List<JsonNode>> transactions = new HashMap<>();
        Map<Path, Integer> transactionCounts = new HashMap<>();
        for (Path f : files) {
            try {
                JsonNode doc = JsonFiles.read(f);
                docs.put(f, doc);
                if (doc.has("transactions") && !doc.has("order_id")) {
                    int n = 0;
                    for (JsonNode t : doc.get("transactions")) {
                        String payout =
                                require(t, "payout_id", "balance transaction " + text(t, "id"));
                        transactions.computeIfAbsent(payout, k -> new ArrayList<>()).add(t);
                        n++;
                    }
                    transactionCounts.put(f, n);
                }
            } catch (RefusedFileException e) {
                refused.put(f, e.getMessage());
            }
        }
        Map<String, Path> payoutsRead = new HashMap<>();
        List<ParsedFile> out = new ArrayList<>();
        for (Path f : files) {
            if (refused.containsKey(f)) {
                out.add(ParsedFile.refused(f, refused.get(f)));
                continue;
            }
            JsonNode doc = docs.get(f);
            if (transactionCounts.containsKey(f)) {
                continue; // reported after the payouts, once we know they were all given
            }
            try {
                List<SpecificRecord> events = new ArrayList<>();
                int read = 0;
                for (JsonNode node : items(doc)) {
                    read++;
                    if (node.has("summary") || (node.has("amount") && node.has("date"))) {
                        PayoutEvent p = payout(node, transactions);
                        payoutsRead.put(p.getPayoutId(), f);
                        events.add(p);
                    } else if (node.has("refund_line_items") || node.has("order_id")) {
                        OrderEvent refund = refund(node);
                        if (refund != null) events.add(refund);
                    } else if (node.has("financial_status") || node.has("total_price")) {
                        events.add(order(node));
                    } else {
                        throw new RefusedFileException(
                                "item "
                                        + read
                                        + " is neither a payout, a balance transaction list, an order nor a refund");
                    }
                }
                out.add(
                        ParsedFile.accepted(
                                f,
                                read,
                                events.isEmpty()
                                        ? List.of()
                                        : List.of(
                                                new IngestBatch(
                                                        "shopify " + f.getFileName(),
                                                        events,
                                                        identityNote(events)))));
            } catch (RefusedFileException e) {
                out.add(ParsedFile.refused(f, e.getMessage()));
            }
        }
        for (Map.Entry<Path, Integer> e : transactionCounts.entrySet()) {
            TreeSet<String> orphans = new TreeSet<>();
            for (JsonNode t : docs.get(e.getKey()).get("transactions")) {
                String payout = text(t, "payout_id");
                if (!payoutsRead.containsKey(payout)) orphans.add(payout);
            }
            out.add(
                    orphans.isEmpty()
                            ? ParsedFile.accepted(e.getKey(), e.getValue(), List.of())
                            : ParsedFile.refused(
                                    e.getKey(),
                                    "balance transactions of payouts "
                                            + orphans
                                            + " but no such payout was given; pass the payouts file too"));
        }
        return out;
    }

    /** The webhook topics {@link #webhook} reads. */
    public static final java.util.Set<String> WEBHOOK_TOPICS =
            java.util.Set.of("orders/paid", "refunds/create");

    /**
     * One webhook's payload as events: {@code orders/paid} is the order CAPTURED; {@code
     * refunds/create} is REFUNDED by the money it returned, nothing when none moved (a restock).
     */
    public List<OrderEvent> webhook(String topic, JsonNode payload) throws RefusedFileException {
        return switch (topic) {
            case "orders/paid" -> List.of(order(payload));
            case "refunds/create" -> {
                OrderEvent refund = refund(payload);
                yield refund == null ? List.of() : List.of(refund);
            }
            default ->
                    throw new IllegalArgumentException("not a webhook topic read here: " + topic);
        };
    }

    private static String identityNote(List<SpecificRecord> events) {
        long payouts = events.stream().filter(e -> e instanceof PayoutEvent).count();
        return payouts == 0
                ? (events.size() + " order events")
                : payouts + " payouts: gross - fees - refunds + adjustments = net on each";
    }

    /** A single object, a wrapper ({"payouts": [...]}, {"order": {...}}), or an array. */
    private static List<JsonNode> items(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        if (doc.isArray()) {
            doc.forEach(out::add);
            return out;
        }
        for (String wrapper : List.of("payouts", "orders", "refunds")) {
            if (doc.has(wrapper) && doc.get(wrapper).isArray()) {
                doc.get(wrapper).forEach(out::add);
                return out;
            }
        }
        for (String wrapper : List.of("payout", "order", "refund")) {
            if (doc.has(wrapper) && doc.get(wrapper).isObject()) {
                out.add(doc.get(wrapper));
                return out;
            }
        }
        out.add(doc);
        return out;
    }

    private PayoutEvent payout(JsonNode p, Map<String, List<JsonNode>> transactions)
            throws RefusedFileException {
        String id = require(p, "id", "a payout");
        String where = "payout " + id;
        String currency = require(p, "currency", where).toUpperCase(Locale.ROOT);
        long net = MinorUnits.of(require(p, "amount", where), currency, where);
        LocalDate date = LocalDate.parse(require(p, "date", where));
        PayoutStatus status = status(require(p, "status", where), where);
        List<PayoutLine> lines = new ArrayList<>();
        for (JsonNode t : transactions.getOrDefault(id, List.of())) {
            PayoutLine line = line(t, currency);
            if (line != null) lines.add(line);
        }
        PspPayouts.Totals totals;
        JsonNode summary = p.get("summary");
        if (summary != null && summary.isObject()) {
            long fee = 0;
            long adjustment = 0;
            Iterator<String> names = summary.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.endsWith("_fee_amount") || name.endsWith("_fees")) {
                    fee += summaryAmount(summary, name, currency, where);
                } else if ((name.endsWith("_gross_amount") || name.endsWith("_gross"))
                        && !name.startsWith("charges_")
                        && !name.startsWith("refunds_")) {
                    adjustment += summaryAmount(summary, name, currency, where);
                }
            }
            totals =
                    new PspPayouts.Totals(
                            summaryAmount(summary, "charges_gross_amount", currency, where),
                            fee,
                            -summaryAmount(summary, "refunds_gross_amount", currency, where),
                            adjustment);
        } else if (!lines.isEmpty()) {
            totals = PspPayouts.Totals.ofLines(lines);
        } else {
            totals = new PspPayouts.Totals(net, 0, 0, 0);
        }
        totals.requireNet(net, currency, where);
        return PspPayouts.event(
                Psp.SHOPIFY_PAYMENTS,
                id,
                status,
                date.atStartOfDay(context.zone()).toInstant(),
                totals,
                net,
                currency,
                date,
                context,
                null,
                lines);
    }

    /** A balance transaction as a payout line; the payout's own transaction is no line. */
    private static PayoutLine line(JsonNode t, String payoutCurrency) throws RefusedFileException {
        String id = require(t, "id", "a balance transaction");
        String where = "balance transaction " + id;
        String type = text(t, "type") != null ? text(t, "type") : text(t, "source_type");
        if (type == null) throw new RefusedFileException(where + ": no type");
        type = type.toLowerCase(Locale.ROOT);
        if (type.startsWith("payout")) return null;
        PayoutLineType lineType =
                switch (type) {
                    case "charge" -> PayoutLineType.CHARGE;
                    case "refund" -> PayoutLineType.REFUND;
                    case "dispute" -> PayoutLineType.DISPUTE;
                    default -> PayoutLineType.ADJUSTMENT;
                };
        String currency = require(t, "currency", where).toUpperCase(Locale.ROOT);
        long amount = MinorUnits.of(require(t, "amount", where), currency, where);
        long fee = MinorUnits.of(text(t, "fee") == null ? "0" : text(t, "fee"), currency, where);
        long net = MinorUnits.of(require(t, "net", where), currency, where);
        PspPayouts.requireLine(amount, fee, net, currency, payoutCurrency, where);
        return PayoutLine.newBuilder()
                .setSourceId(id)
                .setType(lineType)
                .setOrderId(text(t, "source_order_id"))
                .setAmountMinor(amount)
                .setFeeMinor(fee)
                .setNetMinor(net)
                .setCurrency(currency)
                .setExchangeRate(null)
                .build();
    }

    private OrderEvent order(JsonNode o) throws RefusedFileException {
        String id = require(o, "id", "an order");
        String where = "order " + id;
        String currency = require(o, "currency", where).toUpperCase(Locale.ROOT);
        String paid =
                text(o, "processed_at") != null ? text(o, "processed_at") : text(o, "created_at");
        return ShopOrders.event("shopify", Channel.SHOPIFY, context, id, OrderKind.CAPTURED, null)
                .setOccurredAt(instant(paid, where))
                .setAmountMinor(MinorUnits.of(require(o, "total_price", where), currency, where))
                .setTaxMinor(
                        text(o, "total_tax") == null
                                ? null
                                : MinorUnits.of(text(o, "total_tax"), currency, where))
                .setCurrency(currency)
                .setPsp(gateway(o))
                .setPspReference(null)
                .build();
    }

    /** The money a refund returned: its successful refund transactions; null when none. */
    private OrderEvent refund(JsonNode r) throws RefusedFileException {
        String id = require(r, "id", "a refund");
        String where = "refund " + id;
        String order = require(r, "order_id", where);
        long amount = 0;
        String currency = null;
        String gateway = null;
        for (JsonNode t : r.path("transactions")) {
            if (!"refund".equals(text(t, "kind")) || !"success".equals(text(t, "status"))) continue;
            currency = require(t, "currency", where).toUpperCase(Locale.ROOT);
            amount += MinorUnits.of(require(t, "amount", where), currency, where);
            gateway = text(t, "gateway");
        }
        if (currency == null) return null; // a restock without money moving
        String at =
                text(r, "processed_at") != null ? text(r, "processed_at") : text(r, "created_at");
        return ShopOrders.event("shopify", Channel.SHOPIFY, context, order, OrderKind.REFUNDED, id)
                .setOccurredAt(instant(at, where))
                .setAmountMinor(amount)
                .setTaxMinor(null)
                .setCurrency(currency)
                .setPsp(psp(gateway))
                .setPspReference(id)
                .build();
    }

    private static Psp gateway(JsonNode o) {
        String g = text(o, "gateway");
        if (g == null && o.path("payment_gateway_names").size() > 0) {
            g = o.path("payment_gateway_names").get(0).asText();
        }
        return psp(g);
    }

    private static Psp psp(String gateway) {
        if (gateway == null) return Psp.OTHER;
        return switch (gateway.toLowerCase(Locale.ROOT)) {
            case "shopify_payments" -> Psp.SHOPIFY_PAYMENTS;
            case "paypal" -> Psp.PAYPAL;
            case "stripe" -> Psp.STRIPE;
            case "amazon_payments", "amazon_pay" -> Psp.AMAZON_PAY;
            case "bank_deposit", "manual" -> Psp.BANK_TRANSFER;
            default -> Psp.OTHER;
        };
    }

    private static PayoutStatus status(String s, String where) throws RefusedFileException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "scheduled" -> PayoutStatus.SCHEDULED;
            case "in_transit" -> PayoutStatus.IN_TRANSIT;
            case "paid" -> PayoutStatus.PAID;
            case "failed" -> PayoutStatus.FAILED;
            case "canceled", "cancelled" -> PayoutStatus.CANCELLED;
            default -> throw new RefusedFileException(where + ": status \"" + s + "\"");
        };
    }

    private static long summaryAmount(JsonNode summary, String field, String currency, String where)
            throws RefusedFileException {
        String v = text(summary, field);
        return v == null ? 0 : MinorUnits.of(v, currency, where + " " + field);
    }

    private static Instant instant(String s, String where) throws RefusedFileException {
        if (s == null) throw new RefusedFileException(where + ": no time");
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new RefusedFileException(where + ": \"" + s + "\" is not an ISO date-time");
        }
    }
}
