package io.treso.connectors.quickbooks;

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
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Preconditions;

/**
 * QuickBooks Online {@code Invoice} and {@code Bill} entities, as a query answers them ({@code
 * {"QueryResponse": {"Invoice": [...]}}}) or one by one ({@code {"Bill": {...}}}). An invoice is a
 * RECEIVABLE, a bill a PAYABLE, for its {@code Balance} (what is still due); a zero balance is
 * PAID, and a zero {@code TotalAmt} (how QuickBooks keeps a voided transaction) CANCELLED. The tax
 * inside what is due is {@code TxnTaxDetail.TotalTax}, pro rata when part is paid. The entity's
 * {@code MetaData.LastUpdatedTime} dates the event; each status is its own event.
 */
public final class QuickBooksReader {
    private final ZoneId zone;

    public QuickBooksReader(ZoneId zone) {
        this.zone = Preconditions.checkNotNull(zone);
    }

    public ParsedFile parse(Path file) throws IOException, RefusedFileException {
        JsonNode root = JsonFiles.read(file);
        JsonNode body = root.has("QueryResponse") ? root.get("QueryResponse") : root;
        List<Obligation> out = new ArrayList<>();
        int read = 0;
        for (String entity : List.of("Invoice", "Bill")) {
            JsonNode found = body.get(entity);
            if (found == null) continue;
            for (JsonNode e : found.isArray() ? found : List.of(found)) {
                read++;
                out.add(obligation(entity, e));
            }
        }
        if (read == 0) {
            throw new RefusedFileException(
                    "no Invoice or Bill: not a QuickBooks Online query answer or entity");
        }
        long invoices = out.stream().filter(o -> o.getKind() == ObligationKind.RECEIVABLE).count();
        return ParsedFile.accepted(
                file,
                read,
                List.of(
                        new IngestBatch(
                                "QUICKBOOKS",
                                out,
                                invoices + " invoices, " + (out.size() - invoices) + " bills")));
    }

    private Obligation obligation(String entity, JsonNode e) throws RefusedFileException {
        String id = require(e, "Id", entity);
        String where = entity + " " + (text(e, "DocNumber") != null ? text(e, "DocNumber") : id);
        boolean invoice = entity.equals("Invoice");
        JsonNode currencyRef = e.get("CurrencyRef");
        String currency = currencyRef == null ? null : text(currencyRef, "value");
        if (currency == null) {
            throw new RefusedFileException(
                    where + ": no CurrencyRef (the company's home currency is not in the answer)");
        }
        long total = JsonFiles.money(e.get("TotalAmt"), currency, where + " TotalAmt");
        long balance = JsonFiles.money(e.get("Balance"), currency, where + " Balance");
        ObligationStatus status =
                total == 0
                        ? ObligationStatus.CANCELLED
                        : balance == 0 ? ObligationStatus.PAID : ObligationStatus.OPEN;
        long due = status == ObligationStatus.OPEN ? balance : total;
        JsonNode taxDetail = e.get("TxnTaxDetail");
        Long tax = null;
        if (taxDetail != null && taxDetail.has("TotalTax") && total != 0) {
            long totalTax =
                    JsonFiles.money(taxDetail.get("TotalTax"), currency, where + " TotalTax");
            tax =
                    BigInteger.valueOf(totalTax)
                            .multiply(BigInteger.valueOf(due))
                            .divide(BigInteger.valueOf(total))
                            .longValueExact();
        }
        JsonNode party = e.get(invoice ? "CustomerRef" : "VendorRef");
        String name = party == null ? null : text(party, "name");
        LocalDate issued = date(require(e, "TxnDate", where), where + " TxnDate");
        LocalDate dueDate =
                text(e, "DueDate") == null ? issued : date(text(e, "DueDate"), where + " DueDate");
        JsonNode meta = e.get("MetaData");
        String updated = meta == null ? null : text(meta, "LastUpdatedTime");
        Instant occurredAt;
        try {
            occurredAt =
                    updated == null
                            ? issued.atStartOfDay(zone).toInstant()
                            : OffsetDateTime.parse(updated).toInstant();
        } catch (DateTimeParseException ex) {
            throw new RefusedFileException(where + ": LastUpdatedTime \"" + updated + "\"");
        }
        return Obligation.newBuilder()
                .setEventId("quickbooks:" + entity.toLowerCase() + ":" + id + ":" + status)
                .setOccurredAt(occurredAt)
                .setKind(invoice ? ObligationKind.RECEIVABLE : ObligationKind.PAYABLE)
                .setDocumentId(text(e, "DocNumber") != null ? text(e, "DocNumber") : id)
                .setCounterpartyName(name == null ? "unknown" : name)
                .setCounterpartyAccount(null)
                .setAmountMinor(due)
                .setTaxMinor(tax)
                .setCurrency(currency)
                .setIssuedDate(issued)
                .setDueDate(dueDate)
                .setStatus(status)
                .build();
    }

    private static LocalDate date(String s, String where) throws RefusedFileException {
        try {
            return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
        } catch (DateTimeParseException e) {
            throw new RefusedFileException(where + " \"" + s + "\" is not a date");
        }
    }
}
