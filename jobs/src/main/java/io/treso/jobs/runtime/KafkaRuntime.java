package io.treso.jobs.runtime;

import io.treso.connectors.kafka.ExactlyOnceSinks;
import io.treso.connectors.kafka.KafkaInputs;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.source.ControlWatermarks;
import io.treso.connectors.source.SkewGuardedWatermarks;
import io.treso.connectors.source.SourceRecord;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.DailyPosition;
import io.treso.event.DeadLetter;
import io.treso.event.ForecastPoint;
import io.treso.event.Heartbeat;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.forecast.ForecastPipeline;
import io.treso.jobs.input.InputStreams;
import io.treso.jobs.input.WireDecoderFactory;
import io.treso.jobs.metrics.Boards;
import io.treso.jobs.position.DailyCloseFunction;
import io.treso.jobs.position.PositionPipeline;
import io.treso.jobs.reconciliation.ReconciliationPipeline;
import io.treso.jobs.variance.VariancePipeline;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.registry.SchemaRegistryClient;
import io.treso.schemas.wire.AvroWireDecoder;
import io.treso.schemas.wire.ConfluentWire;
import io.treso.schemas.wire.DecodeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipelines between Kafka topics: raw sources per input topic (parallelism never above the
 * partition count), one decode step each, the pipelines, and exactly-once sinks. The demo, tests
 * and clusters use this one wiring.
 */
public final class KafkaRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRuntime.class);

    /** Where to read and write, and how. */
    public record Settings(
            String bootstrap,
            RegistryEndpoint registry,
            TresoTopics topics,
            String job,
            String transactionalIdSuffix,
            boolean bounded,
            long endOfTime,
            DeliveryGuarantee guarantee,
            Map<String, String> kafkaClient) {

        public Settings {
            kafkaClient = Map.copyOf(kafkaClient);
        }

        /** Without client properties of its own (an embedded or test broker). */
        public Settings(
                String bootstrap,
                RegistryEndpoint registry,
                TresoTopics topics,
                String job,
                String transactionalIdSuffix,
                boolean bounded,
                long endOfTime,
                DeliveryGuarantee guarantee) {
            this(
                    bootstrap,
                    registry,
                    topics,
                    job,
                    transactionalIdSuffix,
                    bounded,
                    endOfTime,
                    guarantee,
                    Map.of());
        }

        public static Settings live(
                String bootstrap, RegistryEndpoint registry, TresoTopics topics) {
            return new Settings(
                    bootstrap,
                    registry,
                    topics,
                    "position",
                    "",
                    false,
                    Long.MAX_VALUE,
                    DeliveryGuarantee.EXACTLY_ONCE);
        }

        /**
         * A run that reads what the topics hold and ends at {@code endOfTime} (tests, benches),
         * exactly-once, with consumer group and transactional ids of its own {@code suffix}.
         */
        public static Settings bounded(
                String bootstrap,
                RegistryEndpoint registry,
                TresoTopics topics,
                String suffix,
                long endOfTime) {
            return new Settings(
                    bootstrap,
                    registry,
                    topics,
                    "position",
                    suffix,
                    true,
                    endOfTime,
                    DeliveryGuarantee.EXACTLY_ONCE);
        }

        /** The same, with topic-run-specific consumer group and transactional ids. */
        public Settings withSuffix(String suffix) {
            return new Settings(
                    bootstrap,
                    registry,
                    topics,
                    job,
                    suffix,
                    bounded,
                    endOfTime,
                    guarantee,
                    kafkaClient);
        }

        /** The same, under another job name: its consumer group and transactional ids. */
        public Settings withJob(String name) {
            return new Settings(
                    bootstrap,
                    registry,
                    topics,
                    name,
                    transactionalIdSuffix,
                    bounded,
                    endOfTime,
                    guarantee,
                    kafkaClient);
        }

        /**
         * The same, with the deployment's Kafka client properties (SASL, TLS) for every source,
         * sink and client of the job. They carry secrets: never logged.
         */
        public Settings withKafkaClient(Map<String, String> client) {
            return new Settings(
                    bootstrap,
                    registry,
                    topics,
                    job,
                    transactionalIdSuffix,
                    bounded,
                    endOfTime,
                    guarantee,
                    client);
        }

        @Override
        public String toString() {
            return "Settings{bootstrap="
                    + bootstrap
                    + ", registry="
                    + registry
                    + ", job="
                    + job
                    + ", kafkaClient="
                    + kafkaClient.keySet()
                    + "}";
        }

        String transactionalIdPrefix(String sink) {
            return "treso-" + job + "-" + sink + transactionalIdSuffix;
        }
    }

    private KafkaRuntime() {}

    /** The pipelines a job runs: all of them, or position alone (the bench compares both). */
    public enum Pipelines {
        ALL,
        POSITION_ONLY
    }

    /**
     * Adds every pipeline to {@code env}. {@code tap} sees every raw stream before decoding
     * (identity in production; tests inject failures there).
     */
    public static void build(
            StreamExecutionEnvironment env,
            Settings s,
            TresoOptions options,
            List<ControlCommand> seeds,
            UnaryOperator<DataStream<SourceRecord>> tap) {
        build(env, s, options, seeds, tap, Pipelines.ALL);
    }

    public static void build(
            StreamExecutionEnvironment env,
            Settings s,
            TresoOptions options,
            List<ControlCommand> seeds,
            UnaryOperator<DataStream<SourceRecord>> tap,
            Pipelines pipelines) {
        FlinkSettings.applyJobDefaults(env);
        FlinkSettings.liveNetworkBuffers(env);
        Map<String, Integer> partitions =
                partitionCounts(s.bootstrap(), s.kafkaClient(), s.topics().inputTopics());
        // Two sources: every data topic in one (fewer readers; the decoder knows each record's
        // topic), and control alone, because its watermark is Long.MAX_VALUE.
        List<String> dataTopics =
                TresoTopics.INPUTS.stream()
                        .filter(t -> t != EventType.CONTROL)
                        .map(s.topics()::of)
                        .toList();
        int dataPartitions = dataTopics.stream().mapToInt(partitions::get).max().orElse(1);
        InputStreams data =
                decodedSource(
                        env,
                        s,
                        options,
                        tap,
                        dataTopics,
                        dataPartitions,
                        SkewGuardedWatermarks.strategy(
                                options.get(TresoOptions.OUT_OF_ORDERNESS),
                                options.get(TresoOptions.MAX_SKEW)),
                        "data");
        String controlTopic = s.topics().of(EventType.CONTROL);
        InputStreams control =
                decodedSource(
                        env,
                        s,
                        options,
                        tap,
                        List.of(controlTopic),
                        partitions.get(controlTopic),
                        ControlWatermarks.strategy(),
                        "control");
        InputStreams in = data.withControl(control);
        PositionPipeline.Outputs out = PositionPipeline.build(in, seeds, options, s.endOfTime());
        DataStream<CashPosition> positions = out.positions();
        DataStream<CashAlert> alerts = out.alerts();
        // The forecast's VAT positions go to the topic only: the daily closes need none of them,
        // and should not wait on the forecast's clock (the slowest of every input's).
        DataStream<CashPosition> vat = null;
        if (pipelines == Pipelines.ALL) {
            ReconciliationPipeline.Outputs reconciliation =
                    ReconciliationPipeline.build(in, seeds, options, s.endOfTime());
            positions = positions.union(reconciliation.positions());
            ForecastPipeline.Outputs forecast =
                    ForecastPipeline.build(in, seeds, options, s.endOfTime());
            vat = forecast.vatPositions();
            alerts =
                    alerts.union(
                            reconciliation.alerts(),
                            VariancePipeline.build(in, seeds, options, s.endOfTime()),
                            forecast.alerts());
            forecast.points()
                    .sinkTo(
                            ExactlyOnceSinks.sink(
                                    s.bootstrap(),
                                    s.kafkaClient(),
                                    s.topics().of(EventType.FORECAST),
                                    ForecastPoint.class,
                                    s.registry(),
                                    p -> p.getScope() + "|" + p.getScenarioId() + "|" + p.getDate(),
                                    s.transactionalIdPrefix("forecast"),
                                    s.guarantee()))
                    .uid("sink-forecast")
                    .name("forecast to Kafka");
            Boards.observeForecast(forecast.points(), options);
            reconciliation
                    .records()
                    .sinkTo(
                            ExactlyOnceSinks.sink(
                                    s.bootstrap(),
                                    s.kafkaClient(),
                                    s.topics().of(EventType.RECONCILIATION),
                                    ReconciliationRecord.class,
                                    s.registry(),
                                    ReconciliationRecord::getMatchId,
                                    s.transactionalIdPrefix("reconciliation"),
                                    s.guarantee()))
                    .uid("sink-reconciliation")
                    .name("reconciliation to Kafka");
        }
        (vat == null ? positions : positions.union(vat))
                .sinkTo(
                        ExactlyOnceSinks.sink(
                                s.bootstrap(),
                                s.kafkaClient(),
                                s.topics().of(EventType.POSITION),
                                CashPosition.class,
                                s.registry(),
                                p -> p.getScope() + "|" + p.getCurrency(),
                                s.transactionalIdPrefix("positions"),
                                s.guarantee()))
                .uid("sink-positions")
                .name("positions to Kafka");
        DailyCloseFunction.of(out.accountCloses(), positions, s.endOfTime())
                .sinkTo(
                        ExactlyOnceSinks.sink(
                                s.bootstrap(),
                                s.kafkaClient(),
                                s.topics().of(EventType.DAILY_POSITION),
                                DailyPosition.class,
                                s.registry(),
                                d -> d.getScope() + "|" + d.getCurrency() + "|" + d.getDate(),
                                s.transactionalIdPrefix("daily-positions"),
                                s.guarantee()))
                .uid("sink-daily-positions")
                .name("daily positions to Kafka");
        alerts.map(KafkaRuntime::stamp)
                .uid("stamp-alerts")
                .name("stamp emitted_at")
                .sinkTo(
                        ExactlyOnceSinks.sink(
                                s.bootstrap(),
                                s.kafkaClient(),
                                s.topics().of(EventType.ALERT),
                                CashAlert.class,
                                s.registry(),
                                CashAlert::getScope,
                                s.transactionalIdPrefix("alerts"),
                                s.guarantee()))
                .uid("sink-alerts")
                .name("alerts to Kafka");
        DataStream<DeadLetter> deadLetters = in.deadLetters().union(out.refused());
        Boards.observe(positions, alerts, deadLetters, options);
        deadLetters
                .sinkTo(
                        ExactlyOnceSinks.deadLetters(
                                s.bootstrap(),
                                s.kafkaClient(),
                                s.topics(),
                                s.registry(),
                                s.transactionalIdPrefix("dlq"),
                                s.guarantee()))
                .uid("sink-dlq")
                .name("dead letters to Kafka");
    }

    private static InputStreams decodedSource(
            StreamExecutionEnvironment env,
            Settings s,
            TresoOptions options,
            UnaryOperator<DataStream<SourceRecord>> tap,
            List<String> topics,
            int partitions,
            WatermarkStrategy<SourceRecord> watermarks,
            String name) {
        // Never more readers than partitions: an idle reader would pin the watermark.
        int parallelism = Math.max(1, Math.min(env.getParallelism(), partitions));
        DataStream<SourceRecord> raw =
                env.fromSource(
                                KafkaInputs.source(
                                        s.bootstrap(),
                                        s.kafkaClient(),
                                        topics,
                                        groupId(s),
                                        s.bounded()),
                                watermarks,
                                "kafka " + name)
                        .setParallelism(parallelism)
                        .uid("source-" + name);
        return InputStreams.decode(
                tap.apply(raw),
                new WireDecoderFactory(s.registry(), s.topics()),
                options,
                true,
                "decode-" + name);
    }

    /** The consumer group the job's sources commit offsets under (on checkpoints). */
    public static String groupId(Settings s) {
        return "treso-" + s.job() + s.transactionalIdSuffix();
    }

    /** emitted_at is wall-clock, kept apart from detected_at; determinism checks ignore it. */
    private static CashAlert stamp(CashAlert a) {
        CashAlert copy = CashAlert.newBuilder(a).build();
        copy.setEmittedAt(Instant.now());
        return copy;
    }

    /**
     * Reads every committed control command, before data flows, so that rules are in place for the
     * first record and replays stay deterministic.
     */
    public static List<ControlCommand> readControl(
            String bootstrap, RegistryEndpoint registry, String topic) {
        return readControl(bootstrap, Map.of(), registry, topic);
    }

    /** The same, with the deployment's Kafka client properties. */
    public static List<ControlCommand> readControl(
            String bootstrap, Map<String, String> client, RegistryEndpoint registry, String topic) {
        SchemaRegistryClient schemas = registry.client();
        AvroWireDecoder<ControlCommand> decoder =
                new AvroWireDecoder<>(schemas, ControlCommand.class);
        String heartbeat = Heartbeat.getClassSchema().getFullName();
        List<ControlCommand> commands = new ArrayList<>();
        TopicReader.scan(
                bootstrap,
                client,
                topic,
                r -> {
                    try {
                        int id = ConfluentWire.schemaId(r.value());
                        if (!schemas.schemaById(id).getFullName().equals(heartbeat)) {
                            ControlCommand c = decoder.decode(r.value());
                            // The gate's own checks: a seed must not let in what it refuses.
                            String bad =
                                    io.treso.schemas.ContractCheck.violation(c)
                                            .orElseGet(
                                                    () ->
                                                            io.treso.jobs.input.ControlRules
                                                                    .problem(c));
                            if (bad == null) {
                                commands.add(c);
                            } else {
                                LOG.warn(
                                        "Skipping control record {} at {}/{}@{}: {}; the job dead-letters it",
                                        c.getEventId(),
                                        r.topic(),
                                        r.partition(),
                                        r.offset(),
                                        bad);
                            }
                        }
                    } catch (DecodeException e) {
                        if (!e.isPermanent()) throw e;
                        LOG.warn(
                                "Skipping unreadable control record at {}/{}@{}: {}; the job dead-letters it",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                e.getMessage());
                    }
                });
        return commands;
    }

    static Map<String, Integer> partitionCounts(
            String bootstrap, Map<String, String> client, List<String> topics) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<String, Integer> counts = new java.util.HashMap<>();
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get()
                    .forEach((name, d) -> counts.put(name, d.partitions().size()));
            return counts;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot describe topics " + topics + " on " + bootstrap + ": " + e.getMessage(),
                    e);
        }
    }
}
