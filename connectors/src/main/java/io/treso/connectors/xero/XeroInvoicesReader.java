package io.treso.connectors.xero;

import static io.treso.connectors.ingest.JsonFiles.require;
import static io.treso.connectors.ingest.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.JsonFiles;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Xero's {@code GET Invoices} answer ({@code {"Invoices": [...]}}): ACCREC invoices become
 * RECEIVABLE obligations, ACCPAY bills PAYABLE ones, for what is still due ({@code AmountDue}),
 * with the VAT inside it ({@code TotalTax}, pro rata when part is paid) as {@code tax_minor}.
 * AUTHORISED and SUBMITTED are OPEN, PAID is PAID, VOIDED and DELETED are CANCELLED; DRAFTs are not
 * obligations yet and are skipped. Each status is its own event ({@code
 * xero:<InvoiceID>:<status>}), so a later export in which a payment settled the invoice moves it to
 * PAID, and the same file ingested twice changes nothing. Dates are Xero's {@code /Date(ms+zzzz)/}
 * or its {@code DateString}.
 */
public final class XeroInvoicesReader {
    private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    public ParsedFile parse(Path file) throws IOException, RefusedFileException {
        JsonNode root = JsonFiles.read(file);
        JsonNode invoices = root.get("Invoices");
        if (invoices == null || !invoices.isArray()) {
            throw new RefusedFileException("no \"Invoices\" array: not a Xero Invoices answer");
        }
        List<Obligation> obligations = new ArrayList<>();
        int skipped = 0;
        for (JsonNode inv : invoices) {
            Obligation o = obligation(inv, "invoice " + text(inv, "InvoiceNumber"));
            if (o == null) skipped++;
            else obligations.add(o);
        }
        if (obligations.isEmpty()) {
            return ParsedFile.accepted(file, invoices.size(), List.of());
        }
        long receivable =
                obligations.stream().filter(o -> o.getKind() == ObligationKind.RECEIVABLE).count();
        return ParsedFile.accepted(
                file,
                invoices.size(),
                List.of(
                        new IngestBatch(
                                "XERO INVOICES",
                                obligations,
                                receivable
                                        + " receivables, "
                                        + (obligations.size() - receivable)
                                        + " payables"
                                        + (skipped == 0
                                                ? ""
                                                : ", " + skipped + " drafts skipped"))));
    }

    private static Obligation obligation(JsonNode inv, String where) throws RefusedFileException {
        String type = require(inv, "Type", where);
        ObligationKind kind =
                switch (type) {
                    case "ACCREC" -> ObligationKind.RECEIVABLE;
                    case "ACCPAY" -> ObligationKind.PAYABLE;
                    default ->
                            throw new RefusedFileException(
                                    where + ": Type \"" + type + "\" (ACCREC or ACCPAY)");
                };
        String state = require(inv, "Status", where);
        ObligationStatus status =
                switch (state) {
                    case "AUTHORISED", "SUBMITTED" -> ObligationStatus.OPEN;
                    case "PAID" -> ObligationStatus.PAID;
                    case "VOIDED", "DELETED" -> ObligationStatus.CANCELLED;
                    case "DRAFT" -> null;
                    default -> throw new RefusedFileException(where + ": Status \"" + state + "\"");
                };
        if (status == null) return null;
        String id = require(inv, "InvoiceID", where);
        String currency = require(inv, "CurrencyCode", where);
        long total = money(inv, "Total", currency, where);
        long due =
                status == ObligationStatus.OPEN ? money(inv, "AmountDue", currency, where) : total;
        long totalTax = inv.has("TotalTax") ? money(inv, "TotalTax", currency, where) : 0;
        // The VAT inside what is due: all of it, or its share when part was paid.
        long tax =
                total == 0
                        ? 0
                        : BigInteger.valueOf(totalTax)
                                .multiply(BigInteger.valueOf(due))
                                .divide(BigInteger.valueOf(total))
                                .longValueExact();
        Instant issued = date(inv, "Date", where);
        Instant dueDate =
                inv.has("DueDate") || inv.has("DueDateString")
                        ? date(inv, "DueDate", where)
                        : issued;
        Instant updated = inv.has("UpdatedDateUTC") ? date(inv, "UpdatedDateUTC", where) : issued;
        JsonNode contact = inv.get("Contact");
        String counterparty = contact == null ? null : text(contact, "Name");
        return Obligation.newBuilder()
                .setEventId("xero:" + id + ":" + status)
                .setOccurredAt(updated)
                .setKind(kind)
                .setDocumentId(text(inv, "InvoiceNumber") != null ? text(inv, "InvoiceNumber") : id)
                .setCounterpartyName(counterparty == null ? "unknown" : counterparty)
                .setCounterpartyAccount(null)
                .setAmountMinor(due)
                .setTaxMinor(inv.has("TotalTax") ? tax : null)
                .setCurrency(currency)
                .setIssuedDate(LocalDate.ofInstant(issued, ZoneOffset.UTC))
                .setDueDate(LocalDate.ofInstant(dueDate, ZoneOffset.UTC))
                .setStatus(status)
                .build();
    }

    private static long money(JsonNode inv, String field, String currency, String where)
            throws RefusedFileException {
        return JsonFiles.money(inv.get(field), currency, where + " " + field);
    }

    /** Xero's /Date(1772323200000+0000)/, else the field's ...String twin (ISO local). */
    private static Instant date(JsonNode inv, String field, String where)
            throws RefusedFileException {
        String ms = text(inv, field);
        if (ms != null) {
            Matcher m = MS_DATE.matcher(ms);
            if (m.matches()) return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        }
        String iso = text(inv, field + "String");
        if (iso == null) iso = ms;
        if (iso == null) throw new RefusedFileException(where + ": no " + field);
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new RefusedFileException(
                        where + ": " + field + " \"" + iso + "\" is not a date");
            }
        }
    }
}
