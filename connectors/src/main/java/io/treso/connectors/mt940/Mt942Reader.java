package io.treso.connectors.mt940;

import com.prowidesoftware.swift.model.SwiftMessage;
import com.prowidesoftware.swift.model.Tag;
import com.prowidesoftware.swift.model.field.Field28C;
import com.prowidesoftware.swift.model.field.Field61;
import io.treso.connectors.ingest.BankStatements;
import io.treso.connectors.ingest.BatchCursor;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Preconditions;

/**
 * SWIFT MT942 interim transaction reports, as camt.052 gives them: each message becomes one
 * INTRADAY statement of its {@code :61:} entries, as of its {@code :13D:} date and time. MT942
 * carries no balances, so the check is the bank's own: {@code :90D:} and {@code :90C:}, the number
 * and sum of debits and of credits, against the entries. Signs and references as in MT940.
 */
public final class Mt942Reader {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyMMddHHmm");

    private final Mt940Reader entries;

    public Mt942Reader(java.time.ZoneId zone) {
        this.entries = new Mt940Reader(Preconditions.checkNotNull(zone));
    }

    /** Checks the file report by report, holding one at a time; see {@link ParsedFile}. */
    public ParsedFile parse(Path file) throws IOException {
        return ParsedFile.streamed(file, () -> new Reports(file));
    }

    private final class Reports implements BatchCursor {
        private final SwiftMessages messages;
        private int read;
        private int lines;

        Reports(Path file) throws IOException {
            this.messages = new SwiftMessages(file, "942");
        }

        @Override
        public IngestBatch next() throws IOException, RefusedFileException {
            String message = messages.next();
            if (message == null) {
                if (read == 0) {
                    throw new RefusedFileException("no MT942 message (no :20: field) in the file");
                }
                return null;
            }
            read++;
            return report(message);
        }

        @Override
        public int entriesRead() {
            return lines;
        }

        @Override
        public void close() throws IOException {
            messages.close();
        }

        private IngestBatch report(String message) throws RefusedFileException {
            SwiftMessage swift = SwiftMessages.parse(message, "942");
            String reference = null;
            String account = null;
            String number = null;
            String currency = null;
            Instant asOf = null;
            Side debits = null;
            Side credits = null;
            List<Tag> tags = new ArrayList<>();
            for (Tag tag : swift.getBlock4().getTags()) {
                String v = tag.getValue().trim();
                switch (tag.getName()) {
                    case "20" -> reference = v;
                    case "25", "25P" -> account = v.split("\n")[0].trim().replace(" ", "");
                    case "28C" -> number = new Field28C(v).getStatementNumber();
                    case "34F" ->
                            currency =
                                    currency == null && v.length() >= 3
                                            ? v.substring(0, 3)
                                            : currency;
                    case "13D" -> asOf = stamp(v, reference);
                    case "90D" -> debits = side(v, "90D", reference);
                    case "90C" -> credits = side(v, "90C", reference);
                    case "61", "86" -> tags.add(tag);
                    default -> {}
                }
            }
            String where = "report " + reference;
            if (account == null) throw new RefusedFileException(where + ": no :25: account");
            if (asOf == null) throw new RefusedFileException(where + ": no :13D: date and time");
            if (currency == null) currency = debits != null ? debits.currency() : null;
            if (currency == null) currency = credits != null ? credits.currency() : null;
            if (currency == null) {
                throw new RefusedFileException(where + ": no currency (:34F:, :90D: or :90C:)");
            }
            String id = asOf + "/" + (number == null ? reference : number);
            List<BankTransaction> found = new ArrayList<>();
            int ordinal = 0;
            for (int i = 0; i < tags.size(); i++) {
                if (!tags.get(i).getName().equals("61")) continue;
                String info = SwiftMessages.informationAfter(tags, i);
                found.add(
                        entries.line(
                                new Field61(tags.get(i).getValue()),
                                info,
                                account,
                                currency,
                                id,
                                ++ordinal));
            }
            lines += found.size();
            checkSide(debits, found, false, currency, where);
            checkSide(credits, found, true, currency, where);
            LocalDate first = LocalDate.ofInstant(asOf, entries.zone());
            for (BankTransaction t : found) {
                LocalDate d = LocalDate.ofInstant(t.getBookedAt(), entries.zone());
                if (d.isBefore(first)) first = d;
            }
            Instant start = first.atStartOfDay(entries.zone()).toInstant();
            long declaredCount =
                    (debits == null ? 0 : debits.count()) + (credits == null ? 0 : credits.count());
            Long declaredNet =
                    debits == null || credits == null ? null : credits.sum() - debits.sum();
            IngestBatch batch =
                    BankStatements.batch(
                            new BankStatements.Facts(
                                    account,
                                    currency,
                                    StatementKind.INTRADAY,
                                    id,
                                    sequence(number, asOf),
                                    start,
                                    asOf.isAfter(start) ? asOf : start.plusSeconds(1),
                                    null,
                                    null,
                                    null,
                                    debits == null || credits == null ? null : declaredCount,
                                    declaredNet,
                                    found));
            if (debits == null && credits == null) return batch;
            return new IngestBatch(
                    batch.label(),
                    batch.events(),
                    "the bank's totals match (MT942 gives no balances): "
                            + (debits == null ? "" : sideText(debits, "debit", currency))
                            + (debits != null && credits != null ? ", " : "")
                            + (credits == null ? "" : sideText(credits, "credit", currency)));
        }
    }

    private static String sideText(Side s, String what, String currency) {
        return s.count()
                + " "
                + what
                + (s.count() == 1 ? " " : "s ")
                + MinorUnits.format(s.sum(), currency);
    }

    /** A :90D: or :90C: field: how many entries of one side, and their sum. */
    private record Side(long count, String currency, long sum) {}

    private static Side side(String v, String field, String reference) throws RefusedFileException {
        // :90D:3EUR1234,56 — count, currency, amount (decimal comma).
        int c = 0;
        while (c < v.length() && Character.isDigit(v.charAt(c))) c++;
        if (c == 0 || v.length() < c + 4) {
            throw new RefusedFileException(
                    "report " + reference + ": :" + field + ": \"" + v + "\"");
        }
        String currency = v.substring(c, c + 3);
        long sum =
                MinorUnits.of(
                        v.substring(c + 3).replace(',', '.'),
                        currency,
                        "report " + reference + " :" + field);
        return new Side(Long.parseLong(v.substring(0, c)), currency, sum);
    }

    private static void checkSide(
            Side declared,
            List<BankTransaction> found,
            boolean credit,
            String currency,
            String where)
            throws RefusedFileException {
        if (declared == null) return;
        long count = 0;
        long sum = 0;
        for (BankTransaction t : found) {
            if (credit == (t.getAmountMinor() > 0)) {
                count++;
                sum = Math.addExact(sum, Math.abs(t.getAmountMinor()));
            }
        }
        if (count != declared.count() || sum != declared.sum()) {
            throw new RefusedFileException(
                    where
                            + ": the bank declares "
                            + declared.count()
                            + (credit ? " credits of " : " debits of ")
                            + MinorUnits.format(declared.sum(), currency)
                            + ", the entries are "
                            + count
                            + " of "
                            + MinorUnits.format(sum, currency));
        }
    }

    /** :13D: YYMMDDhhmm and the offset from UTC, e.g. 2603031530+0100. */
    private static Instant stamp(String v, String reference) throws RefusedFileException {
        try {
            LocalDateTime local = LocalDateTime.parse(v.substring(0, 10), STAMP);
            ZoneOffset offset =
                    ZoneOffset.of(
                            v.substring(10, 11) + v.substring(11, 13) + ":" + v.substring(13, 15));
            return local.toInstant(offset);
        } catch (StringIndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new RefusedFileException(
                    "report " + reference + ": :13D: \"" + v + "\" is not YYMMDDhhmm±hhmm");
        }
    }

    private long sequence(String number, Instant asOf) {
        try {
            return Long.parseLong(number.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return LocalDate.ofInstant(asOf, entries.zone()).toEpochDay();
        }
    }
}
