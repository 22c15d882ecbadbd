package io.treso.cli;

import io.treso.cli.embedded.TempDirs;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.notify.NotifyJob;
import io.treso.jobs.notify.NotifySettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The notifier on this machine: the alerts topic to Slack or JSON webhooks, until Ctrl-C. */
@Command(
        name = "notify",
        mixinStandardHelpOptions = true,
        description = {
            "Deliver the alerts on treso.alerts to Slack or JSON webhooks, grouped and paced, each",
            "(alert, state) once, until Ctrl-C. Routes and webhooks come from --config (treso.notify.*);",
            "webhook URLs are read from the variables or files the routes name, never from the command line."
        })
final class NotifyCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(
            names = "--config",
            required = true,
            description = "A properties file with the routes (README: Slack).")
    Path config;

    @Option(names = "--set", description = "Override one config key. Repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @Option(
            names = "--checkpoint-dir",
            description = "Where checkpoints go (default: a temporary folder).")
    Path checkpointDir;

    @Option(names = "--stop-after", hidden = true, description = "Stop after this long (tests).")
    Duration stopAfter;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NotifySettings notify;
        JobConfig job;
        try {
            Map<String, String> values = JobConfig.merge(config, System.getenv(), overrides);
            values.put(JobConfig.KAFKA_BOOTSTRAP.key(), kafka.bootstrap);
            values.put(JobConfig.REGISTRY_URL.key(), kafka.registryUrl);
            notify = NotifySettings.of(values);
            Map<String, String> jobKeys = new TreeMap<>(values);
            jobKeys.keySet().removeIf(NotifySettings::isNotifyKey);
            job = JobConfig.of(jobKeys);
            // Each route's URL now, so a missing variable or file stops us before anything runs.
            notify.routes.forEach(r -> r.webhook.resolve(System.getenv()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("treso-notify-");
        try {
            Path checkpoints = checkpointDir != null ? checkpointDir : work.resolve("checkpoints");
            Configuration conf = RunCommand.local(job, checkpoints, work);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(1, conf);
            NotifyJob.build(
                    env,
                    new NotifyJob.Settings(
                            kafka.bootstrap,
                            kafka.client(),
                            kafka.registry(),
                            kafka.topics(),
                            job.get(JobConfig.JOB_NAME) + kafka.topicSuffix,
                            false),
                    notify,
                    UnaryOperator.identity());
            JobClient client = env.executeAsync("treso notify");
            out.printf(
                    "Notifier %s: %d routes %s, reading treso.alerts on %s. Ctrl-C stops it.%n",
                    client.getJobID(), notify.routes.size(), notify.routes, kafka.bootstrap);
            return RunCommand.watch(client, out, stopAfter);
        } finally {
            TempDirs.deleteRecursively(work);
        }
    }
}
