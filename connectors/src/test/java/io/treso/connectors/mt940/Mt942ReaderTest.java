package io.treso.connectors.mt940;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.lines;
import static io.treso.connectors.ingest.Fixtures.path;
import static io.treso.connectors.ingest.Fixtures.statements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MT942 interim transaction reports, written for Treso's tests from the field rules of SWIFT's
 * MT942 (Category 9, Cash Management): {@code :13D:} date, time and offset, {@code :34F:} floor
 * limit, {@code :90D:}/{@code :90C:} number and sum of debits and credits.
 */
class Mt942ReaderTest {
    private static final String DE = "DE44500105175407324931";

    @TempDir Path tmp;

    private final Mt942Reader reader = new Mt942Reader(ZoneId.of("Europe/Berlin"));

    @Test
    void eachReportIsAnIntradayStatementCheckedAgainstItsDeclaredSides() throws Exception {
        ParsedFile f = reader.parse(path("mt942-interim.sta"));
        assertTrue(!f.isRefused(), () -> f.refusal());
        List<BankStatement> reports = statements(f);
        assertEquals(2, reports.size());
        BankStatement first = reports.get(0);
        assertEquals(StatementKind.INTRADAY, first.getKind());
        assertEquals(DE, first.getAccountId());
        assertEquals("EUR", first.getCurrency());
        assertEquals(
                Instant.parse("2026-03-03T14:30:00Z"), first.getPeriodEnd(), ":13D: with +0100");
        assertEquals(42L, first.getSequence());
        assertNull(first.getOpeningBalanceMinor(), "MT942 carries no balances");
        assertEquals(3L, first.getEntryCount());
        assertEquals(125_000L - 48_050L - 1_990L, first.getEntrySumMinor());
        List<BankTransaction> lines = lines(f);
        assertEquals(
                List.of(125_000L, -48_050L, -1_990L, 31_000L),
                lines.stream().map(BankTransaction::getAmountMinor).toList());
        assertEquals("ACME PACKAGING GMBH BILL-2026-131", lines.get(1).getReference());
        assertEquals(4, f.entriesRead());
        assertEquals(
                "the bank's totals match (MT942 gives no balances): 2 debits 500.40 EUR, 1 credit"
                        + " 1250.00 EUR",
                f.plan().get(0).check());
    }

    @Test
    void aReportWhoseSidesDoNotAddUpIsRefused() throws Exception {
        Path bad = edited(tmp, "mt942-interim.sta", ":90D:2EUR500,40", ":90D:2EUR500,50");
        assertEquals(
                "report INTRA0303A: the bank declares 2 debits of 500.50 EUR, the entries are 2 of"
                        + " 500.40 EUR",
                reader.parse(bad).refusal());
        Path noStamp = edited(tmp, "mt942-interim.sta", ":13D:2603031530+0100\n", "");
        assertEquals("report INTRA0303A: no :13D: date and time", reader.parse(noStamp).refusal());
    }

    @Test
    void aStatementIsNotAnInterimReport() throws Exception {
        assertTrue(reader.parse(path("mt940-fin.fin")).refusal().contains("not MT942"));
    }
}
