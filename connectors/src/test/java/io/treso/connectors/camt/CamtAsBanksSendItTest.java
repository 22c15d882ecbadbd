package io.treso.connectors.camt;

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
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid ISO 20022 files that were refused: version 1 (its own element names), an account without a
 * currency, a notification entry with a value date only, a balance dated with a date-time. The
 * fixtures are written from the schemas' rules (camt.053.001.01, camt.054.001.06), not copied.
 */
class CamtAsBanksSendItTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @TempDir Path tmp;

    private static ParsedFile read(CamtReader.Message m, Path file) throws Exception {
        ParsedFile f = new CamtReader(m, PARIS).parse(file);
        assertTrue(!f.isRefused(), () -> file + " refused: " + f.refusal());
        return f;
    }

    @Test
    void version1IsReadWithItsOwnElementNames() throws Exception {
        ParsedFile f = read(CamtReader.Message.CAMT053, path("camt053-v01.xml"));
        BankStatement s = statements(f).get(0);
        assertEquals("0012345678", s.getAccountId(), "Acct/Id/PrtryAcct/Id");
        assertEquals(250_000L, s.getOpeningBalanceMinor(), "Bal/Tp/Cd OPBD");
        assertEquals(291_025L, s.getClosingBalanceMinor(), "Bal/Tp/Cd CLBD");
        assertEquals(62L, s.getSequence());
        assertEquals(
                Instant.parse("2026-03-03T23:00:00Z"),
                s.getPeriodEnd(),
                "the closing balance's Dt/DtTm gives the day");
        List<BankTransaction> lines = lines(f);
        assertEquals(2, lines.size());
        assertEquals("STRIPE PAYOUT po_V01A po_V01A", lines.get(0).getReference());
        assertEquals("STRIPE PAYMENTS EUROPE", lines.get(0).getCounterpartyName(), "Ntry/TxDtls");
        assertEquals(-21_000L, lines.get(1).getAmountMinor());
        assertEquals("CARTONNAGES DU NORD", lines.get(1).getCounterpartyName());
        assertTrue(f.plan().get(0).check().startsWith("balanced: opening 2500.00 EUR"));
    }

    @Test
    void aNotificationWithoutAccountCurrencyAndAValueDateOnlyEntryIsBooked() throws Exception {
        ParsedFile f = read(CamtReader.Message.CAMT054, path("camt054-v06-value-date-only.xml"));
        List<BankTransaction> lines = lines(f);
        assertEquals(List.of("EUR", "EUR"), lines.stream().map(t -> t.getCurrency()).toList());
        BankTransaction rent = lines.get(1);
        assertEquals(-30_000L, rent.getAmountMinor());
        assertEquals(Instant.parse("2026-03-05T23:00:00Z"), rent.getBookedAt(), "on its ValDt");
        assertEquals(LocalDate.parse("2026-03-06"), rent.getValueDate());
        assertEquals("LOYER MARS", rent.getReference());
        assertTrue(
                f.plan()
                        .get(0)
                        .check()
                        .endsWith(
                                "1 entry has no booking date (BookgDt) and is booked on the value"
                                        + " date"),
                f.plan().get(0).check());
    }

    @Test
    void entriesThatDisagreeOnTheCurrencyOfAnAccountWithoutOneAreRefused() throws Exception {
        Path mixed =
                edited(
                        tmp,
                        "camt054-v06-value-date-only.xml",
                        "<Amt Ccy=\"EUR\">300.00</Amt>",
                        "<Amt Ccy=\"USD\">300.00</Amt>");
        ParsedFile f = new CamtReader(CamtReader.Message.CAMT054, PARIS).parse(mixed);
        assertEquals(
                "notification NTF-VD-0305 names no account currency (Acct/Ccy) and its entries"
                        + " are in EUR and USD: which one is the account's cannot be told",
                f.refusal());
    }

    @Test
    void aStatementInAnotherCurrencyThanItsAccountIsStillRefused() throws Exception {
        Path foreign =
                edited(
                        tmp,
                        "camt053-v01.xml",
                        "<Amt Ccy=\"EUR\">210.00</Amt>",
                        "<Amt Ccy=\"USD\">210.00</Amt>");
        ParsedFile f = new CamtReader(CamtReader.Message.CAMT053, PARIS).parse(foreign);
        assertEquals("V01-STMT-0303: entry 2 is booked in USD on a EUR account", f.refusal());
    }

    @Test
    void aReportWithoutBalancesOrAccountCurrencyTakesItsEntriesCurrency() throws Exception {
        String report =
                "<?xml version=\"1.0\"?>\n"
                        + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.01\">"
                        + "<BkToCstmrAcctRptV01><GrpHdr><MsgId>R1</MsgId>"
                        + "<CreDtTm>2026-03-05T12:00:00+01:00</CreDtTm></GrpHdr>"
                        + "<Rpt><Id>R1</Id><CreDtTm>2026-03-05T12:00:00+01:00</CreDtTm>"
                        + "<Acct><Id><BBAN>30006000011234567890</BBAN></Id></Acct>"
                        + "<Ntry><Amt Ccy=\"GBP\">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                        + "<Sts>PDNG</Sts><BookgDt><Dt>2026-03-05</Dt></BookgDt>"
                        + "<AcctSvcrRef>R1-1</AcctSvcrRef></Ntry></Rpt>"
                        + "</BkToCstmrAcctRptV01></Document>";
        Path file = tmp.resolve("report.xml");
        java.nio.file.Files.writeString(file, report);
        ParsedFile f = read(CamtReader.Message.CAMT052, file);
        BankStatement s = statements(f).get(0);
        assertEquals("GBP", s.getCurrency());
        assertEquals("30006000011234567890", s.getAccountId(), "Acct/Id/BBAN");
        assertNull(s.getOpeningBalanceMinor());
        assertEquals("GBP", lines(f).get(0).getCurrency());
    }
}
