package io.treso.connectors.ingest;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.util.Preconditions;

/** What one source file gave: its batches, or the one reason it was refused. */
public final class ParsedFile {
    private final Path file;
    private final int entriesRead;
    private final List<IngestBatch> batches;
    private final String refusal;

    private ParsedFile(Path file, int entriesRead, List<IngestBatch> batches, String refusal) {
        this.file = Preconditions.checkNotNull(file);
        this.entriesRead = entriesRead;
        this.batches = List.copyOf(batches);
        this.refusal = refusal;
    }

    public static ParsedFile accepted(Path file, int entriesRead, List<IngestBatch> batches) {
        return new ParsedFile(file, entriesRead, batches, null);
    }

    public static ParsedFile refused(Path file, String reason) {
        return new ParsedFile(file, 0, List.of(), Preconditions.checkNotNull(reason));
    }

    public Path file() {
        return file;
    }

    /** Entries, transactions or records read from the file, before any grouping. */
    public int entriesRead() {
        return entriesRead;
    }

    public List<IngestBatch> batches() {
        return batches;
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public String refusal() {
        return refusal;
    }
}
