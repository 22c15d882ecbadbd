package io.treso.connectors.quickbooks;

import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.SourceReader;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import io.treso.schemas.ContractCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QuickBooks Online, written for Treso's tests from the Accounting API reference
 * (developer.intuit.com, Invoice and Bill entities, query responses): a part-paid invoice with tax,
 * a voided one (zero total), a paid bill; and a single entity answered alone.
 */
class QuickBooksReaderTest {
    @TempDir Path tmp;

    private final SourceReader reader =
            SourceReader.perFile(new QuickBooksReader(ZoneId.of("America/Los_Angeles"))::parse);

    @Test
    void invoicesAndBillsBecomeObligationsForTheirBalance() throws Exception {
        ParsedFile f = reader.read(List.of(path("quickbooks/query.json"))).get(0);
        assertTrue(!f.isRefused(), () -> f.refusal());
        List<Obligation> all =
                f.batches().get(0).events().stream().map(e -> (Obligation) e).toList();
        assertEquals(3, all.size());
        Obligation open = byDocument(all, "1037");
        assertEquals(ObligationKind.RECEIVABLE, open.getKind());
        assertEquals(ObligationStatus.OPEN, open.getStatus());
        assertEquals(18_104L, open.getAmountMinor(), "Balance");
        assertEquals(1_341L, open.getTaxMinor(), "26.82 x 181.04 / 362.07, rounded down");
        assertEquals("Cool Cars", open.getCounterpartyName());
        assertEquals(LocalDate.parse("2026-04-01"), open.getDueDate());
        assertEquals(Instant.parse("2026-03-05T17:30:00Z"), open.getOccurredAt());
        assertEquals("quickbooks:invoice:130:OPEN", open.getEventId());
        assertEquals(ObligationStatus.CANCELLED, byDocument(all, "1038").getStatus());
        Obligation bill = byDocument(all, "56");
        assertEquals(ObligationKind.PAYABLE, bill.getKind());
        assertEquals(ObligationStatus.PAID, bill.getStatus());
        assertEquals(90_000L, bill.getAmountMinor());
        assertNull(bill.getTaxMinor(), "no TxnTaxDetail: the tax is not known");
        assertEquals("Hall Properties", bill.getCounterpartyName());
        for (Obligation o : all) {
            assertEquals(Optional.empty(), ContractCheck.violation(o), o.getDocumentId());
        }
        assertEquals("2 invoices, 1 bills", f.plan().get(0).check());
    }

    @Test
    void aSingleEntityAndWhatIsNotQuickBooks() throws Exception {
        Path single = tmp.resolve("bill.json");
        Files.writeString(
                single,
                "{\"Bill\": {\"Id\": \"26\", \"TxnDate\": \"2026-03-03\", \"CurrencyRef\":"
                        + " {\"value\": \"EUR\"}, \"VendorRef\": {\"name\": \"Papeterie\"},"
                        + " \"TotalAmt\": 120.00, \"Balance\": 120.00, \"TxnTaxDetail\":"
                        + " {\"TotalTax\": 20.00}}}");
        Obligation o =
                (Obligation) reader.read(List.of(single)).get(0).batches().get(0).events().get(0);
        assertEquals(12_000L, o.getAmountMinor());
        assertEquals(2_000L, o.getTaxMinor());
        assertEquals(LocalDate.parse("2026-03-03"), o.getDueDate(), "no DueDate: due on issue");
        assertTrue(
                reader.read(List.of(path("xero/invoices.json")))
                        .get(0)
                        .refusal()
                        .startsWith("no Invoice or Bill"));
    }

    private static Obligation byDocument(List<Obligation> all, String document) {
        return all.stream()
                .filter(o -> o.getDocumentId().equals(document))
                .findFirst()
                .orElseThrow();
    }
}
