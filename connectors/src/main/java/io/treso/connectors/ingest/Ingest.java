package io.treso.connectors.ingest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Publishes what readers accepted, batch by batch in event-time order across files, and reports per
 * file: entries read, events written, each statement's check; refused files with their one reason.
 * Files are independent: a refused file publishes nothing, the others go on.
 *
 * <p>The order is that of a stable sort of every batch by its first event time, so heartbeats never
 * run ahead of a file still to come; it is produced by merging each file's time-ordered runs, read
 * again from the files one batch at a time, so memory holds one statement per run, not the files.
 */
public final class Ingest {
    /** Runs of one file read side by side (an open file each); beyond, the file is held sorted. */
    static final int MAX_RUNS_PER_FILE = 8;

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
        int refused = 0;
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            ParsedFile f = parsed.get(i);
            if (f.isRefused()) {
                refused++;
                err.println("treso: refused " + f.file() + ": " + f.refusal());
            } else {
                runs.addAll(runs(i, f));
            }
        }
        PriorityQueue<Run> heads = new PriorityQueue<>(Run.ORDER);
        for (Run r : runs) if (r.hasNext()) heads.add(r);
        Map<Path, Long> written = new HashMap<>();
        long total = 0;
        String failure = null;
        try {
            while (!heads.isEmpty()) {
                Run run = heads.poll();
                Path file = run.file.file();
                IngestBatch batch;
                try {
                    batch = run.take();
                    sink.write(batch);
                } catch (IOException e) {
                    failure = file + ": " + e.getMessage();
                    break;
                }
                listener.written(file, batch);
                written.merge(file, (long) batch.events().size(), Long::sum);
                total += batch.events().size();
                if (run.hasNext()) heads.add(run);
            }
        } finally {
            for (Run r : runs) r.close();
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
            for (ParsedFile.Planned b : f.plan()) {
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

    /** A file's plan cut where event time goes back; a file of many such cuts is held sorted. */
    private static List<Run> runs(int fileIndex, ParsedFile f) {
        List<ParsedFile.Planned> plan = f.plan();
        List<Run> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= plan.size(); i++) {
            if (i == plan.size()
                    || plan.get(i).firstEventTime().isBefore(plan.get(i - 1).firstEventTime())) {
                out.add(new Run(fileIndex, f, start, i));
                start = i;
            }
        }
        if (out.size() <= MAX_RUNS_PER_FILE) return out;
        List<IngestBatch> sorted = new ArrayList<>(f.batches());
        sorted.sort(Comparator.comparing(IngestBatch::firstEventTime));
        ParsedFile held = ParsedFile.accepted(f.file(), f.entriesRead(), sorted);
        return List.of(new Run(fileIndex, held, 0, sorted.size()));
    }

    /** Batches {@code [next, end)} of one file, in time order, read through their own cursor. */
    private static final class Run {
        static final Comparator<Run> ORDER =
                Comparator.comparing((Run r) -> r.file.plan().get(r.next).firstEventTime())
                        .thenComparingInt(r -> r.fileIndex)
                        .thenComparingInt(r -> r.next);

        final int fileIndex;
        final ParsedFile file;
        final int end;
        int next;
        BatchCursor cursor;
        int cursorAt;

        Run(int fileIndex, ParsedFile file, int start, int end) {
            this.fileIndex = fileIndex;
            this.file = file;
            this.next = start;
            this.end = end;
        }

        boolean hasNext() {
            return next < end;
        }

        IngestBatch take() throws IOException {
            try {
                if (cursor == null) cursor = file.open();
                // A run after the file's first skips the batches before it, reading them again.
                for (; cursorAt < next; cursorAt++) {
                    if (cursor.next() == null) break;
                }
                IngestBatch b = cursor.next();
                cursorAt++;
                ParsedFile.Planned planned = file.plan().get(next);
                if (b == null || !planned.describes(b)) {
                    throw new IOException(
                            "the file changed since it was checked: "
                                    + planned.label()
                                    + " is no longer where it was; nothing more of it is published");
                }
                next++;
                return b;
            } catch (RefusedFileException e) {
                throw new IOException("the file changed since it was checked: " + e.getMessage());
            }
        }

        void close() {
            if (cursor == null) return;
            try {
                cursor.close();
            } catch (IOException e) {
                // Read-only; nothing to lose.
            }
        }
    }
}
