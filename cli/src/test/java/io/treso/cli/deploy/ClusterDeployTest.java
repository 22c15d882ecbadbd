package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.embedded.FlinkJobs;
import io.treso.cli.embedded.TempDirs;
import io.treso.cli.kafka.KafkaOutputs;
import io.treso.cli.kafka.SharedKafka;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.schemas.registry.RegistryEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job jar on a real Flink cluster of separate processes (a JobManager and two TaskManagers,
 * RocksDB, checkpoints on disk, the Prometheus reporter), submitted with Flink's own CLI against
 * the in-JVM broker and registry. A month's outputs equal {@code ./treso replay}'s; after a stop
 * with a savepoint, a restart at another parallelism, a second month and a TaskManager killed
 * mid-stream, the outputs equal one replay of both months: nothing lost, nothing twice.
 */
@ExtendWith(SharedKafka.class)
class ClusterDeployTest {
    private static final Duration CHECKPOINTS = Duration.ofSeconds(1);
    private static Path dir;
    private static TwoPeriods business;

    @BeforeAll
    static void replayFirst() throws Exception {
        dir = Files.createTempDirectory("treso-cluster-test-");
    }

    @AfterAll
    static void cleanUp() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void theJobJarSurvivesASavepointUpgradeAndATaskManagerKill() throws Exception {
        String bootstrap = SharedKafka.bootstrap();
        RegistryEndpoint registry = RegistryEndpoint.of(SharedKafka.registryUrl());
        String suffix = "-cluster-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        Path jar = jobJar();

        Map<String, String> flink = new LinkedHashMap<>(FlinkSettings.clusterBlock());
        flink.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        flink.put(
                "execution.checkpointing.savepoint-dir",
                dir.resolve("savepoints").toUri().toString());
        flink.put("execution.checkpointing.interval", CHECKPOINTS.toMillis() + " ms");
        flink.put("restart-strategy.type", "fixed-delay");
        flink.put("restart-strategy.fixed-delay.attempts", "20");
        flink.put("restart-strategy.fixed-delay.delay", "1 s");
        flink.put(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.put("metrics.reporter.prom.port", "9260-9279");
        List<String> args =
                List.of(
                        "--set", "treso.kafka.bootstrap-servers=" + bootstrap,
                        "--set", "treso.registry.url=" + registry.url(),
                        "--set", "treso.topics.suffix=" + suffix,
                        "--set", "treso.job.name=cluster",
                        "--set", "treso.job.checkpoint-interval=PT1S");
        String group = "treso-cluster" + suffix;

        try (StandaloneFlinkCluster cluster =
                        StandaloneFlinkCluster.launch(dir.resolve("flink"), flink, 2);
                var client = cluster.client()) {
            // The business and its replays are made while the cluster's JVMs start.
            business = TwoPeriods.get();
            cluster.awaitReady();
            long started = System.nanoTime();
            publish(bootstrap, registry, topics, business.first());
            JobID first = cluster.submit(jar, 2, null, args);
            long submitted = System.nanoTime();
            awaitCaughtUp(bootstrap, group, topics, client, first);
            long caughtUp = System.nanoTime();
            String metrics = scrapeTresoMetrics();
            assertTrue(
                    metrics.contains("_treso_"),
                    "the TaskManagers' Prometheus endpoints expose treso_* metrics");
            KafkaOutputs.read(bootstrap, registry, topics)
                    .assertSameAsReplay(business.firstReplay());
            long month1Done = System.nanoTime();
            System.out.printf(
                    "cluster month 1: submitted in %.1f s, caught up %.1f s later, outputs quiet and"
                            + " compared %.1f s later, %d restarts%n",
                    (submitted - started) / 1e9,
                    (caughtUp - submitted) / 1e9,
                    (month1Done - caughtUp) / 1e9,
                    restarts(cluster, first));

            String savepoint =
                    client.stopWithSavepoint(
                                    first,
                                    false,
                                    dir.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            JobID second = cluster.submit(jar, 1, savepoint, args);
            publish(bootstrap, registry, topics, business.second());
            awaitCheckpoint(cluster, second);
            List<String> busy = cluster.busyTaskManagers();
            assertEquals(1, busy.size(), "parallelism 1 runs in one TaskManager: " + busy);
            long pid = cluster.kill(busy.get(0));
            awaitCaughtUp(bootstrap, group, topics, client, second);
            String exceptions = cluster.rest("/jobs/" + second + "/exceptions");
            assertTrue(
                    exceptions.contains(busy.get(0)),
                    "the job restarted after TaskManager "
                            + busy.get(0)
                            + " (pid "
                            + pid
                            + ") died: "
                            + exceptions);
            Matcher root = Pattern.compile("\"exceptionName\":\"([^\"]+)\"").matcher(exceptions);
            Matcher size =
                    Pattern.compile("\"latest\":\\{\"completed\":\\{[^}]*?\"state_size\":(\\d+)")
                            .matcher(cluster.rest("/jobs/" + second + "/checkpoints"));
            String stateSize =
                    size.find() ? String.format("%,d", Long.parseLong(size.group(1))) : "?";
            KafkaOutputs both = KafkaOutputs.read(bootstrap, registry, topics);
            both.assertSameAsReplay(business.bothReplay());
            System.out.printf(
                    "cluster: %,d + %,d events; month 1 equal to replay after %.0f s; savepoint,"
                            + " restore at parallelism 1, TaskManager %s (pid %d) killed (%s), both"
                            + " months equal to replay after %.0f s: %d positions, %d alerts, %d"
                            + " reconciliation records, %d dead letters, 0 lost, 0 twice; last"
                            + " checkpoint's full state %s bytes; restarts after the kill: %d%n",
                    business.first().size(),
                    business.second().size(),
                    (month1Done - started) / 1e9,
                    busy.get(0),
                    pid,
                    root.find() ? root.group(1) : "?",
                    (System.nanoTime() - started) / 1e9,
                    both.positions().size(),
                    both.alerts().size(),
                    both.reconciliation().size(),
                    both.deadLetters().size(),
                    stateSize,
                    restarts(cluster, second));
            client.cancel(second).get();
        }
    }

    private static void publish(
            String bootstrap,
            RegistryEndpoint registry,
            TresoTopics topics,
            List<SpecificRecord> e) {
        try (EventPublisher publisher =
                new EventPublisher(bootstrap, registry.client(), topics, "simulator")) {
            publisher.publishAll(e);
        }
    }

    /** Until the job has committed offsets past every input, then one more checkpoint's commit. */
    static void awaitCaughtUp(
            String bootstrap,
            String group,
            TresoTopics topics,
            org.apache.flink.client.program.ClusterClient<?> client,
            JobID job)
            throws Exception {
        awaitCaughtUp(bootstrap, group, topics, client, job, Duration.ofMinutes(3));
    }

    /** The same, within {@code limit}. */
    static void awaitCaughtUp(
            String bootstrap,
            String group,
            TresoTopics topics,
            org.apache.flink.client.program.ClusterClient<?> client,
            JobID job,
            Duration limit)
            throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + limit.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (!FlinkJobs.caughtUp(admin, group, topics.inputTopics())) {
                var status = client.getJobStatus(job).get();
                assertFalse(status.isGloballyTerminalState(), "the job stopped: " + status);
                assertTrue(System.nanoTime() < deadline, "the job did not catch up in " + limit);
                Thread.sleep(500);
            }
        }
        KafkaOutputs.awaitQuiet(bootstrap, topics, CHECKPOINTS.multipliedBy(3));
    }

    private static void awaitCheckpoint(StandaloneFlinkCluster cluster, JobID job)
            throws Exception {
        Pattern completed = Pattern.compile("\"completed\":(\\d+)");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Matcher m = completed.matcher(cluster.rest("/jobs/" + job + "/checkpoints"));
            if (m.find() && Integer.parseInt(m.group(1)) >= 1) return;
            assertTrue(System.nanoTime() < deadline, "no checkpoint in 2 minutes");
            Thread.sleep(300);
        }
    }

    /** How many failures the job restarted from: the entries of its exception history. */
    private static int restarts(StandaloneFlinkCluster cluster, JobID job) throws Exception {
        Matcher m =
                Pattern.compile("\"concurrentExceptions\"")
                        .matcher(cluster.rest("/jobs/" + job + "/exceptions"));
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** Every Prometheus reporter port in the configured range, scraped. */
    private static String scrapeTresoMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder all = new StringBuilder();
        for (int port = 9260; port <= 9279; port++) {
            try {
                String body =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://localhost:"
                                                                        + port
                                                                        + "/metrics"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
                all.append(body);
            } catch (java.io.IOException nobodyThere) {
                // A port of the range that no process took.
            }
        }
        return all.toString();
    }

    static Path jobJar() throws Exception {
        Path folder = Path.of("..", "jobs", "target", "job");
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.filter(p -> p.getFileName().toString().matches("treso-jobs-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no job jar in " + folder + "; build jobs"))
                    .toAbsolutePath();
        }
    }
}
