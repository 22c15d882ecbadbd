package io.treso.connectors.intake;

import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Preconditions;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each delivery's records in one Kafka transaction and returns only after the commit, so
 * a 2xx means Kafka has them. One transactional producer serves the deliveries one at a time (a
 * shop's webhooks are tens a second at most; a commit takes milliseconds). After any failure the
 * producer is dropped and the next delivery starts a new one, whose {@code initTransactions} fences
 * and aborts whatever the old one left open: a delivery answered 503 is never half visible.
 */
public final class KafkaWebhookPublisher implements WebhookPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWebhookPublisher.class);

    private final String bootstrap;
    private final Map<String, String> client;
    private final SchemaRegistryClient registry;
    private final TresoTopics topics;
    private final String transactionalId;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock(true);
    private EventPublisher producer;
    private boolean down;

    public KafkaWebhookPublisher(
            String bootstrap,
            Map<String, String> client,
            SchemaRegistryClient registry,
            TresoTopics topics,
            String transactionalId,
            Duration timeout) {
        this.bootstrap = Preconditions.checkNotNull(bootstrap);
        this.client = Map.copyOf(client);
        this.registry = Preconditions.checkNotNull(registry);
        this.topics = Preconditions.checkNotNull(topics);
        this.transactionalId = Preconditions.checkNotNull(transactionalId);
        Preconditions.checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout > 0");
        this.timeout = timeout;
    }

    @Override
    public void publish(List<SpecificRecord> records) throws Unavailable, Refused {
        try {
            // Deliveries queued behind a stuck broker answer 503 in time rather than pile up
            // past the sender's own timeout (Shopify waits five seconds).
            if (!lock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Unavailable(
                        "Kafka at " + bootstrap + " is busy with earlier deliveries", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting to publish", e);
        }
        try {
            if (producer == null) {
                producer =
                        EventPublisher.transactional(
                                bootstrap,
                                client,
                                registry,
                                topics,
                                "intake",
                                transactionalId,
                                timeout.toMillis());
            }
            producer.beginTransaction();
            for (SpecificRecord r : records) {
                if (r instanceof io.treso.event.DeadLetter) producer.publishWithoutHeartbeats(r);
                else producer.publish(r);
            }
            producer.commitTransaction();
            if (down) {
                LOG.info("Kafka at {} acknowledges again; deliveries are published", bootstrap);
                down = false;
            }
        } catch (RuntimeException e) {
            drop();
            if (permanent(e)) {
                throw new Refused("Kafka refused the records: " + rootMessage(e), e);
            }
            if (!down) {
                LOG.warn(
                        "Kafka at {} did not acknowledge a delivery within {} s ({}); answering 503 so senders retry, until it does",
                        bootstrap,
                        timeout.toSeconds(),
                        rootMessage(e));
                down = true;
            }
            throw new Unavailable("Kafka at " + bootstrap + " did not acknowledge in time", e);
        } finally {
            lock.unlock();
        }
    }

    private void drop() {
        if (producer == null) return;
        try {
            producer.abandon();
        } catch (RuntimeException closeFailed) {
            // Closing a producer whose broker is gone; the next one fences what it left open.
        }
        producer = null;
    }

    /** Records Kafka will never take, however often the sender retries. */
    static boolean permanent(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof InvalidTimestampException
                    || c instanceof RecordTooLargeException
                    || c instanceof InvalidRecordException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) c = c.getCause();
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (producer != null) producer.close();
            producer = null;
        } finally {
            lock.unlock();
        }
    }
}
