package io.treso.cli;

import io.treso.jobs.config.JobConfig;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.ReplayRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the pipelines over a file of events, in STREAMING mode, and writes ordered outputs. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Run the pipelines over a JSON-lines file of events and write positions, alerts and dead letters.")
final class ReplayCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--input", required = true, description = "JSON-lines events file.")
    Path input;

    @Option(
            names = "--output",
            required = true,
            description =
                    "Directory for positions.jsonl, alerts.jsonl, reconciliation.jsonl, dead_letters.jsonl.")
    Path output;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--state-backend",
            defaultValue = "hashmap",
            description = "hashmap or rocksdb (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(
            names = "--config",
            description = "A properties file of treso.* keys (see the README's config reference).")
    Path config;

    @Option(
            names = "--set",
            description = "Override one config key: --set treso.base-currency=USD. Repeatable.")
    Map<String, String> overrides = new HashMap<>();

    /** One JVM runs every subtask: more than this only exhausts memory before any work. */
    static final int MAX_PARALLELISM = 64;

    @Override
    public Integer call() throws Exception {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--parallelism must be 1 to " + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--output " + output + " is a file; give a directory");
        }
        if (!stateBackend.equals("hashmap") && !stateBackend.equals("rocksdb")) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--state-backend must be hashmap or rocksdb");
        }
        TresoOptions options = options(config, overrides);
        // Flink's scratch in a folder of ours, removed when the replay ends.
        Path scratch = Files.createTempDirectory("treso-replay-");
        ReplayRuntime.Result r;
        long started = System.nanoTime();
        try {
            var conf = FlinkSettings.scratchIn(FlinkSettings.base(stateBackend), scratch);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            r = ReplayRuntime.run(env, input, output, options);
        } finally {
            io.treso.cli.embedded.TempDirs.deleteRecursively(scratch);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "replayed %d lines in %.1f s: %d positions, %d daily closes, %d alerts, %d reconciliation"
                                + " records, %d dead letters, %d forecast points in %s%n",
                        r.lines(),
                        (System.nanoTime() - started) / 1e9,
                        r.positions(),
                        r.dailyPositions(),
                        r.alerts(),
                        r.reconciliation(),
                        r.deadLetters(),
                        r.forecast(),
                        output);
        return 0;
    }

    /**
     * Config from a properties file, then environment variables TRESO_*, then --set; the job jar's
     * deployment keys (Kafka, registry) are allowed and unused, so one file serves both.
     */
    static TresoOptions options(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> values = new HashMap<>();
        JobConfig.merge(file, System.getenv(), overrides)
                .forEach(
                        (k, v) -> {
                            if (!JobConfig.isJobKey(k)) values.put(k, v);
                        });
        return new TresoOptions(values);
    }

    /** treso.dedup.horizon → TRESO_DEDUP_HORIZON. */
    static String envName(String key) {
        return JobConfig.envName(key);
    }
}
