package io.treso.connectors.ingest;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.camt.CamtReader;
import io.treso.connectors.replay.EventJson;
import io.treso.event.BankStatement;
import io.treso.schemas.EventType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir Path tmp;

    private final SourceReader camt053 =
            SourceReader.perFile(
                    new CamtReader(CamtReader.Message.CAMT053, ZoneId.of("Europe/Paris"))::parse);

    @Test
    void writesAcceptedFilesInEventTimeOrderAndNamesTheRefusedOne() throws Exception {
        Path bad =
                edited(
                        tmp,
                        "camt053-v02.xml",
                        "<Amt Ccy=\"EUR\">11069.50</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt><Dt>2026-03-02</Dt>",
                        "<Amt Ccy=\"EUR\">11069.51</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Dt><Dt>2026-03-02</Dt>");
        List<Path> files =
                List.of(path("camt053-v08-multicurrency.xml"), bad, path("camt053-v02.xml"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path output = tmp.resolve("out/events.jsonl");
        Ingest.Outcome outcome;
        try (ReplayFileSink sink = new ReplayFileSink(output)) {
            outcome =
                    Ingest.run(
                            camt053.read(files),
                            sink,
                            new PrintWriter(out, true),
                            new PrintWriter(err, true));
        }
        assertEquals(1, outcome.exitCode());
        assertEquals(1, outcome.refused());
        assertEquals(
                "treso: refused "
                        + bad
                        + ": statement STMT-20260302 of DE89370400440532013000: opening 10000.00 EUR"
                        + " + 3 booked entries 1069.50 EUR = 11069.50 EUR, but the closing balance is 11069.51 EUR (gap 0.01 EUR)\n",
                err.toString());
        assertTrue(
                out.toString()
                        .contains(path("camt053-v02.xml") + ": 5 entries read, 7 events written"),
                out.toString());
        assertTrue(
                out.toString()
                        .contains(
                                "  END_OF_DAY EOD-20260304-USD: balanced: opening 2000.00 USD + 1 booked entries 150.00 USD = closing 2150.00 USD"),
                out.toString());

        List<String> lines = Files.readAllLines(output);
        assertEquals(outcome.eventsWritten(), lines.size());
        assertEquals(7 + 3 + 2, lines.size());
        List<Instant> times = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (String l : lines) {
            SpecificRecord r = EventJson.parseLine(l);
            times.add(EventType.eventTime(r));
            if (r instanceof BankStatement s) kinds.add(s.getStatementId());
        }
        assertEquals(
                List.of("STMT-20260302", "STMT-20260303", "EOD-20260304-EUR", "EOD-20260304-USD"),
                kinds);
        assertTrue(times.get(0).isBefore(times.get(times.size() - 1)));
        assertFalse(Files.exists(output.resolveSibling("events.jsonl.partial")));

        // The same files again give the same events: ids come from the files.
        Path again = tmp.resolve("again.jsonl");
        try (ReplayFileSink sink = new ReplayFileSink(again)) {
            Ingest.run(
                    camt053.read(files),
                    sink,
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(new StringWriter()));
        }
        assertEquals(lines, Files.readAllLines(again));
    }

    @Test
    void aSinkFailureStopsAtThatBatchAndSaysWhatIsPublished() throws Exception {
        List<String> written = new ArrayList<>();
        IngestSink failsOnSecond =
                new IngestSink() {
                    int n;

                    @Override
                    public void write(IngestBatch batch) throws IOException {
                        if (++n == 2) throw new IOException("broker gone");
                        written.add(batch.label());
                    }

                    @Override
                    public void close() {}
                };
        StringWriter err = new StringWriter();
        Ingest.Outcome outcome =
                Ingest.run(
                        camt053.read(List.of(path("camt053-v02.xml"))),
                        failsOnSecond,
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err, true));
        assertEquals(1, outcome.exitCode());
        assertEquals(List.of("END_OF_DAY STMT-20260302"), written);
        assertEquals(3 + 1, outcome.eventsWritten());
        assertTrue(
                err.toString()
                        .startsWith(
                                "treso: ingest stopped at "
                                        + path("camt053-v02.xml")
                                        + ": broker gone."),
                err.toString());
        assertTrue(err.toString().contains("Re-run the same command"));
    }

    @Test
    void minorUnitsFollowTheCurrency() throws Exception {
        assertEquals(1_234L, MinorUnits.of("1234", "JPY"));
        assertEquals(1_234_500L, MinorUnits.of("1234.500", "KWD"));
        assertEquals(
                "amount 12.5 JPY has more decimals than JPY allows (0)",
                org.junit.jupiter.api.Assertions.assertThrows(
                                RefusedFileException.class, () -> MinorUnits.of("12.5", "JPY"))
                        .getMessage());
        assertEquals(
                "\"EURO\" is not an ISO 4217 currency code",
                org.junit.jupiter.api.Assertions.assertThrows(
                                RefusedFileException.class, () -> MinorUnits.of("1", "EURO"))
                        .getMessage());
        assertEquals("-0.05 EUR", MinorUnits.format(-5, "EUR"));
    }

    /** A refusal is one short line whatever the file wrote: never the amount written out. */
    @Test
    void absurdAmountsAreRefusedInOneShortLine() {
        for (String amount :
                List.of("1E+999999999", "-1E+999999999", "1E-999999999", "9".repeat(10_000))) {
            String message =
                    org.junit.jupiter.api.Assertions.assertThrows(
                                    RefusedFileException.class,
                                    () -> MinorUnits.of(amount, "EUR", "entry 1"))
                            .getMessage();
            assertTrue(message.startsWith("entry 1: amount "), message);
            assertTrue(message.length() < 120, message.length() + " characters: " + message);
        }
        assertEquals(
                "entry 1: amount 1E+999999999 is too large",
                org.junit.jupiter.api.Assertions.assertThrows(
                                RefusedFileException.class,
                                () -> MinorUnits.of("1E+999999999", "EUR", "entry 1"))
                        .getMessage());
    }
}
