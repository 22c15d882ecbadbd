package io.treso.connectors.ingest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes what readers accepted, batch by batch in event-time order across files, and reports per
 * file: entries read, events written, each statement's check; refused files with their one reason.
 * Files are independent: a refused file publishes nothing, the others go on.
 */
public final class Ingest {
    private Ingest() {}

    /** The outcome: exit code 0 when every file was accepted and written. */
    public record Outcome(int refused, long eventsWritten, String failure) {
        public int exitCode() {
            return failure != null || refused > 0 ? 1 : 0;
        }
    }

    /** Called after each batch is written: lets tests stop a broker between two statements. */
    @FunctionalInterface
    public interface BatchListener {
        void written(Path file, IngestBatch batch);
    }

    public static Outcome run(
            List<ParsedFile> parsed, IngestSink sink, PrintWriter out, PrintWriter err) {
        return run(parsed, sink, out, err, (f, b) -> {});
    }

    public static Outcome run(
            List<ParsedFile> parsed,
            IngestSink sink,
            PrintWriter out,
            PrintWriter err,
            BatchListener listener) {
        record Pending(ParsedFile file, IngestBatch batch) {}
        List<Pending> pending = new ArrayList<>();
        int refused = 0;
        for (ParsedFile f : parsed) {
            if (f.isRefused()) {
                refused++;
                err.println("treso: refused " + f.file() + ": " + f.refusal());
            } else {
                for (IngestBatch b : f.batches()) pending.add(new Pending(f, b));
            }
        }
        // Oldest first across files, so heartbeats never run ahead of a file still to come.
        pending.sort(Comparator.comparing(p -> p.batch().firstEventTime()));
        Map<Path, Long> written = new HashMap<>();
        long total = 0;
        String failure = null;
        for (Pending p : pending) {
            try {
                sink.write(p.batch());
            } catch (IOException e) {
                failure = p.file().file() + ": " + e.getMessage();
                break;
            }
            listener.written(p.file().file(), p.batch());
            written.merge(p.file().file(), (long) p.batch().events().size(), Long::sum);
            total += p.batch().events().size();
        }
        for (ParsedFile f : parsed) {
            if (f.isRefused()) continue;
            out.println(
                    f.file()
                            + ": "
                            + f.entriesRead()
                            + " entries read, "
                            + written.getOrDefault(f.file(), 0L)
                            + " events written");
            for (IngestBatch b : f.batches()) {
                if (b.check() != null) out.println("  " + b.label() + ": " + b.check());
            }
        }
        if (failure != null) {
            err.println(
                    "treso: ingest stopped at "
                            + failure
                            + ". Batches before it are published. Re-run the same command when"
                            + " Kafka is back: event ids come from the files, so repeats are dropped.");
        }
        return new Outcome(refused, total, failure);
    }
}
