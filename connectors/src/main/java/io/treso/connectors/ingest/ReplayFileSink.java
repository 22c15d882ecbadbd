package io.treso.connectors.ingest;

import io.treso.connectors.replay.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes the replay input format (one JSON event per line, statements included). The file appears
 * under its name only when complete, so a failed run never leaves half a file for replay, and a run
 * that wrote nothing (every file refused) leaves an existing file as it was.
 */
public final class ReplayFileSink implements IngestSink {
    private final Path target;
    private final Path partial;
    private final BufferedWriter out;
    private long written;

    public ReplayFileSink(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        if (this.target.getParent() != null) Files.createDirectories(this.target.getParent());
        this.partial = this.target.resolveSibling(this.target.getFileName() + ".partial");
        this.out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
    }

    @Override
    public void write(IngestBatch batch) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (SpecificRecord r : batch.events()) lines.append(EventJson.toLine(r)).append('\n');
        out.write(lines.toString());
        written += batch.events().size();
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (written == 0) {
            Files.delete(partial);
            return;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
