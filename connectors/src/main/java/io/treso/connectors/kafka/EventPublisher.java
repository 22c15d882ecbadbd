package io.treso.connectors.kafka;

import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.event.FxRate;
import io.treso.event.Heartbeat;
import io.treso.event.Obligation;
import io.treso.event.OrderEvent;
import io.treso.event.PayoutEvent;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.SchemaRegistryClient;
import io.treso.schemas.wire.AvroWireEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes canonical events to their topics in the Confluent wire format, keyed by natural scope,
 * with the event time as the record timestamp. It writes a {@link Heartbeat} to every partition of
 * every data topic each hour of event time, so a quiet partition never stalls the watermark. The
 * control topic gets none: its watermark is already {@code Long.MAX_VALUE}, and a heartbeat there
 * could only be judged against a clock nothing else moves (after a restore that resumed the control
 * source past its checkpointed progress, a week of them were dead-lettered as implausible).
 */
public final class EventPublisher implements AutoCloseable {
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final TresoTopics topics;
    private final String source;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<EventType, AvroWireEncoder<SpecificRecord>> encoders =
            new EnumMap<>(EventType.class);
    private final Map<String, AvroWireEncoder<SpecificRecord>> heartbeatEncoders = new HashMap<>();
    private final SchemaRegistryClient registry;
    private final boolean transactional;
    private long lastHeartbeatHour = Long.MIN_VALUE;
    private long published;
    private long heartbeats;
    private final String bootstrap;
    private final long maxBlockMillis;

    public EventPublisher(
            String bootstrap, SchemaRegistryClient registry, TresoTopics topics, String source) {
        this(bootstrap, Map.of(), registry, topics, source, null, 15_000);
    }

    /** A publisher with the deployment's Kafka client properties (SASL, TLS) passed through. */
    public EventPublisher(
            String bootstrap,
            Map<String, String> client,
            SchemaRegistryClient registry,
            TresoTopics topics,
            String source) {
        this(bootstrap, client, registry, topics, source, null, 15_000);
    }

    /**
     * A transactional publisher: what is sent between {@link #beginTransaction()} and {@link
     * #commitTransaction()} becomes visible to {@code read_committed} readers at once or never.
     * {@code maxBlockMillis} bounds how long a call waits for a broker that went away.
     */
    public static EventPublisher transactional(
            String bootstrap,
            SchemaRegistryClient registry,
            TresoTopics topics,
            String source,
            String transactionalId,
            long maxBlockMillis) {
        return transactional(
                bootstrap, Map.of(), registry, topics, source, transactionalId, maxBlockMillis);
    }

    /** The same, with the deployment's Kafka client properties (SASL, TLS). */
    public static EventPublisher transactional(
            String bootstrap,
            Map<String, String> client,
            SchemaRegistryClient registry,
            TresoTopics topics,
            String source,
            String transactionalId,
            long maxBlockMillis) {
        EventPublisher p =
                new EventPublisher(
                        bootstrap,
                        client,
                        registry,
                        topics,
                        source,
                        transactionalId,
                        maxBlockMillis);
        p.producer.initTransactions();
        return p;
    }

    private EventPublisher(
            String bootstrap,
            Map<String, String> client,
            SchemaRegistryClient registry,
            TresoTopics topics,
            String source,
            String transactionalId,
            long maxBlockMillis) {
        this.bootstrap = bootstrap;
        this.maxBlockMillis = maxBlockMillis;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlockMillis));
        if (transactionalId != null) {
            // Bounded by maxBlockMillis end to end, so a lost broker fails the ingest in time.
            long request = Math.min(10_000, maxBlockMillis);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(request + 10));
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        }
        this.producer = new KafkaProducer<>(p);
        this.transactional = transactionalId != null;
        this.registry = registry;
        this.topics = topics;
        this.source = source;
    }

    /** The natural scope a record is keyed by, so its partition keeps the scope's order. */
    public static String key(SpecificRecord r) {
        if (r instanceof OrderEvent o) return o.getStoreId();
        if (r instanceof PayoutEvent p) return p.getPayoutId();
        if (r instanceof BankTransaction b) return b.getAccountId();
        if (r instanceof BankStatement s) return s.getAccountId();
        if (r instanceof Obligation o) return o.getDocumentId();
        if (r instanceof FxRate f) return f.getCurrency();
        if (r instanceof ControlCommand c) return controlKey(c);
        if (r instanceof io.treso.event.DeadLetter d) return label(d);
        if (r instanceof io.treso.event.CashAlert a)
            return a.getScope(); // as the job's sink keys it
        return EventType.eventId(r);
    }

    /**
     * A dead letter's event id where it has one (the intake names the delivery), else its reason.
     */
    private static String label(io.treso.event.DeadLetter d) {
        return d.getEventId() != null ? d.getEventId() : d.getReason();
    }

    private static String idOf(SpecificRecord r) {
        return r instanceof io.treso.event.DeadLetter d ? label(d) : EventType.eventId(r);
    }

    /**
     * kind + scope + effective_at + version, plus the match or alert a command acts on: every
     * version of every rule and every action survives compaction of the control topic.
     */
    static String controlKey(ControlCommand c) {
        String key =
                c.getKind()
                        + "|"
                        + c.getScope()
                        + "|"
                        + c.getEffectiveAt().toEpochMilli()
                        + "|"
                        + c.getVersion();
        String target = c.getParams().getOrDefault("match_id", c.getParams().get("alert_id"));
        return target == null ? key : key + "|" + target;
    }

    /** Publishes one event, after the heartbeats its event time calls for. */
    public void publish(SpecificRecord record) {
        Long at = timestampOf(record);
        if (at != null) {
            if (plausible(at)) {
                heartbeatsUpTo(at);
            } else if (jumpConfirmed(at)) {
                // Time really moved on (a quiet account, a shop closed for a fortnight): the
                // heartbeats resume from here instead of stopping for good.
                lastHeartbeatHour = Math.floorDiv(at, HOUR) - 1;
                heartbeatsUpTo(at);
            }
        }
        send(record);
    }

    /** The hour of the last record far ahead of the heartbeats, awaiting a second one. */
    private long pendingJumpHour = Long.MIN_VALUE;

    /**
     * A record far ahead of the heartbeats moves them only when the record before it was far ahead
     * too and near it: two records that agree are a gap in the data, one alone may be a typo.
     */
    private boolean jumpConfirmed(long eventTime) {
        long hour = Math.floorDiv(eventTime, HOUR);
        boolean confirmed =
                pendingJumpHour != Long.MIN_VALUE
                        && Math.abs(hour - pendingJumpHour) <= MAX_HEARTBEAT_JUMP_HOURS;
        pendingJumpHour = confirmed ? Long.MIN_VALUE : hour;
        return confirmed;
    }

    /**
     * Heartbeats never follow a record far ahead of the others (a year-9999 typo would otherwise
     * mean millions of them, hour by hour); the job's gate refuses such a record anyway.
     */
    private boolean plausible(long eventTime) {
        boolean near =
                lastHeartbeatHour == Long.MIN_VALUE
                        || Math.floorDiv(eventTime, HOUR) - lastHeartbeatHour
                                <= MAX_HEARTBEAT_JUMP_HOURS;
        if (near) pendingJumpHour = Long.MIN_VALUE;
        return near;
    }

    /** The job's default {@code treso.input.max-skew}, in hours. */
    private static final long MAX_HEARTBEAT_JUMP_HOURS = 7 * 24;

    /** Publishes one record with no heartbeats: operator commands on the control topic. */
    public void publishWithoutHeartbeats(SpecificRecord record) {
        send(record);
    }

    private void send(SpecificRecord record) {
        EventType type = EventType.of(record);
        AvroWireEncoder<SpecificRecord> encoder =
                encoders.computeIfAbsent(
                        type,
                        t ->
                                new AvroWireEncoder<>(
                                        registry,
                                        SchemaRegistryClient.valueSubject(topics.of(t)),
                                        t.schema()));
        try {
            producer.send(
                    new ProducerRecord<>(
                            topics.of(type),
                            null,
                            timestampOf(record),
                            key(record).getBytes(StandardCharsets.UTF_8),
                            encoder.encode(record)),
                    (meta, e) -> {
                        if (e != null) refused(idOf(record), e);
                    });
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable("event " + idOf(record), e);
        }
        published++;
    }

    /**
     * Kafka did not answer within the block time. Its own words ("Topic … not present in metadata
     * after 15000 ms") read like a missing topic when the broker is away.
     */
    private org.apache.kafka.common.KafkaException unreachable(String at, Exception cause) {
        // Still a KafkaException: callers that abort a transaction on one keep doing so.
        return new org.apache.kafka.common.KafkaException(
                "Kafka at "
                        + bootstrap
                        + " did not answer within "
                        + maxBlockMillis / 1000
                        + " s (is the broker up?); stopped at "
                        + at
                        + ". Publishing the same events again once it is back is safe: the job drops an event id it has seen.",
                cause);
    }

    /** The first record the broker refused, kept for {@link #flush()} to report. */
    private volatile String refusal;

    private int refusals;

    private synchronized void refused(String eventId, Exception e) {
        refusals++;
        if (refusal == null) refusal = "event " + eventId + ": " + e.getMessage();
    }

    /**
     * The event time as the record's Kafka timestamp; a time no timestamp can hold (beyond epoch
     * milliseconds) goes with none, and the job's gate refuses it with its reason.
     */
    private static Long timestampOf(SpecificRecord record) {
        // An output (an alert re-sent to the notifier) is stamped now: its event time may be
        // older than the topic's retention.
        if (!EventType.of(record).isInput()) return null;
        try {
            return EventType.eventTime(record).toEpochMilli();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    public void publishAll(List<? extends SpecificRecord> records) {
        for (SpecificRecord r : records) publish(r);
    }

    /** Heartbeats for every hour boundary up to {@code eventTime}, on every input partition. */
    public void heartbeatsUpTo(long eventTime) {
        long hour = Math.floorDiv(eventTime, HOUR);
        if (lastHeartbeatHour == Long.MIN_VALUE) {
            lastHeartbeatHour = hour - 1;
        }
        while (lastHeartbeatHour < hour) {
            lastHeartbeatHour++;
            heartbeat(lastHeartbeatHour * HOUR);
        }
    }

    private void heartbeat(long at) {
        for (String topic : topics.inputTopics()) {
            if (topic.equals(topics.of(EventType.CONTROL))) continue;
            AvroWireEncoder<SpecificRecord> encoder =
                    heartbeatEncoders.computeIfAbsent(
                            topic,
                            t ->
                                    new AvroWireEncoder<>(
                                            registry,
                                            SchemaRegistryClient.recordSubject(
                                                    t, Heartbeat.getClassSchema()),
                                            Heartbeat.getClassSchema()));
            List<PartitionInfo> partitions;
            try {
                partitions = producer.partitionsFor(topic);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw unreachable("the heartbeats of " + topic, e);
            }
            for (PartitionInfo partition : partitions) {
                Heartbeat hb =
                        Heartbeat.newBuilder()
                                .setEventId(
                                        source
                                                + ":"
                                                + topic
                                                + ":"
                                                + partition.partition()
                                                + ":"
                                                + at)
                                .setOccurredAt(Instant.ofEpochMilli(at))
                                .setSource(source)
                                .build();
                heartbeats++;
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                partition.partition(),
                                at,
                                (source + "-heartbeat").getBytes(StandardCharsets.UTF_8),
                                encoder.encode(hb)));
            }
        }
    }

    public void beginTransaction() {
        producer.beginTransaction();
    }

    public void commitTransaction() {
        producer.commitTransaction();
    }

    /** Aborts the open transaction where the broker still answers; nothing of it is visible. */
    public void abortTransaction() {
        producer.abortTransaction();
    }

    public long published() {
        return published;
    }

    public long heartbeats() {
        return heartbeats;
    }

    /**
     * Sends what is buffered and waits for the broker's answers. A record the broker refused (one
     * dated more than an hour ahead of its clock, by Kafka's default) is never dropped in silence:
     * this throws, naming how many and the first.
     */
    public void flush() {
        producer.flush();
        String first;
        int n;
        synchronized (this) {
            first = refusal;
            n = refusals;
            refusal = null;
            refusals = 0;
        }
        if (first != null) {
            throw new IllegalStateException(
                    "Kafka refused " + n + " record(s), they were not published; first, " + first);
        }
    }

    /**
     * Closes at once, without waiting for the broker: after a failure, when what is buffered is
     * given up (an open transaction is aborted by the next producer with the same id).
     */
    public void abandon() {
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() {
        try {
            if (!transactional) {
                flush(); // a transaction's commit already flushed what it holds
            }
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
