package io.treso.connectors.mt940;

import com.prowidesoftware.swift.model.SwiftMessage;
import com.prowidesoftware.swift.model.Tag;
import com.prowidesoftware.swift.model.field.Field28C;
import com.prowidesoftware.swift.model.field.Field61;
import io.treso.connectors.ingest.BankEntryIds;
import io.treso.connectors.ingest.BankStatements;
import io.treso.connectors.ingest.BatchCursor;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Preconditions;

/**
 * SWIFT MT940 customer statements, parsed with Prowide {@code pw-swift-core}: whole FIN messages
 * ({@code {1:...}{4:...-}}) or bare block-4 text as banks export it. Pages of one statement (same
 * account and {@code :28C:} statement number) are joined into one END_OF_DAY statement after each
 * page is checked: {@code :60F:/:60M:} + Σ {@code :61:} = {@code :62M:/:62F:}, and each page opens
 * where the previous one closed.
 *
 * <p>Signs: C and RD (reversal of a debit) are credits, D and RC debits. {@code :86:} becomes the
 * reference as it stands; its bank-specific sub-fields are not split.
 */
public final class Mt940Reader {
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

    private final ZoneId zone;

    public Mt940Reader(ZoneId zone) {
        this.zone = Preconditions.checkNotNull(zone);
    }

    ZoneId zone() {
        return zone;
    }

    /** One page: a message's block 4. */
    private record Page(
            String account,
            String statementNumber,
            int pageNumber,
            Balance opening,
            Balance closing,
            Balance available,
            List<Tag> entries) {}

    private record Balance(boolean intermediate, LocalDate date, String currency, long amount) {}

    /** Checks the file statement by statement, holding one at a time; see {@link ParsedFile}. */
    public ParsedFile parse(Path file) throws IOException {
        return ParsedFile.streamed(file, () -> new Statements(file));
    }

    /**
     * The file's statements in file order. A statement is a run of consecutive pages of one account
     * and {@code :28C:} number, in any page order, with one {@code :60F:} page: banks that number
     * every daily statement 1 still give one statement a day.
     */
    private final class Statements implements BatchCursor {
        private final SwiftMessages messages;
        private Page pending;
        private boolean sawPage;
        private int entries;

        Statements(Path file) throws IOException {
            this.messages = new SwiftMessages(file, "940");
        }

        @Override
        public IngestBatch next() throws IOException, RefusedFileException {
            Page first = pending != null ? pending : nextPage();
            pending = null;
            if (first == null) {
                if (!sawPage) {
                    throw new RefusedFileException("no MT940 message (no :20: field) in the file");
                }
                return null;
            }
            List<Page> pages = new ArrayList<>(List.of(first));
            boolean opened = !first.opening().intermediate();
            for (Page p = nextPage(); p != null; p = nextPage()) {
                boolean same =
                        p.account().equals(first.account())
                                && p.statementNumber().equals(first.statementNumber())
                                && (p.opening().intermediate() || !opened);
                if (!same) {
                    pending = p;
                    break;
                }
                opened |= !p.opening().intermediate();
                pages.add(p);
            }
            pages.sort((a, b) -> Integer.compare(a.pageNumber(), b.pageNumber()));
            for (Page p : pages) {
                entries += (int) p.entries().stream().filter(t -> t.getName().equals("61")).count();
            }
            return statement(pages);
        }

        @Override
        public int entriesRead() {
            return entries;
        }

        @Override
        public void close() throws IOException {
            messages.close();
        }

        private Page nextPage() throws IOException, RefusedFileException {
            String message = messages.next();
            if (message == null) return null;
            sawPage = true;
            return page(message);
        }
    }

    private Page page(String message) throws RefusedFileException {
        SwiftMessage swift = SwiftMessages.parse(message, "940");
        String reference = null;
        String account = null;
        String number = null;
        int pageNumber = 1;
        Balance opening = null;
        Balance closing = null;
        Balance available = null;
        List<Tag> entries = new ArrayList<>();
        for (Tag tag : swift.getBlock4().getTags()) {
            String name = tag.getName();
            switch (name) {
                case "20" -> reference = tag.getValue().trim();
                case "25", "25P" -> account = tag.getValue().split("\n")[0].trim();
                case "28C" -> {
                    Field28C f = new Field28C(tag.getValue());
                    number = f.getStatementNumber();
                    pageNumber =
                            f.getSequenceNumber() == null
                                    ? 1
                                    : integer(f.getSequenceNumber(), "page number");
                }
                case "60F", "60M" -> opening = balance(tag, reference);
                case "62F", "62M" -> closing = balance(tag, reference);
                case "64" -> available = balance(tag, reference);
                case "61", "86" -> entries.add(tag);
                default -> {}
            }
        }
        String where = "statement " + reference;
        if (account == null) throw new RefusedFileException(where + ": no :25: account");
        if (opening == null) throw new RefusedFileException(where + ": no :60F:/:60M: opening");
        if (closing == null) throw new RefusedFileException(where + ": no :62F:/:62M: closing");
        return new Page(
                account.replace(" ", ""),
                number == null ? reference : number,
                pageNumber,
                opening,
                closing,
                available,
                entries);
    }

    private IngestBatch statement(List<Page> pages) throws RefusedFileException {
        Page first = pages.get(0);
        Page last = pages.get(pages.size() - 1);
        String id = last.closing().date() + "/" + first.statementNumber();
        String where = "statement " + id + " of " + first.account();
        String currency = first.opening().currency();
        if (first.opening().intermediate()) {
            throw new RefusedFileException(
                    where + ": its first page opens with :60M:; an earlier page is missing");
        }
        if (last.closing().intermediate()) {
            throw new RefusedFileException(
                    where + ": its last page closes with :62M:; a later page is missing");
        }
        List<BankTransaction> lines = new ArrayList<>();
        Balance carried = null;
        int ordinal = 0;
        LocalDate earliest = last.closing().date();
        for (Page p : pages) {
            if (carried != null && carried.amount() != p.opening().amount()) {
                throw new RefusedFileException(
                        where
                                + ": page "
                                + p.pageNumber()
                                + " opens at "
                                + MinorUnits.format(p.opening().amount(), currency)
                                + " but the page before closed at "
                                + MinorUnits.format(carried.amount(), currency));
            }
            long sum = 0;
            List<Tag> tags = p.entries();
            for (int i = 0; i < tags.size(); i++) {
                if (!tags.get(i).getName().equals("61")) continue;
                String info = SwiftMessages.informationAfter(tags, i);
                BankTransaction t =
                        line(
                                new Field61(tags.get(i).getValue()),
                                info,
                                first.account(),
                                currency,
                                id,
                                ++ordinal);
                sum += t.getAmountMinor();
                LocalDate booked = LocalDate.ofInstant(t.getBookedAt(), zone);
                if (booked.isBefore(earliest)) earliest = booked;
                lines.add(t);
            }
            if (p.opening().amount() + sum != p.closing().amount()) {
                throw new RefusedFileException(
                        where
                                + " page "
                                + p.pageNumber()
                                + ": opening "
                                + MinorUnits.format(p.opening().amount(), currency)
                                + " + entries "
                                + MinorUnits.format(sum, currency)
                                + " ≠ closing "
                                + MinorUnits.format(p.closing().amount(), currency)
                                + " (gap "
                                + MinorUnits.format(
                                        p.closing().amount() - p.opening().amount() - sum, currency)
                                + ")");
            }
            carried = p.closing();
        }
        LocalDate end = last.closing().date();
        LocalDate start = first.opening().date().plusDays(1);
        if (start.isAfter(end)) start = end;
        if (earliest.isBefore(start)) start = earliest;
        return BankStatements.batch(
                new BankStatements.Facts(
                        first.account(),
                        currency,
                        StatementKind.END_OF_DAY,
                        id,
                        sequence(first.statementNumber(), end),
                        start.atStartOfDay(zone).toInstant(),
                        end.plusDays(1).atStartOfDay(zone).toInstant(),
                        first.opening().amount(),
                        last.closing().amount(),
                        last.available() == null ? null : last.available().amount(),
                        null,
                        null,
                        lines));
    }

    BankTransaction line(
            Field61 f,
            String info,
            String account,
            String currency,
            String statementId,
            int ordinal)
            throws RefusedFileException {
        String where = "statement " + statementId + " entry " + ordinal;
        LocalDate valueDate = yymmdd(f.getValueDate(), where);
        LocalDate booking = valueDate;
        String entryDate = f.getEntryDate();
        if (entryDate != null && entryDate.length() == 4) {
            int month = integer(entryDate.substring(0, 2), "entry month");
            int day = integer(entryDate.substring(2, 4), "entry day");
            int year = valueDate.getYear();
            if (month == 12 && valueDate.getMonthValue() == 1) year--;
            if (month == 1 && valueDate.getMonthValue() == 12) year++;
            try {
                booking = LocalDate.of(year, month, day);
            } catch (java.time.DateTimeException e) {
                throw new RefusedFileException(where + ": entry date \"" + entryDate + "\"");
            }
        }
        String mark = f.getDebitCreditMark();
        int sign;
        if ("C".equals(mark) || "RD".equals(mark)) {
            sign = 1;
        } else if ("D".equals(mark) || "RC".equals(mark)) {
            sign = -1;
        } else {
            throw new RefusedFileException(where + ": debit/credit mark \"" + mark + "\"");
        }
        BigDecimal amount = f.getAmountAsBigDecimal();
        if (amount == null) throw new RefusedFileException(where + ": no amount");
        long minor = sign * MinorUnits.of(amount.toPlainString(), currency, where);
        String bankRef = f.getReferenceOfTheAccountServicingInstitution();
        String ownerRef = f.getReferenceForTheAccountOwner();
        String reference = info;
        if (reference == null && ownerRef != null && !ownerRef.equalsIgnoreCase("NONREF")) {
            reference = ownerRef;
        }
        if (mark.startsWith("R"))
            reference = "REVERSAL" + (reference == null ? "" : " " + reference);
        return BankTransaction.newBuilder()
                .setEventId(
                        BankEntryIds.of(
                                account,
                                bankRef,
                                ownerRef,
                                booking,
                                minor,
                                ordinal,
                                BankEntryStatus.BOOKED))
                .setBookedAt(booking.atStartOfDay(zone).toInstant())
                .setValueDate(valueDate)
                .setAccountId(account)
                .setAmountMinor(minor)
                .setCurrency(currency)
                .setStatus(BankEntryStatus.BOOKED)
                .setCounterpartyName(null)
                .setCounterpartyAccount(null)
                .setReference(reference)
                .setBankReference(bankRef == null || bankRef.isBlank() ? null : bankRef.trim())
                .setStatementId(statementId)
                .build();
    }

    private static Balance balance(Tag tag, String reference) throws RefusedFileException {
        // :60F:C240105EUR1234,56 — mark, date, currency, amount (decimal comma).
        String v = tag.getValue().trim();
        if (v.length() < 11) {
            throw new RefusedFileException(
                    "statement " + reference + ": :" + tag.getName() + ": \"" + v + "\"");
        }
        String mark = v.substring(0, 1);
        LocalDate date = yymmdd(v.substring(1, 7), "statement " + reference);
        String currency = v.substring(7, 10);
        String amount = v.substring(10).replace(',', '.');
        long minor =
                MinorUnits.of(amount, currency, "statement " + reference + " :" + tag.getName());
        if (!mark.equals("C") && !mark.equals("D")) {
            throw new RefusedFileException(
                    "statement " + reference + ": :" + tag.getName() + ": mark \"" + mark + "\"");
        }
        return new Balance(
                tag.getName().endsWith("M"), date, currency, mark.equals("D") ? -minor : minor);
    }

    static LocalDate yymmdd(String s, String where) throws RefusedFileException {
        try {
            return LocalDate.parse(s, YYMMDD);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new RefusedFileException(where + ": date \"" + s + "\" is not YYMMDD");
        }
    }

    static int integer(String s, String what) throws RefusedFileException {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new RefusedFileException(what + " \"" + s + "\" is not a number");
        }
    }

    /** The :28C: statement number; the closing date's day number when it is not numeric. */
    private static long sequence(String number, LocalDate end) {
        try {
            return Long.parseLong(number.trim());
        } catch (NumberFormatException e) {
            return end.toEpochDay();
        }
    }
}
