package io.treso.connectors.ingest;

import io.treso.connectors.camt.CamtReader;
import io.treso.connectors.mt940.Mt940Reader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * Ingests one statement file to a replay file in a JVM of its own, so a test can bound its heap:
 * {@code IngestProbe mt940|camt053 FILE OUTPUT}. Prints the outcome and the peak heap used.
 */
public final class IngestProbe {
    private IngestProbe() {}

    public static void main(String[] args) throws Exception {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        SourceReader reader =
                switch (args[0]) {
                    case "mt940" -> SourceReader.perFile(new Mt940Reader(zone)::parse);
                    case "camt053" ->
                            SourceReader.perFile(
                                    new CamtReader(CamtReader.Message.CAMT053, zone)::parse);
                    default -> throw new IllegalArgumentException(args[0]);
                };
        PrintWriter out = new PrintWriter(System.out, true);
        Ingest.Outcome outcome;
        try (ReplayFileSink sink = new ReplayFileSink(Path.of(args[2]))) {
            outcome =
                    Ingest.run(
                            reader.read(List.of(Path.of(args[1]))),
                            sink,
                            new PrintWriter(java.io.Writer.nullWriter()),
                            out);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        out.println(
                "events written "
                        + outcome.eventsWritten()
                        + ", peak heap "
                        + peak / (1 << 20)
                        + " MB");
        System.exit(outcome.exitCode());
    }
}
