package io.treso.connectors.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * One file's batches in file order, one at a time, so a reader that streams never holds more than
 * one statement: a 200 MB statement file is read twice (checked, then published), never held.
 */
public interface BatchCursor extends Closeable {
    /** The next batch, or null after the last; a refusal names what is wrong. */
    IngestBatch next() throws IOException, RefusedFileException;

    /** Entries, transactions or records read so far. */
    int entriesRead();

    /** Opens a file's cursor from its start, as often as asked. */
    @FunctionalInterface
    interface Opener {
        BatchCursor open() throws IOException;
    }
}
