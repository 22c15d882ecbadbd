package io.treso.connectors.prestashop;

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
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.flink.util.Preconditions;

/**
 * PrestaShop webservice orders, JSON output ({@code GET
 * /api/orders?display=full&output_format=JSON}: {@code {"orders": [...]}}). Shops customise their
 * order states, so {@code current_state} goes through a state table ({@code
 * state.<id>=PLACED|CAPTURED|CANCELLED|REFUNDED}, the stock install's by default), and {@code
 * id_currency} through its {@code currency.<id>} lines. Every order is PLACED at {@code date_add};
 * a paid, cancelled or refunded state adds that event at {@code date_upd} (the order does not date
 * its payment). Dates are the shop's local time ({@code --zone}); the PSP comes from the payment
 * {@code module}.
 */
public final class PrestaShopReader {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final PspContext context;
    private final Properties table;

    public PrestaShopReader(PspContext context, Properties table) {
        this.context = Preconditions.checkNotNull(context);
        this.table = Preconditions.checkNotNull(table);
        for (String k : table.stringPropertyNames()) {
            if (k.startsWith("state.")) OrderKind.valueOf(table.getProperty(k).trim());
        }
    }

    /** The stock install's state table. */
    public static Properties stockStates() {
        try (InputStream in = PrestaShopReader.class.getResourceAsStream("states.properties")) {
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shop's own table (a properties file like the stock one). */
    public static Properties states(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return p;
        }
    }

    public ParsedFile parse(Path file) throws IOException, RefusedFileException {
        JsonNode root = JsonFiles.read(file);
        JsonNode orders = root.get("orders");
        if (orders == null || !orders.isArray()) {
            throw new RefusedFileException(
                    "no \"orders\" array: not a PrestaShop webservice answer (output_format=JSON)");
        }
        List<OrderEvent> events = new ArrayList<>();
        for (JsonNode o : orders) events.addAll(order(o));
        if (events.isEmpty()) return ParsedFile.accepted(file, orders.size(), List.of());
        return ParsedFile.accepted(
                file,
                orders.size(),
                List.of(
                        new IngestBatch(
                                "PRESTASHOP ORDERS",
                                events,
                                orders.size() + " orders, " + events.size() + " order events")));
    }

    private List<OrderEvent> order(JsonNode o) throws RefusedFileException {
        String id = require(o, "id", "order");
        String where = "order " + id;
        String state = require(o, "current_state", where);
        String kind = table.getProperty("state." + state);
        if (kind == null) {
            throw new RefusedFileException(
                    where
                            + ": state "
                            + state
                            + " is not in the state table; add state."
                            + state
                            + "=PLACED|CAPTURED|CANCELLED|REFUNDED to it (--mapping FILE)");
        }
        String currencyId = require(o, "id_currency", where);
        String currency = table.getProperty("currency." + currencyId);
        if (currency == null) {
            throw new RefusedFileException(
                    where
                            + ": currency id "
                            + currencyId
                            + " is not in the state table; add currency."
                            + currencyId
                            + "=<ISO code> to it (--mapping FILE)");
        }
        currency = currency.trim();
        long total = MinorUnits.of(require(o, "total_paid_tax_incl", where), currency, where);
        Long tax = null;
        if (text(o, "total_paid_tax_excl") != null) {
            tax =
                    total
                            - MinorUnits.of(
                                    text(o, "total_paid_tax_excl"),
                                    currency,
                                    where + " total_paid_tax_excl");
        }
        Psp psp = psp(text(o, "module"));
        String reference = text(o, "reference");
        List<OrderEvent> out = new ArrayList<>();
        out.add(
                event(
                        id,
                        OrderKind.PLACED,
                        time(o, "date_add", where),
                        total,
                        tax,
                        currency,
                        psp,
                        reference));
        OrderKind k = OrderKind.valueOf(kind.trim());
        if (k != OrderKind.PLACED) {
            Instant updated = time(o, "date_upd", where);
            if (k == OrderKind.REFUNDED) {
                // A refunded order was paid first.
                out.add(
                        event(
                                id,
                                OrderKind.CAPTURED,
                                updated,
                                total,
                                tax,
                                currency,
                                psp,
                                reference));
            }
            out.add(event(id, k, updated, total, tax, currency, psp, reference));
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
            String reference) {
        return ShopOrders.event("prestashop", Channel.PRESTASHOP, context, order, kind, null)
                .setOccurredAt(at)
                .setAmountMinor(amount)
                .setTaxMinor(tax)
                .setCurrency(currency)
                .setPsp(psp)
                .setPspReference(reference)
                .build();
    }

    /** PrestaShop payment modules, the common ones; others are OTHER. */
    static Psp psp(String module) {
        if (module == null) return Psp.OTHER;
        String m = module.toLowerCase(Locale.ROOT);
        if (m.contains("stripe")) return Psp.STRIPE;
        if (m.contains("paypal") || m.equals("ps_checkout")) return Psp.PAYPAL;
        if (m.contains("adyen")) return Psp.ADYEN;
        if (m.contains("amazon")) return Psp.AMAZON_PAY;
        if (m.equals("ps_wirepayment")) return Psp.BANK_TRANSFER;
        return Psp.OTHER;
    }

    private Instant time(JsonNode o, String field, String where) throws RefusedFileException {
        String v = require(o, field, where);
        try {
            return LocalDateTime.parse(v, TIME).atZone(context.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new RefusedFileException(
                    where + ": " + field + " \"" + v + "\" is not a date-time");
        }
    }
}
