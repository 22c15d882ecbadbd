package io.treso.connectors.stripe;

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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Stripe {@code payout} objects and {@code balance_transaction} lists as the API returns them.
 * Amounts are already minor units and dates Unix seconds (UTC). A balance-transaction list is tied
 * to its payout by the payout's own transaction in it ({@code type: payout}, {@code source:
 * po_...}), which {@code GET /v1/balance_transactions?payout=po_...} includes; its other
 * transactions become the payout's lines, and their nets must add up to the payout amount.
 */
public final class StripeReader implements SourceReader {
    /** The charge metadata key shops write their order id under (WooCommerce, custom code). */
    public static final String DEFAULT_ORDER_KEY = "order_id";

    private final PspContext context;
    private final String orderKey;
    private final Channel channel;
    private final Map<String, String> orderOf = new HashMap<>();

    public StripeReader(PspContext context) {
        this(context, DEFAULT_ORDER_KEY);
    }

    /**
     * {@code orderKey} names the charge metadata that holds the shop's order id: given a charges
     * list too, payout lines of charges and of their refunds name their order.
     */
    public StripeReader(PspContext context, String orderKey) {
        this(context, orderKey, Channel.OTHER);
    }

    /** The same; {@code channel} is the shop's, for the refunds of its charges' webhooks. */
    public StripeReader(PspContext context, String orderKey, Channel channel) {
        this.context = context;
        this.orderKey = orderKey;
        this.channel = channel;
    }

    @Override
    public List<ParsedFile> read(List<Path> files) throws IOException {
        orderOf.clear();
        Map<Path, List<JsonNode>> payouts = new LinkedHashMap<>();
        Map<Path, String> listFor = new HashMap<>();
        Map<String, List<JsonNode>> linesByPayout = new HashMap<>();
        Map<Path, Integer> counts = new HashMap<>();
        List<ParsedFile> out = new ArrayList<>();
        for (Path f : files) {
            try {
                List<JsonNode> items = items(JsonFiles.read(f));
                counts.put(f, items.size());
                String kind = text(items.get(0), "object");
                if ("payout".equals(kind)) {
                    payouts.put(f, items);
                } else if ("charge".equals(kind)) {
                    // Publishes nothing itself: it names the orders of the payouts' lines.
                    charges(items);
                    out.add(ParsedFile.accepted(f, items.size(), List.of()));
                } else if ("balance_transaction".equals(kind)) {
                    String payout = payoutOf(items);
                    listFor.put(f, payout);
                    linesByPayout.put(payout, items);
                } else {
                    throw new RefusedFileException(
                            "\"object\": \""
                                    + kind
                                    + "\" is not a payout, balance_transaction or charge");
                }
            } catch (RefusedFileException e) {
                out.add(ParsedFile.refused(f, e.getMessage()));
            }
        }
        Map<String, Path> payoutsRead = new HashMap<>();
        for (Map.Entry<Path, List<JsonNode>> e : payouts.entrySet()) {
            try {
                List<SpecificRecord> events = new ArrayList<>();
                for (JsonNode p : e.getValue()) {
                    PayoutEvent event = payout(p, linesByPayout);
                    payoutsRead.put(event.getPayoutId(), e.getKey());
                    events.add(event);
                }
                out.add(
                        ParsedFile.accepted(
                                e.getKey(),
                                e.getValue().size(),
                                List.of(
                                        new IngestBatch(
                                                "stripe " + e.getKey().getFileName(),
                                                events,
                                                events.size()
                                                        + " payouts: their balance transactions net to the payout amount"))));
            } catch (RefusedFileException ex) {
                out.add(ParsedFile.refused(e.getKey(), ex.getMessage()));
            }
        }
        for (Map.Entry<Path, String> e : listFor.entrySet()) {
            out.add(
                    payoutsRead.containsKey(e.getValue())
                            ? ParsedFile.accepted(e.getKey(), counts.get(e.getKey()), List.of())
                            : ParsedFile.refused(
                                    e.getKey(),
                                    "balance transactions of payout "
                                            + e.getValue()
                                            + ", which no payout file given has"));
        }
        return out;
    }

    /**
     * Whether {@link #webhook} reads events of this type: every {@code payout.*} one, and refunds.
     */
    public static boolean readsWebhook(String type) {
        return type.startsWith("payout.") || type.equals("charge.refunded");
    }

    /**
     * One Stripe event (the body of a webhook): a {@code payout.*} event is its payout at its
     * status, without lines (the event carries none); {@code charge.refunded} is the order
     * REFUNDED, by each listed refund or, when the charge lists none (API versions since
     * 2022-11-15), by what the event added to {@code amount_refunded}.
     */
    public List<SpecificRecord> webhook(JsonNode event) throws RefusedFileException {
        String id = require(event, "id", "a Stripe event");
        String type = require(event, "type", "event " + id);
        JsonNode object = event.path("data").path("object");
        if (!object.isObject()) throw new RefusedFileException("event " + id + ": no data.object");
        if (type.startsWith("payout.")) return List.of(payout(object, Map.of()));
        if (type.equals("charge.refunded")) return new ArrayList<>(refunds(event, object));
        throw new IllegalArgumentException("not an event type read here: " + type);
    }

    private List<OrderEvent> refunds(JsonNode event, JsonNode charge) throws RefusedFileException {
        String chargeId = require(charge, "id", "a charge");
        String where = "charge " + chargeId;
        String order = text(charge.path("metadata"), orderKey);
        if (order == null || order.isBlank()) {
            throw new RefusedFileException(
                    where
                            + ": no metadata."
                            + orderKey
                            + " names its order (set the key the shop writes its order id under)");
        }
        String currency = require(charge, "currency", where).toUpperCase(Locale.ROOT);
        MinorUnits.digits(currency);
        List<OrderEvent> out = new ArrayList<>();
        JsonNode listed = charge.path("refunds").path("data");
        if (listed.isArray() && !listed.isEmpty()) {
            for (JsonNode r : listed) {
                String refund = require(r, "id", where + " refund");
                if (!"succeeded".equals(text(r, "status"))) continue; // no money moved yet
                out.add(
                        refund(
                                order,
                                refund,
                                minor(r, "amount", "refund " + refund),
                                currency,
                                seconds(r, "created", "refund " + refund),
                                refund));
            }
            return out;
        }
        JsonNode previous = event.path("data").path("previous_attributes");
        if (!previous.has("amount_refunded")) {
            throw new RefusedFileException(
                    where
                            + ": cannot tell what this event refunded: the charge lists no refunds and the event has no previous_attributes.amount_refunded");
        }
        long now = minor(charge, "amount_refunded", where);
        long before = minor(previous, "amount_refunded", where + " previous_attributes");
        if (now <= before) return out;
        // Each step of amount_refunded is one refund: its id holds the running total it reached.
        out.add(
                refund(
                        order,
                        chargeId + ":" + now,
                        now - before,
                        currency,
                        seconds(event, "created", where),
                        chargeId));
        return out;
    }

    private OrderEvent refund(
            String order, String id, long amount, String currency, Instant at, String reference) {
        return ShopOrders.event("stripe", channel, context, order, OrderKind.REFUNDED, id)
                .setOccurredAt(at)
                .setAmountMinor(amount)
                .setTaxMinor(null)
                .setCurrency(currency)
                .setPsp(Psp.STRIPE)
                .setPspReference(reference)
                .build();
    }

    private static Instant seconds(JsonNode node, String field, String where)
            throws RefusedFileException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new RefusedFileException(where + ": \"" + field + "\" is not Unix seconds");
        }
        return Instant.ofEpochSecond(v.asLong());
    }

    /** Learns which order each charge, and each refund listed on it, belongs to. */
    private void charges(List<JsonNode> charges) throws RefusedFileException {
        for (JsonNode c : charges) {
            String id = require(c, "id", "a charge");
            String order = text(c.path("metadata"), orderKey);
            if (order == null || order.isBlank()) continue;
            orderOf.put(id, order);
            for (JsonNode r : c.path("refunds").path("data")) {
                if (text(r, "id") != null) orderOf.put(text(r, "id"), order);
            }
        }
    }

    private static List<JsonNode> items(JsonNode doc) throws RefusedFileException {
        List<JsonNode> out = new ArrayList<>();
        if ("list".equals(text(doc, "object"))) {
            doc.path("data").forEach(out::add);
        } else if (doc.isArray()) {
            doc.forEach(out::add);
        } else {
            out.add(doc);
        }
        if (out.isEmpty()) throw new RefusedFileException("an empty list");
        return out;
    }

    private static String payoutOf(List<JsonNode> transactions) throws RefusedFileException {
        String payout = null;
        for (JsonNode t : transactions) {
            if ("payout".equals(text(t, "type"))) {
                if (payout != null) {
                    throw new RefusedFileException(
                            "the list holds several payouts' transactions; export one list per payout");
                }
                payout = require(t, "source", "payout transaction " + text(t, "id"));
            }
        }
        if (payout == null) {
            throw new RefusedFileException(
                    "cannot tell which payout these balance transactions settle: export them with"
                            + " GET /v1/balance_transactions?payout=po_..., which includes the payout's own transaction");
        }
        return payout;
    }

    private PayoutEvent payout(JsonNode p, Map<String, List<JsonNode>> linesByPayout)
            throws RefusedFileException {
        String id = require(p, "id", "a payout");
        String where = "payout " + id;
        String currency = require(p, "currency", where).toUpperCase(Locale.ROOT);
        MinorUnits.digits(currency);
        long net = minor(p, "amount", where);
        PayoutStatus status = status(require(p, "status", where), where);
        LocalDate arrival =
                LocalDate.ofInstant(
                        Instant.ofEpochSecond(Long.parseLong(require(p, "arrival_date", where))),
                        ZoneOffset.UTC);
        Instant created = Instant.ofEpochSecond(Long.parseLong(require(p, "created", where)));
        List<PayoutLine> lines = new ArrayList<>();
        PspPayouts.Totals totals;
        List<JsonNode> transactions = linesByPayout.get(id);
        if (transactions == null) {
            totals = new PspPayouts.Totals(net, 0, 0, 0);
        } else {
            for (JsonNode t : transactions) {
                if (!"payout".equals(text(t, "type"))) lines.add(line(t, currency));
            }
            long nets = lines.stream().mapToLong(PayoutLine::getNetMinor).sum();
            if (nets != net) {
                throw new RefusedFileException(
                        where
                                + ": its balance transactions net to "
                                + MinorUnits.format(nets, currency)
                                + ", the payout is "
                                + MinorUnits.format(net, currency));
            }
            totals = PspPayouts.Totals.ofLines(lines);
        }
        totals.requireNet(net, currency, where);
        // The money reaches the bank on arrival_date; before that the status dates from creation.
        Instant at =
                status == PayoutStatus.PAID
                        ? arrival.atStartOfDay(ZoneOffset.UTC).toInstant()
                        : created;
        return PspPayouts.event(
                Psp.STRIPE,
                id,
                status,
                at,
                totals,
                net,
                currency,
                arrival,
                context,
                text(p, "statement_descriptor"),
                lines);
    }

    private PayoutLine line(JsonNode t, String payoutCurrency) throws RefusedFileException {
        String id = require(t, "id", "a balance transaction");
        String where = "balance transaction " + id;
        String currency = require(t, "currency", where).toUpperCase(Locale.ROOT);
        long amount = minor(t, "amount", where);
        long fee = t.hasNonNull("fee") ? minor(t, "fee", where) : 0;
        long net = minor(t, "net", where);
        PspPayouts.requireLine(amount, fee, net, currency, payoutCurrency, where);
        String category =
                text(t, "reporting_category") != null
                        ? text(t, "reporting_category")
                        : text(t, "type");
        PayoutLineType type =
                switch (category == null ? "" : category) {
                    case "charge", "payment" -> PayoutLineType.CHARGE;
                    case "refund", "payment_refund", "refund_failure" -> PayoutLineType.REFUND;
                    case "dispute", "dispute_reversal" -> PayoutLineType.DISPUTE;
                    case "fee", "stripe_fee", "application_fee" -> PayoutLineType.FEE;
                    default -> PayoutLineType.ADJUSTMENT;
                };
        String source = text(t, "source");
        return PayoutLine.newBuilder()
                .setSourceId(source != null ? source : id)
                .setType(type)
                .setOrderId(source == null ? null : orderOf.get(source))
                .setAmountMinor(amount)
                .setFeeMinor(fee)
                .setNetMinor(net)
                .setCurrency(currency)
                .setExchangeRate(null)
                .build();
    }

    /** Stripe amounts are integers of the currency's smallest unit. */
    private static long minor(JsonNode node, String field, String where)
            throws RefusedFileException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new RefusedFileException(
                    where + ": \"" + field + "\" is not an integer amount in minor units");
        }
        return v.asLong();
    }

    private static PayoutStatus status(String s, String where) throws RefusedFileException {
        return switch (s) {
            case "pending" -> PayoutStatus.SCHEDULED;
            case "in_transit" -> PayoutStatus.IN_TRANSIT;
            case "paid" -> PayoutStatus.PAID;
            case "failed" -> PayoutStatus.FAILED;
            case "canceled" -> PayoutStatus.CANCELLED;
            default -> throw new RefusedFileException(where + ": status \"" + s + "\"");
        };
    }
}
