package io.treso.connectors.xero;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.SourceReader;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import io.treso.schemas.ContractCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Xero Invoices, written for Treso's tests from the Accounting API reference
 * (developer.xero.com/documentation/api/accounting/invoices): a part-paid sales invoice, a bill, a
 * paid invoice, a draft and a voided bill; dates as {@code /Date(ms+0000)/} and as {@code
 * DateString}.
 */
class XeroInvoicesReaderTest {
    @TempDir Path tmp;

    private final SourceReader reader = SourceReader.perFile(new XeroInvoicesReader()::parse);

    private ParsedFile read(Path file) throws Exception {
        return reader.read(List.of(file)).get(0);
    }

    @Test
    void invoicesAndBillsBecomeObligationsWithTheVatInsideWhatIsDue() throws Exception {
        ParsedFile f = read(path("xero/invoices.json"));
        assertTrue(!f.isRefused(), () -> f.refusal());
        List<Obligation> all =
                f.batches().get(0).events().stream().map(e -> (Obligation) e).toList();
        assertEquals(4, all.size(), "the draft is skipped");
        Obligation partPaid = byDocument(all, "INV-0101");
        assertEquals(ObligationKind.RECEIVABLE, partPaid.getKind());
        assertEquals(ObligationStatus.OPEN, partPaid.getStatus());
        assertEquals(60_000L, partPaid.getAmountMinor(), "AmountDue");
        assertEquals(10_000L, partPaid.getTaxMinor(), "half the VAT, as half is paid");
        assertEquals(LocalDate.parse("2026-03-01"), partPaid.getIssuedDate());
        assertEquals(LocalDate.parse("2026-03-31"), partPaid.getDueDate());
        assertEquals(Instant.parse("2026-03-06T10:00:00Z"), partPaid.getOccurredAt());
        assertEquals("Boutique Lumière SARL", partPaid.getCounterpartyName());
        Obligation bill = byDocument(all, "BILL-2026-131");
        assertEquals(ObligationKind.PAYABLE, bill.getKind());
        assertEquals(48_000L, bill.getAmountMinor());
        assertEquals(8_000L, bill.getTaxMinor());
        Obligation paid = byDocument(all, "INV-0098");
        assertEquals(ObligationStatus.PAID, paid.getStatus());
        assertEquals("xero:a1c2e3f4-0003-4a5b-8c9d-000000000003:PAID", paid.getEventId());
        assertEquals(LocalDate.parse("2026-03-12"), paid.getDueDate(), "DueDateString");
        assertEquals(ObligationStatus.CANCELLED, byDocument(all, "BILL-2026-099").getStatus());
        for (Obligation o : all) {
            assertEquals(Optional.empty(), ContractCheck.violation(o), o.getDocumentId());
        }
        assertEquals("2 receivables, 2 payables, 1 drafts skipped", f.plan().get(0).check());
    }

    @Test
    void whatItCannotReadIsRefused() throws Exception {
        Path type =
                edited(tmp, "xero/invoices.json", "\"Type\": \"ACCPAY\"", "\"Type\": \"ACCPAYX\"");
        assertEquals(
                "invoice BILL-2026-131: Type \"ACCPAYX\" (ACCREC or ACCPAY)", read(type).refusal());
        assertTrue(read(path("stripe/payout.json")).refusal().startsWith("no \"Invoices\" array"));
    }

    private static Obligation byDocument(List<Obligation> all, String document) {
        return all.stream()
                .filter(o -> o.getDocumentId().equals(document))
                .findFirst()
                .orElseThrow();
    }
}
