package io.treso.connectors.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.camt.CamtReader;
import io.treso.connectors.mt940.Mt940Reader;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.StatementFileWriter;
import io.treso.event.BankTransaction;
import io.treso.schemas.EventType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statement files are checked and published one statement at a time: a file far larger than the
 * heap is ingested whole, in the same order as if every batch of every file had been sorted in
 * memory, and a multi-account file (not in time order) is published oldest statement first.
 */
class StreamingIngestTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    @TempDir Path tmp;

    @Test
    void multiAccountFilesArePublishedInTheOrderOfAStableSortOfAllTheirBatches() throws Exception {
        StatementFileWriter.Shape shape =
                new StatementFileWriter.Shape(3, 6, 4, LocalDate.of(2026, 3, 2), 7);
        Path mt940 = tmp.resolve("three-accounts.sta");
        Path camt = tmp.resolve("three-accounts.xml");
        StatementFileWriter.mt940(shape, mt940);
        StatementFileWriter.camt053(shape, camt);
        // Two formats of one business, and a second MT940 shape (one account) beside it.
        StatementFileWriter.Shape other =
                new StatementFileWriter.Shape(1, 9, 2, LocalDate.of(2026, 2, 27), 11);
        Path single = tmp.resolve("one-account.sta");
        StatementFileWriter.mt940(other, single);

        SourceReader mt = SourceReader.perFile(new Mt940Reader(ZONE)::parse);
        List<ParsedFile> parsed = mt.read(List.of(mt940, single));
        for (ParsedFile f : parsed) assertTrue(!f.isRefused(), () -> f.refusal());
        assertEquals(3 * 6, parsed.get(0).plan().size());
        assertEquals(3 * 6 * 4, parsed.get(0).entriesRead());

        List<SpecificRecord> published = ingest(parsed);
        // The reference: every batch held and sorted stably by first event time.
        List<IngestBatch> all = new ArrayList<>();
        for (ParsedFile f : parsed) all.addAll(f.batches());
        all.sort(Comparator.comparing(IngestBatch::firstEventTime));
        List<SpecificRecord> expected = new ArrayList<>();
        for (IngestBatch b : all) expected.addAll(b.events());
        assertEquals(lines(expected), lines(published));
        assertEquals((3 * 6 * 5) + (9 * 3), published.size());
        // The file goes account by account, so its order is not time order: 3 runs were merged.
        List<Instant> fileOrder =
                parsed.get(0).plan().stream().map(ParsedFile.Planned::firstEventTime).toList();
        assertTrue(!fileOrder.equals(fileOrder.stream().sorted().toList()));

        // The camt.053 of the same business books the same lines.
        SourceReader camt053 =
                SourceReader.perFile(new CamtReader(CamtReader.Message.CAMT053, ZONE)::parse);
        List<SpecificRecord> fromCamt = ingest(camt053.read(List.of(camt)));
        List<SpecificRecord> fromMt940 = ingest(mt.read(List.of(mt940)));
        assertEquals(bookings(fromMt940), bookings(fromCamt));
        assertEquals(3 * 6 * 4, bookings(fromCamt).size());
    }

    @Test
    void aFileFarLargerThanTheHeapIsIngestedWhole() throws Exception {
        for (String format : List.of("mt940", "camt053")) {
            // About 22 MB each: an MT940 entry takes 90 bytes, a camt.053 entry 330.
            StatementFileWriter.Shape shape =
                    new StatementFileWriter.Shape(
                            4,
                            60,
                            format.equals("mt940") ? 1000 : 280,
                            LocalDate.of(2026, 1, 5),
                            3);
            Path file = tmp.resolve("large." + format);
            if (format.equals("mt940")) StatementFileWriter.mt940(shape, file);
            else StatementFileWriter.camt053(shape, file);
            long size = Files.size(file);
            Path output = tmp.resolve(format + ".jsonl");
            Process p =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx64m",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    IngestProbe.class.getName(),
                                    format,
                                    file.toString(),
                                    output.toString())
                            .redirectErrorStream(true)
                            .start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), format + " did not finish");
            System.out.printf(
                    "%s: %.1f MB, %d entries, with -Xmx64m: %s%n",
                    format, size / 1e6, shape.entries(), said.strip());
            assertEquals(0, p.exitValue(), format + ": " + said);
            assertTrue(size > 20_000_000, "the file is larger than a third of the heap");
            long statements = (long) shape.accounts() * shape.days();
            try (Stream<String> lines = Files.lines(output)) {
                assertEquals(shape.entries() + statements, lines.count());
            }
        }
    }

    private static List<SpecificRecord> ingest(List<ParsedFile> parsed) throws IOException {
        Path output = Files.createTempFile("ingest", ".jsonl");
        StringWriter err = new StringWriter();
        try (ReplayFileSink sink = new ReplayFileSink(output)) {
            Ingest.Outcome o =
                    Ingest.run(
                            parsed,
                            sink,
                            new PrintWriter(new StringWriter()),
                            new PrintWriter(err, true));
            assertEquals(0, o.exitCode(), err.toString());
        }
        List<SpecificRecord> out = new ArrayList<>();
        for (String line : Files.readAllLines(output)) out.add(EventJson.parseLine(line));
        Files.delete(output);
        return out;
    }

    private static List<String> lines(List<SpecificRecord> records) {
        return records.stream().map(EventJson::toLine).toList();
    }

    /** Account, booking time and amount of each line: what both formats must agree on. */
    private static List<String> bookings(List<SpecificRecord> records) {
        return records.stream()
                .filter(r -> r instanceof BankTransaction)
                .map(r -> (BankTransaction) r)
                .map(
                        t ->
                                t.getAccountId()
                                        + " "
                                        + EventType.eventTime(t)
                                        + " "
                                        + t.getAmountMinor())
                .sorted()
                .toList();
    }
}
