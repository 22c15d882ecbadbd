package io.treso.jobs.notify;

import io.treso.connectors.kafka.ExactlyOnceSinks;
import io.treso.connectors.kafka.KafkaInputs;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.source.SourceRecord;
import io.treso.event.CashAlert;
import io.treso.event.DeadLetter;
import io.treso.jobs.TresoJob;
import io.treso.jobs.config.JobConfig;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier as a job: {@code treso.alerts} (read_committed) to the routes' webhooks, and what
 * they refuse to {@code treso.dlq}. The job jar's second entry point ({@code flink run -c
 * io.treso.jobs.notify.NotifyJob}), {@code ./treso notify} and the demo's Slack delivery all build
 * it here.
 */
public final class NotifyJob {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyJob.class);

    private NotifyJob() {}

    /** Where to read and write. */
    public record Settings(
            String bootstrap,
            Map<String, String> kafkaClient,
            RegistryEndpoint registry,
            TresoTopics topics,
            String name,
            boolean bounded) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> values;
        NotifySettings notify;
        JobConfig config;
        try {
            values = TresoJob.merged(args, System.getenv());
            notify = NotifySettings.of(values);
            Map<String, String> job = new TreeMap<>(values);
            job.keySet().removeIf(NotifySettings::isNotifyKey);
            config = JobConfig.of(job);
        } catch (IllegalArgumentException e) {
            System.err.println("treso: " + e.getMessage());
            throw e;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Duration interval =
                config.checkpointInterval().orElse(JobConfig.DEFAULT_CHECKPOINT_INTERVAL);
        Configuration flink = new Configuration();
        flink.setString("execution.checkpointing.interval", interval.toMillis() + " ms");
        env.configure(flink);
        config.parallelism().ifPresent(env::setParallelism);
        build(
                env,
                new Settings(
                        config.get(JobConfig.KAFKA_BOOTSTRAP),
                        config.kafkaClient(),
                        config.registry(),
                        config.topics(),
                        config.get(JobConfig.JOB_NAME),
                        false),
                notify,
                UnaryOperator.identity());
        env.execute("treso notify " + config.get(JobConfig.JOB_NAME));
    }

    /**
     * Adds the notifier to {@code env}. {@code tap} sees the decoded alerts before they are routed
     * (tests inject failures there).
     */
    public static void build(
            StreamExecutionEnvironment env,
            Settings s,
            NotifySettings notify,
            UnaryOperator<DataStream<CashAlert>> tap) {
        LOG.info(
                "Notifier {}: {} routes {}, group wait {} ms, at most one message per {} ms per route",
                s.name(),
                notify.routes.size(),
                notify.routes,
                notify.groupWaitMillis,
                notify.minIntervalMillis);
        DataStream<SourceRecord> raw =
                env.fromSource(
                                KafkaInputs.source(
                                        s.bootstrap(),
                                        s.kafkaClient(),
                                        java.util.List.of(s.topics().of(EventType.ALERT)),
                                        "treso-notify-" + s.name(),
                                        s.bounded()),
                                WatermarkStrategy.noWatermarks(),
                                "kafka alerts")
                        .setParallelism(1)
                        .uid("notify-source");
        SingleOutputStreamOperator<CashAlert> alerts =
                raw.process(new AlertDecoder(s.registry()))
                        .setParallelism(1)
                        .uid("notify-decode")
                        .name("decode alerts");
        DataStream<DeadLetter> refused = NotifyPipeline.build(tap.apply(alerts), notify);
        refused.union(alerts.getSideOutput(AlertDecoder.UNREADABLE))
                .sinkTo(
                        ExactlyOnceSinks.deadLetters(
                                s.bootstrap(),
                                s.kafkaClient(),
                                s.topics(),
                                s.registry(),
                                "treso-notify-" + s.name() + "-dlq",
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("notify-sink-dlq")
                .name("undelivered alerts to Kafka");
    }
}
