package io.treso.benchmarks;

import io.treso.connectors.camt.CamtReader;
import io.treso.connectors.ingest.Ingest;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.ReplayFileSink;
import io.treso.connectors.ingest.SourceReader;
import io.treso.connectors.mt940.Mt940Reader;
import io.treso.connectors.simulator.StatementFileWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Ingest of one large MT940 and one large camt.053 file (default 200 MB each, four accounts, 60
 * days) to a replay file, with the heap this JVM was given: prints size, entries, wall time and the
 * peak heap used. Run it with a small heap ({@code -Xmx256m}) to show statements are streamed.
 *
 * <p>{@code java -Xmx256m -cp ... io.treso.benchmarks.LargeStatementIngest [MB]}
 */
public final class LargeStatementIngest {
    private LargeStatementIngest() {}

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Path dir = Files.createTempDirectory("treso-large-ingest");
        try {
            System.out.printf("heap max %d MB%n", Runtime.getRuntime().maxMemory() / (1 << 20));
            // An MT940 entry takes about 84 bytes here, a camt.053 entry about 305.
            measure(
                    "mt940",
                    dir,
                    shape(megabytes * 1_000_000L / 84),
                    SourceReader.perFile(new Mt940Reader(zone)::parse));
            measure(
                    "camt053",
                    dir,
                    shape(megabytes * 1_000_000L / 305),
                    SourceReader.perFile(new CamtReader(CamtReader.Message.CAMT053, zone)::parse));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private static StatementFileWriter.Shape shape(long entries) {
        int accounts = 4;
        int days = 60;
        int perDay = (int) Math.max(1, entries / (accounts * days));
        return new StatementFileWriter.Shape(accounts, days, perDay, LocalDate.of(2026, 1, 5), 42);
    }

    private static void measure(
            String format, Path dir, StatementFileWriter.Shape shape, SourceReader reader)
            throws Exception {
        Path file = dir.resolve("large-" + format);
        if (format.equals("mt940")) StatementFileWriter.mt940(shape, file);
        else StatementFileWriter.camt053(shape, file);
        Path output = dir.resolve(format + ".jsonl");
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
            pool.resetPeakUsage();
        long start = System.nanoTime();
        List<ParsedFile> parsed = reader.read(List.of(file));
        long checked = System.nanoTime();
        Ingest.Outcome outcome;
        try (ReplayFileSink sink = new ReplayFileSink(output)) {
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            outcome = Ingest.run(parsed, sink, quiet, new PrintWriter(System.err, true));
        }
        long done = System.nanoTime();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf(
                "%s: %.0f MB, %,d entries, %,d events written (exit %d); check %.1f s, publish"
                        + " %.1f s, %,.0f entries/s; peak heap %d MB%n",
                format,
                Files.size(file) / 1e6,
                shape.entries(),
                outcome.eventsWritten(),
                outcome.exitCode(),
                (checked - start) / 1e9,
                (done - checked) / 1e9,
                shape.entries() / ((done - start) / 1e9),
                peak / (1 << 20));
        Files.delete(file);
        Files.delete(output);
    }
}
