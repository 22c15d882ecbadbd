package io.treso.connectors.intake;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Where one delivery's records go: all of them acknowledged by Kafka, or an exception. */
public interface WebhookPublisher extends AutoCloseable {
    /**
     * Returns once Kafka has acknowledged every record; throws {@link Unavailable} when it could
     * not say so in time (the sender retries), {@link Refused} when Kafka will never take them.
     */
    void publish(List<SpecificRecord> records) throws Unavailable, Refused;

    @Override
    void close();

    /** Kafka did not acknowledge in time: nothing of the delivery is visible; answer 503. */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Kafka refused a record for good (too large, a timestamp it will not store). */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
