package io.treso.connectors.ingest;

import io.treso.connectors.kafka.EventPublisher;
import java.io.IOException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes each batch (one statement, or one PSP file) in one Kafka transaction, with the
 * heartbeats its event times call for, so a half-published statement is never visible to {@code
 * read_committed} readers. A broker that goes away fails the batch with a clear message.
 */
public final class KafkaIngestSink implements IngestSink {
    private final EventPublisher publisher;
    private final String bootstrap;

    public KafkaIngestSink(EventPublisher transactionalPublisher, String bootstrap) {
        this.publisher = transactionalPublisher;
        this.bootstrap = bootstrap;
    }

    @Override
    public void write(IngestBatch batch) throws IOException {
        try {
            publisher.beginTransaction();
            for (SpecificRecord r : batch.events()) publisher.publish(r);
            publisher.commitTransaction();
        } catch (KafkaException e) {
            try {
                publisher.abortTransaction();
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed); // the broker is gone: the transaction times out
            }
            throw new IOException(
                    "Kafka at "
                            + bootstrap
                            + " failed while publishing "
                            + batch.label()
                            + " ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + "); nothing of it is visible",
                    e);
        }
    }

    public long heartbeats() {
        return publisher.heartbeats();
    }

    @Override
    public void close() {
        try {
            publisher.close();
        } catch (KafkaException e) {
            // Closing after a lost broker; the failure was already reported.
        }
    }
}
