package io.treso.connectors.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.apache.flink.util.Preconditions;

/**
 * Writes large, valid bank statement files (MT940 and camt.053.001.08) of made-up accounts, to
 * measure and test ingest at the sizes banks send: daily end-of-day statements whose balances carry
 * over, entries with references and remittance text. Seeded, so a size gives one file.
 *
 * <p>Statements go account by account (all of one account's days, then the next account's), as
 * multi-account exports often come: the file is not in time order, which ingest must cope with.
 */
public final class StatementFileWriter {
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd");

    /** What to write: accounts × days statements of {@code entriesPerDay} entries each. */
    public record Shape(int accounts, int days, int entriesPerDay, LocalDate firstDay, long seed) {
        public Shape {
            Preconditions.checkArgument(accounts > 0 && days > 0 && entriesPerDay > 0, "%s", this);
        }

        /** The number of entries written. */
        public long entries() {
            return (long) accounts * days * entriesPerDay;
        }
    }

    private StatementFileWriter() {}

    /** Bare MT940 block-4 text, one statement per account and day. */
    public static void mt940(Shape shape, Path file) throws IOException {
        Random random = new Random(shape.seed());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            for (int a = 0; a < shape.accounts(); a++) {
                String account = iban(a);
                long balance = 1_000_000_00L;
                for (int d = 0; d < shape.days(); d++) {
                    LocalDate day = shape.firstDay().plusDays(d);
                    w.write(":20:TRESO" + a + "D" + d + "\n:25:" + account + "\n");
                    w.write(":28C:" + (d + 1) + "/1\n");
                    w.write(":60F:" + mt940Balance(day.minusDays(1), balance) + "\n");
                    for (int e = 0; e < shape.entriesPerDay(); e++) {
                        long amount = amount(random);
                        balance += amount;
                        w.write(":61:" + YYMMDD.format(day) + MMDD.format(day));
                        w.write((amount < 0 ? "D" : "C") + decimal(Math.abs(amount), ','));
                        w.write("NTRFREF" + d + "X" + e + "//BK" + a + "-" + d + "-" + e + "\n");
                        w.write(":86:" + remittance(random, e) + "\n");
                    }
                    w.write(":62F:" + mt940Balance(day, balance) + "\n-\n");
                }
            }
        }
    }

    /** One camt.053.001.08 document with a {@code Stmt} per account and day. */
    public static void camt053(Shape shape, Path file) throws IOException {
        Random random = new Random(shape.seed());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            w.write("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n");
            w.write("<BkToCstmrStmt><GrpHdr><MsgId>TRESO-LARGE</MsgId>");
            w.write("<CreDtTm>" + shape.firstDay() + "T05:00:00Z</CreDtTm></GrpHdr>\n");
            for (int a = 0; a < shape.accounts(); a++) {
                String account = iban(a);
                long balance = 1_000_000_00L;
                for (int d = 0; d < shape.days(); d++) {
                    LocalDate day = shape.firstDay().plusDays(d);
                    w.write("<Stmt><Id>TRESO-" + a + "-" + d + "</Id>");
                    w.write("<ElctrncSeqNb>" + (d + 1) + "</ElctrncSeqNb>\n");
                    w.write("<Acct><Id><IBAN>" + account + "</IBAN></Id><Ccy>EUR</Ccy></Acct>\n");
                    w.write(camtBalance("OPBD", day, balance));
                    StringBuilder entries = new StringBuilder();
                    for (int e = 0; e < shape.entriesPerDay(); e++) {
                        long amount = amount(random);
                        balance += amount;
                        entries.append("<Ntry><Amt Ccy=\"EUR\">")
                                .append(decimal(Math.abs(amount), '.'))
                                .append("</Amt><CdtDbtInd>")
                                .append(amount < 0 ? "DBIT" : "CRDT")
                                .append("</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>")
                                .append(day)
                                .append("</Dt></BookgDt><ValDt><Dt>")
                                .append(day)
                                .append("</Dt></ValDt><AcctSvcrRef>BK")
                                .append(a)
                                .append('-')
                                .append(d)
                                .append('-')
                                .append(e)
                                .append("</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>")
                                .append(remittance(random, e))
                                .append("</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n");
                    }
                    w.write(camtBalance("CLBD", day, balance));
                    w.write(entries.toString());
                    w.write("</Stmt>\n");
                }
            }
            w.write("</BkToCstmrStmt>\n</Document>\n");
        }
    }

    private static String iban(int account) {
        return String.format("DE%02d500105170000%06d", 10 + account % 89, account);
    }

    /** Mostly small card payouts in, some larger supplier payments out. */
    private static long amount(Random random) {
        return random.nextInt(10) < 7
                ? 1_00L + random.nextInt(250_00)
                : -(10_00L + random.nextInt(900_00));
    }

    private static String remittance(Random random, int entry) {
        return (entry % 3 == 0 ? "STRIPE PAYOUT po_" : "SEPA TRANSFER INVOICE ")
                + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String mt940Balance(LocalDate day, long balance) {
        return (balance < 0 ? "D" : "C")
                + YYMMDD.format(day)
                + "EUR"
                + decimal(Math.abs(balance), ',');
    }

    private static String camtBalance(String code, LocalDate day, long balance) {
        return "<Bal><Tp><CdOrPrtry><Cd>"
                + code
                + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">"
                + decimal(Math.abs(balance), '.')
                + "</Amt><CdtDbtInd>"
                + (balance < 0 ? "DBIT" : "CRDT")
                + "</CdtDbtInd><Dt><Dt>"
                + day
                + "</Dt></Dt></Bal>\n";
    }

    private static String decimal(long minor, char separator) {
        return minor / 100 + String.valueOf(separator) + String.format("%02d", minor % 100);
    }
}
