package io.treso.jobs;

import io.treso.event.ControlCommand;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.schemas.EventType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar's entry point: {@code flink run treso-jobs.jar [--config F] [--set key=value]...},
 * the Flink Kubernetes Operator and the compose stack all start here. It builds the same {@link
 * KafkaRuntime} graph as the demo and {@code treso run}, so there is one code path.
 */
public final class TresoJob {
    private static final Logger LOG = LoggerFactory.getLogger(TresoJob.class);

    private TresoJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config;
        try {
            config = config(args, System.getenv());
        } catch (IllegalArgumentException e) {
            // One line naming the key; nothing has been submitted.
            System.err.println("treso: " + e.getMessage());
            throw e;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, config);
        env.execute("treso " + config.get(JobConfig.JOB_NAME));
    }

    /** Parses {@code --config F} and repeated {@code --set key=value}, then loads and checks. */
    public static JobConfig config(String[] args, Map<String, String> env) throws Exception {
        return JobConfig.of(merged(args, env));
    }

    /** The values of {@code --config F}, the environment and {@code --set}, unchecked. */
    public static Map<String, String> merged(String[] args, Map<String, String> env)
            throws Exception {
        Path file = null;
        Map<String, String> sets = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--config") || a.equals("--set")) && i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            if (a.equals("--config")) {
                file = Path.of(args[++i]);
            } else if (a.equals("--set")) {
                String kv = args[++i];
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "--set takes key=value, got a value without =");
                }
                sets.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            } else {
                throw new IllegalArgumentException(
                        "unknown argument " + a + " (expected --config FILE or --set key=value)");
            }
        }
        return JobConfig.merge(file, env, sets);
    }

    /**
     * Adds the job to {@code env}: parallelism and checkpointing from {@code config} where given,
     * the rules already on the control topic as seeds, then every pipeline.
     */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        config.parallelism().ifPresent(env::setParallelism);
        Configuration flink = new Configuration();
        Duration interval =
                config.checkpointInterval()
                        .orElseGet(
                                () ->
                                        env.getCheckpointConfig().isCheckpointingEnabled()
                                                ? Duration.ofMillis(
                                                        env.getCheckpointConfig()
                                                                .getCheckpointInterval())
                                                : JobConfig.DEFAULT_CHECKPOINT_INTERVAL);
        // Exactly-once sinks commit only on checkpoints: a job without them would never publish.
        flink.setString("execution.checkpointing.interval", interval.toMillis() + " ms");
        env.configure(flink);
        KafkaRuntime.Settings settings = config.settings();
        List<ControlCommand> seeds =
                KafkaRuntime.readControl(
                        settings.bootstrap(),
                        settings.kafkaClient(),
                        settings.registry(),
                        settings.topics().of(EventType.CONTROL));
        LOG.info(
                "Treso job {}: {} pipelines, {} rules on the control topic, checkpoints every {} ms; config {}",
                config.get(JobConfig.JOB_NAME),
                config.get(JobConfig.PIPELINES),
                seeds.size(),
                interval.toMillis(),
                config.describe());
        KafkaRuntime.build(
                env,
                settings,
                config.options(),
                seeds,
                UnaryOperator.identity(),
                config.get(JobConfig.PIPELINES));
    }
}
