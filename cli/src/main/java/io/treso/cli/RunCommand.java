package io.treso.cli;

import io.treso.cli.embedded.FlinkJobs;
import io.treso.cli.embedded.TempDirs;
import io.treso.jobs.TresoJob;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.runtime.FlinkSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The cluster job on a local MiniCluster against an existing Kafka: a single-machine deployment.
 * Same entry point and configuration as the job jar ({@link TresoJob}).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run Treso's job (every pipeline, RocksDB, exactly-once sinks) on this machine against an",
            "existing Kafka and registry, until Ctrl-C. Exits 1 if the job dies."
        })
final class RunCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(
            names = "--config",
            description = "A properties file of treso.* keys (the job jar's; see the README).")
    Path config;

    @Option(
            names = "--set",
            description =
                    "Override one config key: --set treso.job.pipelines=position. Repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Local task slots and default parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--checkpoint-dir",
            description =
                    "Where checkpoints go; keep it to restore after a stop (default: a temporary folder, removed at the end).")
    Path checkpointDir;

    @Option(
            names = "--from-checkpoint",
            description = "Restore from this checkpoint or savepoint folder (its _metadata).")
    Path restoreFrom;

    @Option(
            names = "--metrics-port",
            defaultValue = "0",
            description = "Prometheus endpoint port; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--stop-after",
            hidden = true,
            description = "Stop after this long (ISO-8601, tests).")
    Duration stopAfter;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1 || parallelism > ReplayCommand.MAX_PARALLELISM) {
            throw usage("--parallelism must be 1 to " + ReplayCommand.MAX_PARALLELISM);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw usage("--metrics-port must be 0 to 65535, got " + metricsPort);
        }
        if (restoreFrom != null && !Files.isDirectory(restoreFrom)) {
            throw usage("--from-checkpoint " + restoreFrom + " is not a folder");
        }
        Map<String, String> values = JobConfig.merge(config, System.getenv(), overrides);
        values.put(JobConfig.KAFKA_BOOTSTRAP.key(), kafka.bootstrap);
        values.put(JobConfig.REGISTRY_URL.key(), kafka.registryUrl);
        if (kafka.registryUser != null) {
            values.put(JobConfig.REGISTRY_USER.key(), kafka.registryUser);
            values.put(JobConfig.REGISTRY_PASSWORD.key(), kafka.registry().password());
        }
        kafka.client().forEach((k, v) -> values.put(JobConfig.KAFKA_CLIENT_PREFIX + k, v));
        if (!kafka.topicSuffix.isEmpty()) {
            values.put(JobConfig.TOPIC_SUFFIX.key(), kafka.topicSuffix);
        }
        JobConfig job;
        try {
            job = JobConfig.of(values);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("treso-run-");
        try {
            Path checkpoints = checkpointDir != null ? checkpointDir : work.resolve("checkpoints");
            Configuration conf = local(job, checkpoints, work);
            if (restoreFrom != null) {
                conf.setString("execution.state-recovery.path", restoreFrom.toUri().toString());
            }
            if (metricsPort > 0) {
                conf.setString(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
                conf.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            TresoJob.build(env, job);
            JobClient client = env.executeAsync("treso " + job.get(JobConfig.JOB_NAME));
            out.printf(
                    "Treso job %s running on %s (registry %s); checkpoints in %s. Ctrl-C stops it.%n",
                    client.getJobID(), kafka.bootstrap, job.registry(), checkpoints);
            return watch(client, out, stopAfter);
        } finally {
            TempDirs.deleteRecursively(work);
        }
    }

    /**
     * A local cluster's settings for a long-running job: RocksDB, checkpoints in {@code
     * checkpoints} at the job's interval, Flink's scratch inside {@code work}, restarts with
     * back-off.
     */
    static Configuration local(JobConfig job, Path checkpoints, Path work) {
        Configuration conf =
                FlinkSettings.checkpointed(
                        "rocksdb",
                        job.checkpointInterval().orElse(JobConfig.DEFAULT_CHECKPOINT_INTERVAL),
                        checkpoints.toUri().toString());
        FlinkSettings.scratchIn(conf, work);
        conf.setString("restart-strategy.type", "exponential-delay");
        return conf;
    }

    /** Until Ctrl-C (or --stop-after): 0 if stopped so, 1 with the cause if the job died. */
    static int watch(JobClient client, PrintWriter out, Duration stopAfter) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "treso-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline =
                stopAfter == null ? Long.MAX_VALUE : System.nanoTime() + stopAfter.toNanos();
        boolean interrupted = false;
        try {
            try {
                while (!stop.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
                    String death = FlinkJobs.stopped(client);
                    if (death != null) {
                        throw new IllegalStateException(death);
                    }
                }
            } catch (InterruptedException e) {
                // Stopped by whoever runs us (a test, an embedding service): as Ctrl-C.
                interrupted = true;
            }
            out.println("Stopping the job...");
            client.cancel().get(30, TimeUnit.SECONDS);
            return 0;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already stopping.
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
