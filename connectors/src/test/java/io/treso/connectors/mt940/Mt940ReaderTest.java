package io.treso.connectors.mt940;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.lines;
import static io.treso.connectors.ingest.Fixtures.path;
import static io.treso.connectors.ingest.Fixtures.statements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixtures follow the MT940 field layout of the SWIFT Category 9 user handbook as banks' MT940
 * implementation guides reproduce it (":61:" value date, entry date, mark, amount, type,
 * references), as bare block-4 text and as a FIN message, with a two-page statement and reversals
 * (RC/RD). Transcribed by hand.
 */
class Mt940ReaderTest {
    private static final String ACCOUNT = "DE44500105175407324931";
    private final Mt940Reader reader = new Mt940Reader(ZoneId.of("Europe/Berlin"));

    @TempDir Path tmp;

    @Test
    void twoPagesBecomeOneCheckedStatement() throws Exception {
        ParsedFile f = reader.parse(path("mt940-two-pages.sta"));
        assertEquals(4, f.entriesRead());
        List<BankStatement> st = statements(f);
        assertEquals(1, st.size());
        BankStatement s = st.get(0);
        assertEquals(StatementKind.END_OF_DAY, s.getKind());
        assertEquals(ACCOUNT, s.getAccountId());
        assertEquals("2026-03-02/00012", s.getStatementId());
        assertEquals(12, s.getSequence());
        assertEquals(1_000_000L, s.getOpeningBalanceMinor());
        assertEquals(1_078_450L, s.getClosingBalanceMinor());
        assertEquals(1_078_450L, s.getAvailableBalanceMinor());
        assertEquals(4, s.getEntryCount());
        assertEquals(Instant.parse("2026-03-01T23:00:00Z"), s.getPeriodStart());
        assertEquals(Instant.parse("2026-03-02T23:00:00Z"), s.getPeriodEnd());

        List<BankTransaction> l = lines(f);
        assertEquals(
                List.of(125_000L, -48_050L, 2_500L, -1_000L),
                l.stream().map(BankTransaction::getAmountMinor).toList());
        assertEquals(ACCOUNT + ":BK0302-01", l.get(0).getEventId());
        assertEquals("STRIPE PAYOUT po_1Ab2Cd3Ef4Gh5Ij", l.get(0).getReference());
        assertEquals("ACME PACKAGING GMBH BILL-2026-118", l.get(1).getReference());
        assertEquals("REVERSAL REVERSAL OF CARD FEE", l.get(2).getReference());
        assertEquals(LocalDate.of(2026, 3, 2), l.get(0).getValueDate());
    }

    @Test
    void readsWholeFinMessagesAndFallsBackToEntryFieldsForTheId() throws Exception {
        ParsedFile f = reader.parse(path("mt940-fin.fin"));
        BankStatement s = statements(f).get(0);
        assertEquals(13, s.getSequence());
        assertEquals(1_087_440L, s.getClosingBalanceMinor());
        BankTransaction t = lines(f).get(0);
        assertEquals(ACCOUNT + ":ORDER1042:2026-03-03:8990:1", t.getEventId());
        assertEquals("SEPA CREDIT ORDER 1042", t.getReference());
    }

    @Test
    void refusesBrokenContinuityAndMissingPages() throws Exception {
        Path gap =
                edited(
                        tmp,
                        "mt940-two-pages.sta",
                        ":60M:C260302EUR10769,50",
                        ":60M:C260302EUR10779,50");
        assertTrue(
                refusal(gap)
                        .contains(
                                "page 2 opens at 10779.50 EUR but the page before closed at 10769.50 EUR"),
                refusal(gap));
        Path sum =
                edited(
                        tmp,
                        "mt940-two-pages.sta",
                        ":62F:C260302EUR10784,50",
                        ":62F:C260302EUR10794,50");
        assertTrue(
                refusal(sum)
                        .contains(
                                "page 2: opening 10769.50 EUR + entries 15.00 EUR ≠ closing 10794.50 EUR (gap 10.00 EUR)"),
                refusal(sum));
        String text = Files.readString(path("mt940-two-pages.sta"));
        Path firstPageOnly = tmp.resolve("first.sta");
        Files.writeString(firstPageOnly, text.substring(0, text.indexOf("-\n") + 2));
        assertTrue(refusal(firstPageOnly).contains("closes with :62M:; a later page is missing"));
        Path precision = edited(tmp, "mt940-two-pages.sta", "C1250,00NTRF", "C1250,005NTRF");
        assertTrue(refusal(precision).contains("more decimals"), refusal(precision));
        Path empty = tmp.resolve("empty.sta");
        Files.writeString(empty, "hello\n");
        assertEquals("no MT940 message (no :20: field) in the file", refusal(empty));
    }

    private String refusal(Path file) throws Exception {
        ParsedFile f = reader.parse(file);
        assertTrue(f.isRefused(), () -> file + " was accepted");
        return f.refusal();
    }
}
