package io.treso.connectors.ingest;

import java.io.IOException;

/** Where ingested events go. {@link #write} is all or nothing for one batch. */
public interface IngestSink extends AutoCloseable {
    void write(IngestBatch batch) throws IOException;

    @Override
    void close() throws IOException;
}
