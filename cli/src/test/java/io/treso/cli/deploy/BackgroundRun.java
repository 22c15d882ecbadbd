package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.embedded.FlinkJobs;
import io.treso.cli.kafka.KafkaOutputs;
import io.treso.connectors.kafka.TresoTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ./treso run} in a thread of the test JVM, as a user would leave it running: started with
 * the topics' suffix and 1 s checkpoints, waited for until it has committed past its input and its
 * outputs are quiet, then stopped by interrupting it (as Ctrl-C), which must exit 0.
 */
final class BackgroundRun {
    private final String bootstrap;
    private final TresoTopics topics;
    private final String suffix;
    private final Thread thread;
    private final AtomicInteger code = new AtomicInteger(-1);
    private final StringWriter err = new StringWriter();

    private final Map<String, String> client;

    private BackgroundRun(
            String bootstrap, Map<String, String> client, String suffix, List<String> args) {
        this.bootstrap = bootstrap;
        this.client = client;
        this.suffix = suffix;
        this.topics = TresoTopics.withSuffix(suffix);
        this.thread =
                new Thread(
                        () ->
                                code.set(
                                        TresoCli.execute(
                                                args.toArray(String[]::new),
                                                new PrintWriter(new StringWriter(), true),
                                                new PrintWriter(err, true))),
                        "treso-run" + suffix);
    }

    /** Starts {@code treso run} on the topics with {@code suffix}, with {@code extra} options. */
    static BackgroundRun start(String bootstrap, String registry, String suffix, String... extra) {
        return start(bootstrap, Map.of(), registry, suffix, extra);
    }

    /**
     * The same on a broker that needs client properties (TLS, SASL): {@code extra} passes them to
     * the command, {@code client} to this class's own admin client.
     */
    static BackgroundRun start(
            String bootstrap,
            Map<String, String> client,
            String registry,
            String suffix,
            String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "run",
                                "--kafka",
                                bootstrap,
                                "--registry",
                                registry,
                                "--topic-suffix",
                                suffix,
                                "--set",
                                "treso.job.checkpoint-interval=PT1S"));
        args.addAll(List.of(extra));
        BackgroundRun run = new BackgroundRun(bootstrap, client, suffix, args);
        run.thread.start();
        return run;
    }

    /** Until the job has committed past every input record and its outputs have settled. */
    void awaitCaughtUp() throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (Admin admin = Admin.create(p)) {
            while (!FlinkJobs.caughtUp(admin, "treso-cash" + suffix, topics.inputTopics())) {
                assertTrue(thread.isAlive(), "treso run stopped: " + err);
                assertTrue(System.nanoTime() < deadline, "treso run did not catch up: " + err);
                Thread.sleep(500);
            }
        }
        KafkaOutputs.awaitQuiet(bootstrap, client, topics, Duration.ofSeconds(4));
    }

    /** Interrupts it, as Ctrl-C would, and checks that it stopped its job and exited 0. */
    void stop() throws Exception {
        thread.interrupt();
        thread.join(60_000);
        assertEquals(0, code.get(), "an interrupted run stops its job and exits 0: " + err);
    }
}
