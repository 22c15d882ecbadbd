package io.treso.connectors.amazon;

import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.PspPayouts;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.flink.util.Preconditions;

/**
 * Amazon's settlement report, flat file V2 (tab-separated): one settlement, its summary row ({@code
 * settlement-id}, start and end, {@code deposit-date}, {@code total-amount}, {@code currency}) and
 * one row per amount of each transaction. A settlement becomes an IN_TRANSIT {@link PayoutEvent}
 * due on its deposit date, with a line per order (principal and the like as a charge, Amazon's fees
 * on it as its fee), per refund (refunded fees netted on it), per service fee, and per other amount
 * (reserve held or released, adjustments). The rows must add up to {@code total-amount} to the
 * cent, or the file is refused.
 *
 * <p>Variants: dates as {@code 2026-03-02 07:15:21 UTC}, {@code 02.03.2026 07:15:21 UTC} (European
 * marketplaces) or ISO with an offset; amounts with a decimal point or comma; {@code posted-date}
 * or {@code posted-date-time}; optional columns absent.
 */
public final class AmazonSettlementReader {
    /** Date-times with a zone name ("UTC", "PST"); without one they are in --zone. */
    private static final List<DateTimeFormatter> ZONED =
            List.of(
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z"),
                    DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss z"));

    private static final List<DateTimeFormatter> LOCAL =
            List.of(
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"),
                    DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss"));
    private static final List<String> REQUIRED =
            List.of(
                    "settlement-id",
                    "settlement-end-date",
                    "deposit-date",
                    "total-amount",
                    "currency",
                    "transaction-type",
                    "order-id",
                    "amount-type",
                    "amount-description",
                    "amount");

    private final PspContext context;
    private final Psp psp;

    public AmazonSettlementReader(PspContext context, Psp psp) {
        this.context = Preconditions.checkNotNull(context);
        this.psp = Preconditions.checkNotNull(psp);
    }

    public ParsedFile parse(Path file) throws IOException, RefusedFileException {
        Map<String, Settlement> settlements = new LinkedHashMap<>();
        int rows = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser csv =
                        CSVFormat.TDF
                                .builder()
                                .setHeader()
                                .setSkipHeaderRecord(true)
                                .setQuote(null)
                                .setTrim(true)
                                .build()
                                .parse(in)) {
            for (String column : REQUIRED) {
                if (!csv.getHeaderMap().containsKey(column)) {
                    throw new RefusedFileException(
                            "no column \""
                                    + column
                                    + "\": not an Amazon settlement report (flat file V2)");
                }
            }
            for (CSVRecord r : csv) {
                rows++;
                String id = get(r, "settlement-id");
                if (id == null) {
                    throw new RefusedFileException("row " + (rows + 1) + " has no settlement-id");
                }
                Settlement s = settlements.computeIfAbsent(id, Settlement::new);
                if (get(r, "transaction-type") == null && get(r, "total-amount") != null) {
                    s.summary(r, rows + 1);
                } else {
                    s.rows.add(r);
                }
            }
        }
        if (settlements.isEmpty()) throw new RefusedFileException("no settlement in the file");
        List<IngestBatch> batches = new ArrayList<>();
        for (Settlement s : settlements.values()) batches.add(s.batch());
        return ParsedFile.accepted(file, rows, batches);
    }

    private static String get(CSVRecord r, String column) {
        if (!r.isMapped(column) || !r.isSet(column)) return null;
        String v = r.get(column).trim();
        return v.isEmpty() ? null : v;
    }

    private final class Settlement {
        final String id;
        final List<CSVRecord> rows = new ArrayList<>();
        String currency;
        long total;
        Instant end;
        LocalDate deposit;
        boolean summarised;

        Settlement(String id) {
            this.id = id;
        }

        void summary(CSVRecord r, long row) throws RefusedFileException {
            String where = "settlement " + id + " (row " + row + ")";
            currency = get(r, "currency");
            if (currency == null) throw new RefusedFileException(where + ": no currency");
            total = amount(get(r, "total-amount"), currency, where + " total-amount");
            end = instant(get(r, "settlement-end-date"), where + " settlement-end-date");
            deposit =
                    LocalDate.ofInstant(
                            instant(get(r, "deposit-date"), where + " deposit-date"),
                            context.zone());
            summarised = true;
        }

        IngestBatch batch() throws RefusedFileException {
            String where = "settlement " + id;
            if (!summarised) {
                throw new RefusedFileException(
                        where + " has no summary row (total-amount, deposit-date)");
            }
            Map<String, long[]> orders = new LinkedHashMap<>();
            Map<String, long[]> refunds = new LinkedHashMap<>();
            List<PayoutLine> others = new ArrayList<>();
            long sum = 0;
            int row = 0;
            for (CSVRecord r : rows) {
                row++;
                String what = where + " row " + (r.getRecordNumber() + 1);
                String type = get(r, "transaction-type");
                String amountType = get(r, "amount-type");
                String description = get(r, "amount-description");
                String orderId = get(r, "order-id");
                long amount = amount(get(r, "amount"), currency, what);
                sum = Math.addExact(sum, amount);
                boolean fee = "ItemFees".equals(amountType);
                if ("Order".equals(type) && orderId != null) {
                    long[] a = orders.computeIfAbsent(orderId, k -> new long[2]);
                    if (fee) a[1] = Math.subtractExact(a[1], amount);
                    else a[0] = Math.addExact(a[0], amount);
                } else if ("Refund".equals(type) && orderId != null) {
                    long[] a = refunds.computeIfAbsent(orderId, k -> new long[2]);
                    if (fee) a[1] = Math.subtractExact(a[1], amount);
                    else a[0] = Math.addExact(a[0], amount);
                } else {
                    PayoutLineType lineType =
                            "ServiceFee".equals(type) || fee
                                    ? PayoutLineType.FEE
                                    : type != null && type.startsWith("Chargeback")
                                            ? PayoutLineType.DISPUTE
                                            : PayoutLineType.ADJUSTMENT;
                    others.add(
                            line(
                                    id
                                            + ":"
                                            + row
                                            + ":"
                                            + (description == null ? type : description),
                                    lineType,
                                    orderId,
                                    amount,
                                    0));
                }
            }
            if (sum != total) {
                throw new RefusedFileException(
                        where
                                + ": its rows sum to "
                                + MinorUnits.format(sum, currency)
                                + " but total-amount is "
                                + MinorUnits.format(total, currency)
                                + " (gap "
                                + MinorUnits.format(total - sum, currency)
                                + ")");
            }
            List<PayoutLine> lines = new ArrayList<>();
            orders.forEach(
                    (o, a) ->
                            lines.add(
                                    line(
                                            id + ":order:" + o,
                                            PayoutLineType.CHARGE,
                                            o,
                                            a[0],
                                            a[1])));
            refunds.forEach(
                    (o, a) ->
                            lines.add(
                                    line(
                                            id + ":refund:" + o,
                                            PayoutLineType.REFUND,
                                            o,
                                            a[0],
                                            a[1])));
            lines.addAll(others);
            PspPayouts.Totals totals = PspPayouts.Totals.ofLines(lines);
            totals.requireNet(total, currency, where);
            PayoutEvent event =
                    PspPayouts.event(
                            psp,
                            id,
                            PayoutStatus.IN_TRANSIT,
                            end,
                            totals,
                            total,
                            currency,
                            deposit,
                            context,
                            "AMAZON " + id,
                            lines);
            return new IngestBatch(
                    "SETTLEMENT " + id,
                    List.of(event),
                    rows.size()
                            + " rows sum to total-amount "
                            + MinorUnits.format(total, currency)
                            + ": "
                            + orders.size()
                            + " orders, "
                            + refunds.size()
                            + " refunds, fees "
                            + MinorUnits.format(totals.fee(), currency)
                            + ", deposit "
                            + deposit);
        }

        private PayoutLine line(
                String source, PayoutLineType type, String orderId, long amount, long fee) {
            return PayoutLine.newBuilder()
                    .setSourceId(source)
                    .setType(type)
                    .setOrderId(orderId)
                    .setAmountMinor(amount)
                    .setFeeMinor(fee)
                    .setNetMinor(amount - fee)
                    .setCurrency(currency)
                    .setExchangeRate(null)
                    .build();
        }
    }

    /** An amount with a decimal point or comma (and maybe the other as a thousands mark). */
    static long amount(String text, String currency, String where) throws RefusedFileException {
        if (text == null) throw new RefusedFileException(where + ": no amount");
        String t = text.replace(" ", "");
        int comma = t.lastIndexOf(',');
        int point = t.lastIndexOf('.');
        if (comma > point) t = t.replace(".", "").replace(',', '.');
        else t = t.replace(",", "");
        return MinorUnits.of(t, currency, where);
    }

    Instant instant(String text, String where) throws RefusedFileException {
        if (text == null) throw new RefusedFileException(where + " is missing");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // one of the report's other shapes
        }
        for (DateTimeFormatter f : ZONED) {
            try {
                return ZonedDateTime.parse(text, f).toInstant();
            } catch (DateTimeParseException e) {
                // next shape
            }
        }
        for (DateTimeFormatter f : LOCAL) {
            try {
                return LocalDateTime.parse(text, f).atZone(context.zone()).toInstant();
            } catch (DateTimeParseException e) {
                // next shape
            }
        }
        try {
            return LocalDate.parse(text).atStartOfDay(context.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new RefusedFileException(where + ": \"" + text + "\" is not a date Treso reads");
        }
    }
}
