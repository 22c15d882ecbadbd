package io.treso.connectors.csv;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.lines;
import static io.treso.connectors.ingest.Fixtures.path;
import static io.treso.connectors.ingest.Fixtures.statements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvStatementReaderTest {
    private static final String IBAN = "FR7612345987650123456789014";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @TempDir Path tmp;

    @Test
    void revolutGivesAnExportStatementCheckedRowByRow() throws Exception {
        ParsedFile f =
                new CsvStatementReader(CsvMapping.preset("revolut"), IBAN, PARIS)
                        .parse(path("revolut.csv"));
        assertEquals(5, f.entriesRead());
        BankStatement s = statements(f).get(0);
        assertEquals(StatementKind.EXPORT, s.getKind());
        assertEquals("export:2026-03-02..2026-03-03", s.getStatementId());
        assertEquals(200_000L, s.getOpeningBalanceMinor());
        assertEquals(202_980L, s.getClosingBalanceMinor());
        assertEquals(3, s.getEntryCount()); // booked rows; the declined row moved nothing
        assertTrue(
                f.batches()
                        .get(0)
                        .check()
                        .startsWith(
                                "balanced: opening 2000.00 EUR + 3 booked entries 29.80 EUR = closing 2029.80 EUR"));
        List<BankTransaction> l = lines(f);
        assertEquals(4, l.size());
        assertEquals(IBAN + ":6a1f0c2e-0001", l.get(0).getEventId());
        assertEquals(Instant.parse("2026-03-02T08:01:15Z"), l.get(0).getBookedAt()); // UTC columns
        assertEquals("INV-9 Payment from Boutique Nord", l.get(0).getReference());
        assertEquals(-30_020L, l.get(2).getAmountMinor()); // total amount, fee included
        BankTransaction pending = l.get(3);
        assertEquals(BankEntryStatus.PENDING, pending.getStatus());
        assertEquals(IBAN + ":6a1f0c2e-0004:PENDING", pending.getEventId());
    }

    @Test
    void qontoDecimalCommasNewestFirstAndNoBalancesSaySo() throws Exception {
        ParsedFile f =
                new CsvStatementReader(CsvMapping.preset("qonto"), IBAN, PARIS)
                        .parse(path("qonto.csv"));
        List<BankTransaction> l = lines(f);
        assertEquals(
                List.of(250_000L, -123_456L),
                l.stream().map(BankTransaction::getAmountMinor).toList());
        BankStatement s = statements(f).get(0);
        assertNull(s.getOpeningBalanceMinor());
        assertNull(s.getClosingBalanceMinor());
        assertEquals(
                "no continuity check: the file gives no balances (2 booked entries 1265.44 EUR)",
                f.batches().get(0).check());
        assertEquals("PAYPAL EUROPE", l.get(0).getCounterpartyName());
    }

    /**
     * Shine publishes no column list: the preset's columns are assumed (README), so this fixture is
     * written to them, with the byte-order mark French exports often start with.
     */
    @Test
    void shinePresetReadsDebitAndCreditColumnsPastAByteOrderMark() throws Exception {
        ParsedFile f =
                new CsvStatementReader(CsvMapping.preset("shine"), IBAN, PARIS)
                        .parse(path("shine.csv"));
        List<BankTransaction> l = lines(f);
        assertEquals(
                List.of(
                        -2_999L, 250_000L,
                        -123_456L), // newest first in the file, oldest first here
                l.stream().map(BankTransaction::getAmountMinor).toList());
        assertEquals("STRIPE PAYMENTS UK LTD", l.get(1).getCounterpartyName());
        assertEquals("EUR", l.get(1).getCurrency());
        assertEquals(Instant.parse("2026-03-01T23:00:00Z"), l.get(1).getBookedAt());
        assertEquals(
                "no continuity check: the file gives no balances (3 booked entries 1235.45 EUR)",
                f.batches().get(0).check());

        Path renamed = edited(tmp, "shine.csv", "Débit", "Montant débit");
        String refusal =
                assertThrows(
                                RefusedFileException.class,
                                () ->
                                        new CsvStatementReader(
                                                        CsvMapping.preset("shine"), IBAN, PARIS)
                                                .parse(renamed))
                        .getMessage();
        assertTrue(
                refusal.startsWith("columns [Débit] of mapping shine are not in the header"),
                refusal);
        assertTrue(
                refusal.contains(
                        "csv/shine.properties) with your export's column names and give it as --mapping FILE"),
                refusal);

        Path latin1 = tmp.resolve("latin1.csv");
        Files.write(
                latin1,
                Files.readString(path("shine.csv"))
                        .substring(1)
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String notText =
                assertThrows(
                                RefusedFileException.class,
                                () ->
                                        new CsvStatementReader(
                                                        CsvMapping.preset("shine"), IBAN, PARIS)
                                                .parse(latin1))
                        .getMessage();
        assertTrue(notText.startsWith("not UTF-8 text"), notText);
        Path mapping = tmp.resolve("shine-latin1.properties");
        Files.writeString(
                mapping,
                new String(
                                CsvMapping.class
                                        .getResourceAsStream("shine.properties")
                                        .readAllBytes(),
                                java.nio.charset.StandardCharsets.UTF_8)
                        + "encoding=windows-1252\n");
        assertEquals(
                l,
                lines(new CsvStatementReader(CsvMapping.load(mapping), IBAN, PARIS).parse(latin1)));
    }

    @Test
    void aCustomMappingWithDebitAndCreditColumns() throws Exception {
        Path mapping = tmp.resolve("bank.properties");
        Files.writeString(
                mapping,
                "delimiter=;\ndecimal=,\ndate_formats=dd.MM.yyyy\ncurrency=EUR\n"
                        + "column.date=Buchungstag\ncolumn.debit=Soll\ncolumn.credit=Haben\n"
                        + "column.reference=Verwendungszweck\ncolumn.balance=Saldo\n");
        Path csv = tmp.resolve("export.csv");
        Files.writeString(
                csv,
                "Buchungstag;Verwendungszweck;Soll;Haben;Saldo\n"
                        + "02.03.2026;Miete;1.200,00;;3.800,00\n"
                        + "03.03.2026;PAYPAL PP-1;;250,50;4.050,50\n");
        ParsedFile f = new CsvStatementReader(CsvMapping.load(mapping), IBAN, PARIS).parse(csv);
        assertEquals(
                List.of(-120_000L, 25_050L),
                lines(f).stream().map(BankTransaction::getAmountMinor).toList());
        assertEquals(500_000L, statements(f).get(0).getOpeningBalanceMinor());
        assertEquals(Instant.parse("2026-03-01T23:00:00Z"), lines(f).get(0).getBookedAt());
    }

    @Test
    void refusesABrokenBalanceChainAMissingColumnAndFinerAmounts() throws Exception {
        CsvStatementReader reader =
                new CsvStatementReader(CsvMapping.preset("revolut"), IBAN, PARIS);
        Path chain = edited(tmp, "revolut.csv", "0.00,2330.00", "0.00,2340.00");
        assertEquals(
                "line 3: balance 2450.00 EUR + -120.00 EUR should be 2330.00 EUR, the export says 2340.00 EUR",
                assertThrows(RefusedFileException.class, () -> reader.parse(chain)).getMessage());
        Path header = edited(tmp, "revolut.csv", "Total amount", "Sum");
        assertTrue(
                assertThrows(RefusedFileException.class, () -> reader.parse(header))
                        .getMessage()
                        .startsWith(
                                "columns [Total amount] of mapping revolut are not in the header"));
        Path fine = edited(tmp, "revolut.csv", "-120.00,0.00", "-120.001,0.00");
        assertTrue(
                assertThrows(RefusedFileException.class, () -> reader.parse(fine))
                        .getMessage()
                        .contains("more decimals"));
    }
}
