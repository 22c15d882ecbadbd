package io.treso.connectors.camt;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.lines;
import static io.treso.connectors.ingest.Fixtures.path;
import static io.treso.connectors.ingest.Fixtures.statements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.event.BankEntryStatus;
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
 * Fixtures follow the layout of the ISO 20022 Bank-to-Customer Cash Management message samples
 * (iso20022.org message archive, camt.052/053/054) in versions .02, .04 and .08, with the hard
 * cases written here: a batch booking, a reversal, an entry without AcctSvcrRef, two currencies, a
 * foreign payment booked in euro, one booking reported three ways. Transcribed by hand.
 */
class CamtReaderTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String DE = "DE89370400440532013000";
    private static final String FR = "FR7630006000011234567890189";

    @TempDir Path tmp;

    private static ParsedFile read(CamtReader.Message m, Path file) throws Exception {
        return new CamtReader(m, PARIS).parse(file);
    }

    @Test
    void camt053v02GivesCheckedStatementsWithTheirLines() throws Exception {
        ParsedFile f = read(CamtReader.Message.CAMT053, path("camt053-v02.xml"));
        assertEquals(5, f.entriesRead());
        List<BankStatement> st = statements(f);
        assertEquals(2, st.size());
        BankStatement first = st.get(0);
        assertEquals(StatementKind.END_OF_DAY, first.getKind());
        assertEquals("STMT-20260302", first.getStatementId());
        assertEquals(1, first.getSequence());
        assertEquals(1_000_000L, first.getOpeningBalanceMinor());
        assertEquals(1_106_950L, first.getClosingBalanceMinor());
        assertEquals(3, first.getEntryCount());
        assertEquals(106_950L, first.getEntrySumMinor());
        assertEquals(Instant.parse("2026-03-01T23:00:00Z"), first.getPeriodStart());
        assertEquals(Instant.parse("2026-03-02T23:00:00Z"), first.getPeriodEnd());
        assertEquals(1_105_940L, st.get(1).getClosingBalanceMinor());
        assertEquals(1_105_940L, st.get(1).getAvailableBalanceMinor());
        assertTrue(f.batches().get(0).check().startsWith("balanced: opening 10000.00 EUR"));

        List<BankTransaction> l = lines(f);
        BankTransaction payout = l.get(0);
        assertEquals(DE + ":BK20260302-0001", payout.getEventId());
        assertEquals(125_000L, payout.getAmountMinor());
        assertEquals("STRIPE PAYOUT po_1Ab2Cd3Ef4Gh5Ij po_1Ab2Cd3Ef4Gh5Ij", payout.getReference());
        assertEquals("STRIPE PAYMENTS EUROPE LTD", payout.getCounterpartyName());
        assertEquals("IE29AIBK93115212345678", payout.getCounterpartyAccount());
        assertEquals("STMT-20260302", payout.getStatementId());
        BankTransaction bill = byRef(l, "BK20260302-0002");
        assertEquals(-48_050L, bill.getAmountMinor());
        assertEquals("BILL-2026-118", bill.getReference()); // NOTPROVIDED is no reference
        assertEquals("ACME PACKAGING GMBH", bill.getCounterpartyName());
        BankTransaction batch = byRef(l, "BK20260302-0003");
        assertEquals(30_000L, batch.getAmountMinor());
        assertEquals("INV-7 INV-8", batch.getReference());
        assertNull(batch.getCounterpartyName()); // two debtors: no single counterparty
        BankTransaction reversal = byRef(l, "BK20260303-0001");
        assertEquals(-10_000L, reversal.getAmountMinor());
        assertEquals("REVERSAL RETURN INV-7 AC04 ACCOUNT CLOSED", reversal.getReference());
        BankTransaction noRef = l.get(4);
        assertEquals(DE + ":NR-5:2026-03-03:8990:2", noRef.getEventId());
        assertNull(noRef.getBankReference());
    }

    @Test
    void camt053v08ReadsTwoCurrenciesAndAForeignPaymentBookedInEuro() throws Exception {
        ParsedFile f = read(CamtReader.Message.CAMT053, path("camt053-v08-multicurrency.xml"));
        List<BankStatement> st = statements(f);
        assertEquals(
                List.of(FR, "US-SUB-0001"), st.stream().map(BankStatement::getAccountId).toList());
        assertEquals(List.of("EUR", "USD"), st.stream().map(BankStatement::getCurrency).toList());
        assertEquals(500_000L, st.get(0).getOpeningBalanceMinor()); // PRCD when no OPBD
        assertEquals(41, st.get(0).getSequence());
        BankTransaction fx = byRef(lines(f), "FR-0304-2");
        assertEquals(-9_200L, fx.getAmountMinor());
        assertEquals("EUR", fx.getCurrency());
        assertEquals("FONTS INC", fx.getCounterpartyName());
        assertEquals(
                Instant.parse("2026-03-04T09:15:00Z"), byRef(lines(f), "FR-0304-1").getBookedAt());
        assertEquals(215_000L, st.get(1).getClosingBalanceMinor());
    }

    @Test
    void oneBookingReportedBy052And053And054HasOneEventIdAndPendingIsApart() throws Exception {
        BankTransaction eod =
                byRef(
                        lines(
                                read(
                                        CamtReader.Message.CAMT053,
                                        path("camt053-v08-multicurrency.xml"))),
                        "FR-0304-1");
        ParsedFile intraday = read(CamtReader.Message.CAMT052, path("camt052-v08-intraday.xml"));
        ParsedFile notice = read(CamtReader.Message.CAMT054, path("camt054-v04-notification.xml"));
        assertEquals(eod.getEventId(), byRef(lines(intraday), "FR-0304-1").getEventId());
        assertEquals(eod.getEventId(), lines(notice).get(0).getEventId());
        assertEquals(FR + ":FR-0304-1", eod.getEventId());
        assertTrue(statements(notice).isEmpty(), "camt.054 gives no statement");
        assertNull(lines(notice).get(0).getStatementId());

        BankStatement report = statements(intraday).get(0);
        assertEquals(StatementKind.INTRADAY, report.getKind());
        assertEquals(600_000L, report.getClosingBalanceMinor()); // ITBD
        assertEquals(604_200L, report.getAvailableBalanceMinor()); // ITAV
        assertEquals(1, report.getEntryCount()); // booked only
        BankTransaction pending = byRef(lines(intraday), "FR-0304-9");
        assertEquals(BankEntryStatus.PENDING, pending.getStatus());
        assertEquals(FR + ":FR-0304-9:PENDING", pending.getEventId());
    }

    @Test
    void aBalanceBreakRefusesTheFileNamingTheStatementAndTheGap() throws Exception {
        Path bad =
                edited(
                        tmp,
                        "camt053-v02.xml",
                        "<Amt Ccy=\"EUR\">11059.40</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt><Dt>2026-03-03</Dt></Dt>\n      </Bal>\n      <Bal>\n        <Tp><CdOrPrtry><Cd>CLAV",
                        "<Amt Ccy=\"EUR\">11069.40</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt><Dt>2026-03-03</Dt></Dt>\n      </Bal>\n      <Bal>\n        <Tp><CdOrPrtry><Cd>CLAV");
        String refusal = refusal(CamtReader.Message.CAMT053, bad);
        assertEquals(
                "statement STMT-20260303 of "
                        + DE
                        + ": opening 11069.50 EUR + 2 booked entries -10.10 EUR = 11059.40 EUR,"
                        + " but the closing balance is 11069.40 EUR (gap 10.00 EUR)",
                refusal);
    }

    @Test
    void declaredTotalsMustMatch() throws Exception {
        Path count =
                edited(
                        tmp,
                        "camt053-v02.xml",
                        "<NbOfNtries>3</NbOfNtries>",
                        "<NbOfNtries>4</NbOfNtries>");
        assertTrue(
                refusal(CamtReader.Message.CAMT053, count)
                        .contains("declares 4 entries, the statement has 3"));
        Path net =
                edited(
                        tmp,
                        "camt053-v02.xml",
                        "<TtlNetNtryAmt>1069.50</TtlNetNtryAmt>",
                        "<TtlNetNtryAmt>1069.60</TtlNetNtryAmt>");
        assertTrue(
                refusal(CamtReader.Message.CAMT053, net).contains("declares a net of 1069.60 EUR"));
        Path credits = edited(tmp, "camt053-v02.xml", "<Sum>1550.00</Sum>", "<Sum>1550.01</Sum>");
        assertTrue(
                refusal(CamtReader.Message.CAMT053, credits)
                        .contains("declares credits of 1550.01 EUR"));
    }

    @Test
    void refusesWhatItCannotTrust() throws Exception {
        Path precision =
                edited(
                        tmp,
                        "camt053-v02.xml",
                        "<Amt Ccy=\"EUR\">89.90</Amt>",
                        "<Amt Ccy=\"EUR\">89.905</Amt>");
        assertTrue(
                refusal(CamtReader.Message.CAMT053, precision)
                        .contains("89.905 EUR has more decimals than EUR allows (2)"));
        Path trailingZeros =
                edited(
                        tmp,
                        "camt053-v02.xml",
                        "<Amt Ccy=\"EUR\">89.90</Amt>",
                        "<Amt Ccy=\"EUR\">89.9000</Amt>");
        assertEquals(
                8_990L,
                lines(read(CamtReader.Message.CAMT053, trailingZeros)).get(4).getAmountMinor());
        assertEquals(
                "this is a camt.052 message, not camt.053",
                refusal(CamtReader.Message.CAMT053, path("camt052-v08-intraday.xml")));
        Path future = edited(tmp, "camt053-v02.xml", "camt.053.001.02", "camt.053.001.14");
        assertTrue(refusal(CamtReader.Message.CAMT053, future).contains("not supported"));
        Path broken = edited(tmp, "camt053-v02.xml", "</BkToCstmrStmt>", "");
        assertTrue(
                refusal(CamtReader.Message.CAMT053, broken)
                        .startsWith("not well-formed XML at line"));
        Path noClosing =
                edited(
                        tmp,
                        "camt053-v08-multicurrency.xml",
                        "<Cd>CLBD</Cd></CdOrPrtry></Tp>\n        <Amt Ccy=\"USD\">",
                        "<Cd>XXXX</Cd></CdOrPrtry></Tp>\n        <Amt Ccy=\"USD\">");
        assertTrue(
                refusal(CamtReader.Message.CAMT053, noClosing)
                        .contains("without an opening and a closing balance"));
    }

    private static String refusal(CamtReader.Message m, Path file) throws Exception {
        ParsedFile f = read(m, file);
        assertTrue(f.isRefused(), () -> file + " was accepted");
        return f.refusal();
    }

    private static BankTransaction byRef(List<BankTransaction> lines, String bankRef) {
        return lines.stream()
                .filter(t -> bankRef.equals(t.getBankReference()))
                .findFirst()
                .orElseThrow();
    }
}
