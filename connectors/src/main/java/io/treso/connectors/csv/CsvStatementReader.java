package io.treso.connectors.csv;

import io.treso.connectors.ingest.BankEntryIds;
import io.treso.connectors.ingest.BankStatements;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.flink.util.Preconditions;

/**
 * A bank's CSV export as bank lines plus one EXPORT statement for the dates it covers. The
 * statement has balances only where the export has a running-balance column; then each row must
 * follow from the one before, or the file is refused at that row. Rows newest-first are read
 * oldest-first.
 */
public final class CsvStatementReader {
    private final CsvMapping mapping;
    private final String accountId;
    private final ZoneId zone;

    /** {@code accountId} names the account (IBAN) the export is of; CSVs rarely say. */
    public CsvStatementReader(CsvMapping mapping, String accountId, ZoneId zone) {
        this.mapping = Preconditions.checkNotNull(mapping);
        this.accountId = Preconditions.checkNotNull(accountId, "a CSV needs its account id");
        this.zone = Preconditions.checkNotNull(zone);
    }

    private record Row(
            long line,
            Instant bookedAt,
            LocalDate valueDate,
            long amount,
            String currency,
            BankEntryStatus status,
            Long balance,
            CSVRecord record) {}

    /**
     * The file as text in the mapping's encoding, refusing bytes that are not (no silent
     * replacement characters in a counterparty's name), past a byte-order mark.
     */
    private Reader open(Path file) throws IOException {
        java.io.PushbackReader r =
                new java.io.PushbackReader(
                        new java.io.BufferedReader(
                                new java.io.InputStreamReader(
                                        Files.newInputStream(file),
                                        mapping.encoding
                                                .newDecoder()
                                                .onMalformedInput(
                                                        java.nio.charset.CodingErrorAction.REPORT)
                                                .onUnmappableCharacter(
                                                        java.nio.charset.CodingErrorAction
                                                                .REPORT))));
        int first = r.read();
        if (first >= 0 && first != '\uFEFF') r.unread(first);
        return r;
    }

    private RefusedFileException notText() {
        return new RefusedFileException(
                "not "
                        + mapping.encoding.name()
                        + " text; if the bank exports in another encoding, say so in a mapping (encoding=windows-1252)");
    }

    public ParsedFile parse(Path file) throws IOException, RefusedFileException {
        List<Row> rows = new ArrayList<>();
        CSVFormat format =
                CSVFormat.DEFAULT
                        .builder()
                        .setDelimiter(mapping.delimiter)
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreEmptyLines(true)
                        .setTrim(true)
                        .get();
        int read = 0;
        try (Reader r = open(file);
                CSVParser csv = CSVParser.builder().setReader(r).setFormat(format).get()) {
            List<String> missing = new ArrayList<>();
            for (String field :
                    List.of("date", "amount", "debit", "credit", "currency", "balance", "status")) {
                String c = mapping.column(field);
                if (c != null && !csv.getHeaderMap().containsKey(c)) missing.add(c);
            }
            if (!missing.isEmpty()) {
                throw new RefusedFileException(
                        "columns "
                                + missing
                                + " of mapping "
                                + mapping.name
                                + " are not in the header "
                                + csv.getHeaderNames()
                                + (mapping.preset
                                        ? "; copy the preset (connectors/src/main/resources/io/treso/connectors/csv/"
                                                + mapping.name
                                                + ".properties) with your export's column names and give it as --mapping FILE"
                                        : ""));
            }
            for (CSVRecord rec : csv) {
                read++;
                Row row = row(rec);
                if (row != null) rows.add(row);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw notText();
        } catch (IllegalArgumentException
                | IllegalStateException
                | java.io.UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) throw notText();
            throw new RefusedFileException("not a readable CSV: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new RefusedFileException("no booked or pending rows in the export");
        }
        if (rows.size() > 1
                && rows.get(0).bookedAt().isAfter(rows.get(rows.size() - 1).bookedAt())) {
            Collections.reverse(rows); // newest first, as many banks export
        }
        String currency = rows.get(0).currency();
        Long opening = null;
        Long previous = null;
        for (Row row : rows) {
            if (!row.currency().equals(currency)) {
                throw new RefusedFileException(
                        "line "
                                + row.line()
                                + " is in "
                                + row.currency()
                                + ", the export in "
                                + currency);
            }
            if (row.status() != BankEntryStatus.BOOKED || row.balance() == null) continue;
            if (previous == null) {
                opening = row.balance() - row.amount();
            } else if (previous + row.amount() != row.balance()) {
                throw new RefusedFileException(
                        "line "
                                + row.line()
                                + ": balance "
                                + MinorUnits.format(previous, currency)
                                + " + "
                                + MinorUnits.format(row.amount(), currency)
                                + " should be "
                                + MinorUnits.format(previous + row.amount(), currency)
                                + ", the export says "
                                + MinorUnits.format(row.balance(), currency));
            }
            previous = row.balance();
        }
        LocalDate first = LocalDate.ofInstant(rows.get(0).bookedAt(), zone);
        LocalDate last = LocalDate.ofInstant(rows.get(rows.size() - 1).bookedAt(), zone);
        String statementId = "export:" + first + ".." + last;
        List<BankTransaction> lines = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Row row : rows) {
            String bankRef = text(row.record(), "bank_reference");
            String reference = text(row.record(), "reference");
            String description = text(row.record(), "description");
            if (reference == null) {
                reference = description;
            } else if (description != null && !description.equals(reference)) {
                reference = reference + " " + description;
            }
            LocalDate day = LocalDate.ofInstant(row.bookedAt(), zone);
            int ordinal = seen.merge(day + "|" + row.amount() + "|" + reference, 1, Integer::sum);
            lines.add(
                    BankTransaction.newBuilder()
                            .setEventId(
                                    BankEntryIds.of(
                                            accountId,
                                            bankRef,
                                            reference,
                                            day,
                                            row.amount(),
                                            ordinal,
                                            row.status()))
                            .setBookedAt(row.bookedAt())
                            .setValueDate(row.valueDate())
                            .setAccountId(accountId)
                            .setAmountMinor(row.amount())
                            .setCurrency(currency)
                            .setStatus(row.status())
                            .setCounterpartyName(text(row.record(), "counterparty"))
                            .setCounterpartyAccount(text(row.record(), "counterparty_account"))
                            .setReference(reference)
                            .setBankReference(bankRef)
                            .setStatementId(statementId)
                            .build());
        }
        return ParsedFile.accepted(
                file,
                read,
                List.of(
                        BankStatements.batch(
                                new BankStatements.Facts(
                                        accountId,
                                        currency,
                                        StatementKind.EXPORT,
                                        statementId,
                                        last.toEpochDay(),
                                        first.atStartOfDay(zone).toInstant(),
                                        last.plusDays(1).atStartOfDay(zone).toInstant(),
                                        opening,
                                        previous,
                                        null,
                                        null,
                                        null,
                                        lines))));
    }

    /** One row, or null for a row that moves nothing (declined, failed, reverted). */
    private Row row(CSVRecord rec) throws RefusedFileException {
        long line = rec.getRecordNumber() + 1;
        BankEntryStatus status = BankEntryStatus.BOOKED;
        String st = text(rec, "status");
        if (st != null) {
            String s = st.toLowerCase(Locale.ROOT);
            if (mapping.booked.contains(s)) {
                status = BankEntryStatus.BOOKED;
            } else if (mapping.pending.contains(s)) {
                status = BankEntryStatus.PENDING;
            } else {
                return null;
            }
        }
        String currency = text(rec, "currency");
        if (currency == null) currency = mapping.fixed("currency");
        if (currency == null) {
            throw new RefusedFileException("line " + line + ": no currency (column or currency=)");
        }
        long amount;
        {
            if (mapping.column("amount") != null) {
                amount = money(text(rec, "amount"), currency, line);
            } else {
                String debit = text(rec, "debit");
                String credit = text(rec, "credit");
                amount =
                        (credit == null ? 0 : Math.abs(money(credit, currency, line)))
                                - (debit == null ? 0 : Math.abs(money(debit, currency, line)));
            }
            String balance = text(rec, "balance");
            String dateText = text(rec, "date");
            if (dateText == null && status == BankEntryStatus.PENDING) {
                dateText = text(rec, "value_date"); // pending rows are not completed yet
            }
            Instant bookedAt = instant(dateText, line);
            String valueText = text(rec, "value_date");
            return new Row(
                    line,
                    bookedAt,
                    valueText == null ? null : LocalDate.ofInstant(instant(valueText, line), zone),
                    amount,
                    currency,
                    status,
                    balance == null ? null : money(balance, currency, line),
                    rec);
        }
    }

    private long money(String text, String currency, long line) throws RefusedFileException {
        if (text == null) throw new RefusedFileException("line " + line + ": no amount");
        String s = text.replace("\u00a0", "").replace(" ", "").replace("'", "");
        s = mapping.decimal == ',' ? s.replace(".", "").replace(',', '.') : s.replace(",", "");
        if (s.startsWith("+")) s = s.substring(1);
        if (s.endsWith("-")) s = "-" + s.substring(0, s.length() - 1);
        return MinorUnits.of(s, currency, "line " + line);
    }

    private Instant instant(String text, long line) throws RefusedFileException {
        if (text == null) throw new RefusedFileException("line " + line + ": no date");
        for (DateTimeFormatter f : mapping.dateFormats) {
            try {
                TemporalAccessor t = f.parse(text);
                ZoneId in = mapping.dateZone == null ? zone : mapping.dateZone;
                if (t.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)) {
                    return LocalDateTime.from(t).atZone(in).toInstant();
                }
                return LocalDate.from(t).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        throw new RefusedFileException(
                "line " + line + ": \"" + text + "\" matches none of the mapping's date formats");
    }

    private String text(CSVRecord rec, String field) {
        String column = mapping.column(field);
        if (column == null || !rec.isMapped(column) || !rec.isSet(column)) return null;
        String v = rec.get(column);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
