package io.treso.cli;

import static io.treso.cli.TresoCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCliTest.Run;
import io.treso.connectors.replay.EventJson;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.schemas.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code treso ingest} then {@code treso replay}: the bank's own closing balances come back. */
class IngestCommandTest {
    /** The connectors' fixtures; Maven runs each module's tests from the module's folder. */
    static final Path FIXTURES = Path.of("../connectors/src/test/resources/ingest");

    @TempDir Path dir;

    private Path ingest(String format, String zone, String... files) {
        Path out = dir.resolve(format + ".jsonl");
        List<String> args = new ArrayList<>(List.of("ingest", "--format", format, "--zone", zone));
        for (String f : files) args.add(FIXTURES.resolve(f).toString());
        args.addAll(List.of("--output", out.toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void ingestThenReplayReproducesTheBanksClosingBalances() throws Exception {
        List<Path> parts =
                List.of(
                        ingest("camt054", "Europe/Paris", "camt054-v04-notification.xml"),
                        ingest("camt052", "Europe/Paris", "camt052-v08-intraday.xml"),
                        ingest(
                                "camt053",
                                "Europe/Paris",
                                "camt053-v02.xml",
                                "camt053-v08-multicurrency.xml"),
                        ingest("mt940", "Europe/Berlin", "mt940-two-pages.sta", "mt940-fin.fin"));
        Path events = dir.resolve("events.jsonl");
        List<String> all = new ArrayList<>();
        for (Path p : parts) all.addAll(Files.readAllLines(p));
        Files.write(events, all);
        Path out = dir.resolve("replay");
        Run r = run("replay", "--input", events.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());

        Map<String, CashPosition> last = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("positions.jsonl"))) {
            CashPosition p = (CashPosition) EventJson.fromOutputLine(EventType.POSITION, line);
            if (!p.getScope().contains(":")) last.put(p.getScope(), p);
        }
        assertEquals(4, last.size(), last.keySet().toString());
        Map<String, Long> expected =
                Map.of(
                        "DE89370400440532013000", 1_105_940L,
                        "FR7630006000011234567890189", 590_800L,
                        "US-SUB-0001", 215_000L,
                        "DE44500105175407324931", 1_087_440L);
        for (CashPosition p : last.values()) {
            assertEquals(expected.get(p.getScope()), p.getBankReportedBalanceMinor(), p.getScope());
            assertEquals(p.getBankReportedBalanceMinor(), p.getBalanceMinor(), p.getScope());
        }
        List<String> alertTypes = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("alerts.jsonl"))) {
            alertTypes.add(((CashAlert) EventJson.fromOutputLine(EventType.ALERT, line)).getType());
        }
        assertFalse(alertTypes.contains("BALANCE_BREAK"), alertTypes.toString());
        assertTrue(Files.readAllLines(out.resolve("dead_letters.jsonl")).isEmpty());
    }

    @Test
    void aRefusedFileExitsWithOneNamingFileStatementAndReason() throws Exception {
        Path bad = dir.resolve("bad.sta");
        Files.writeString(
                bad,
                Files.readString(FIXTURES.resolve("mt940-fin.fin"))
                        .replace(":62F:C260303EUR10874,40", ":62F:C260303EUR10874,41"));
        Path earlier = Files.writeString(dir.resolve("x.jsonl"), "{\"earlier\":true}\n");
        Run r = run("ingest", "--format", "mt940", bad.toString(), "--output", earlier.toString());
        assertEquals(1, r.code());
        assertEquals(
                "{\"earlier\":true}\n",
                Files.readString(earlier),
                "a run that refused everything leaves an existing output as it was");
        Path folder = Files.createDirectories(dir.resolve("out-dir"));
        Run intoDir =
                run("ingest", "--format", "mt940", bad.toString(), "--output", folder.toString());
        assertEquals(2, intoDir.code(), intoDir.err());
        assertTrue(Files.isDirectory(folder), "a directory is never replaced by a file");
        assertEquals(
                "treso: refused "
                        + bad
                        + ": statement 2026-03-03/00013 of DE44500105175407324931 page 1: opening"
                        + " 10784.50 EUR + entries 89.90 EUR ≠ closing 10874.41 EUR (gap 0.01 EUR)",
                r.err().strip());
    }

    /** The launcher's classpath is this module's: commons-csv must find the commons-io it needs. */
    @Test
    void csvExportsIngestOnTheLaunchersClasspath() throws Exception {
        for (String format : List.of("csv:qonto", "csv:revolut")) {
            Path out = dir.resolve(format.substring(4) + ".jsonl");
            String file = FIXTURES.resolve(format.substring(4) + ".csv").toString();
            Run r =
                    run(
                            "ingest",
                            "--format",
                            format,
                            "--account",
                            "FR7630006000011234567890189",
                            file,
                            "--output",
                            out.toString());
            assertEquals(0, r.code(), format + ": " + r.err());
            assertFalse(Files.readAllLines(out).isEmpty(), format);
        }
    }

    @Test
    void aGarbageFileBesideAGoodOneIsRefusedAloneAndTheGoodOneIsPublished() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.xml"), "<Document>not camt");
        Path out = dir.resolve("mixed.jsonl");
        Run r =
                run(
                        "ingest",
                        "--format",
                        "camt053",
                        "--zone",
                        "Europe/Paris",
                        FIXTURES.resolve("camt053-v02.xml").toString(),
                        garbage.toString(),
                        "--output",
                        out.toString());
        assertEquals(1, r.code(), "a refused file makes the run fail: " + r.err());
        assertTrue(r.err().contains("refused " + garbage), r.err());
        Path alone = ingest("camt053", "Europe/Paris", "camt053-v02.xml");
        assertEquals(Files.readAllLines(alone), Files.readAllLines(out), "the good file goes on");
    }

    @Test
    void usageMistakesSayWhatIsMissing() {
        String file = FIXTURES.resolve("revolut.csv").toString();
        Run noAccount = run("ingest", "--format", "csv:revolut", file, "--output", "x.jsonl");
        assertEquals(2, noAccount.code());
        assertTrue(noAccount.err().contains("csv needs --account IBAN"), noAccount.err());
        Run noTarget = run("ingest", "--format", "camt053", file);
        assertEquals(2, noTarget.code());
        Run noStore =
                run(
                        "ingest",
                        "--format",
                        "stripe",
                        FIXTURES.resolve("stripe/payout.json").toString(),
                        "--output",
                        "x.jsonl");
        assertEquals(2, noStore.code());
        assertTrue(noStore.err().contains("stripe needs --store"), noStore.err());
    }
}
