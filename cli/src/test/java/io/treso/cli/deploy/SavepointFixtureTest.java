package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.embedded.FlinkJobs;
import io.treso.cli.embedded.TempDirs;
import io.treso.cli.kafka.KafkaOutputs;
import io.treso.cli.kafka.SharedKafka;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.TresoJob;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint made by release 0.1.0 (the first four weeks of {@link TwoPeriods}, every pipeline,
 * RocksDB, parallelism 2) is kept in {@code deploy/savepoint-0.1.0}. Today's build must restore it,
 * at another parallelism, through {@code ./treso run --from-checkpoint}, and continue exactly: what
 * it writes for the next four weeks is what one replay of both periods adds to the first's. A
 * change that cannot restore it (a renamed uid, an incompatible state serializer) fails here, so
 * breaking users' savepoints is a decision, never an accident. To make a new fixture for a new
 * release: {@code mvn -pl cli test -Dtest=SavepointFixtureTest
 * -Dtreso.write-savepoint-fixture=true}.
 */
@ExtendWith(SharedKafka.class)
class SavepointFixtureTest {
    static final Path FIXTURE = Path.of("src", "test", "resources", "deploy", "savepoint-0.1.0");

    /** The topics the fixture's sources read: their offsets are in it. */
    static final String SUFFIX = "-fixture";

    @TempDir Path dir;

    @Test
    @DisabledIfSystemProperty(named = "treso.write-savepoint-fixture", matches = "true")
    void todaysBuildRestoresTheReleasedSavepoint() throws Exception {
        assertTrue(Files.exists(FIXTURE.resolve("_metadata")), FIXTURE + " holds a savepoint");
        TwoPeriods business = TwoPeriods.get();
        String bootstrap = SharedKafka.bootstrap();
        String registry = SharedKafka.registryUrl();
        TresoTopics topics = firstPeriodOnKafka(business.first());
        Path savepoint = dir.resolve("savepoint");
        copy(FIXTURE, savepoint);

        BackgroundRun run =
                BackgroundRun.start(
                        bootstrap,
                        registry,
                        SUFFIX,
                        "--parallelism",
                        "1",
                        "--from-checkpoint",
                        savepoint.toString());
        publish(topics, business.second());
        run.awaitCaughtUp();
        run.stop();
        KafkaOutputs after = KafkaOutputs.read(bootstrap, RegistryEndpoint.of(registry), topics);
        // 0.1.0's state kept no payout gross nor fees: the PSP totals (0.3) count from the restore.
        after.assertContinues(business.firstReplay(), business.bothReplay(), Set.of("psp-"));
        System.out.printf(
                "savepoint fixture: %s (%,d bytes) restored at parallelism 1; the next four weeks"
                        + " gave %d alerts, %d reconciliation records, %d positions, as one replay"
                        + " of both periods%n",
                FIXTURE,
                size(FIXTURE),
                after.alerts().size(),
                after.reconciliation().size(),
                after.positions().size());
    }

    /** Writes the fixture: the first period through today's job, stopped with a savepoint. */
    @Test
    @EnabledIfSystemProperty(named = "treso.write-savepoint-fixture", matches = "true")
    void writeTheFixture() throws Exception {
        TwoPeriods business = TwoPeriods.get();
        TresoTopics topics = firstPeriodOnKafka(business.first());
        Configuration conf =
                FlinkSettings.checkpointed(
                        "rocksdb",
                        Duration.ofSeconds(1),
                        dir.resolve("checkpoints").toUri().toString());
        FlinkSettings.scratchIn(conf, dir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        TresoJob.build(
                env,
                JobConfig.of(
                        Map.of(
                                JobConfig.KAFKA_BOOTSTRAP.key(), SharedKafka.bootstrap(),
                                JobConfig.REGISTRY_URL.key(), SharedKafka.registryUrl(),
                                JobConfig.TOPIC_SUFFIX.key(), SUFFIX)));
        JobClient job = env.executeAsync("treso savepoint fixture");
        awaitCaughtUp(topics, () -> true, new StringWriter());
        String path =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        TempDirs.deleteRecursively(FIXTURE);
        copy(Path.of(java.net.URI.create(path)), FIXTURE);
        System.out.printf("savepoint fixture written: %s (%,d bytes)%n", FIXTURE, size(FIXTURE));
    }

    /** Fresh topics named as the fixture's, holding the first period at the same offsets. */
    private static TresoTopics firstPeriodOnKafka(List<SpecificRecord> first) {
        TresoTopics topics = TresoTopics.withSuffix(SUFFIX);
        TopicAdmin.createAll(SharedKafka.bootstrap(), topics, 2);
        publish(topics, first);
        return topics;
    }

    private static void publish(TresoTopics topics, List<SpecificRecord> events) {
        try (EventPublisher p =
                new EventPublisher(
                        SharedKafka.bootstrap(),
                        RegistryEndpoint.of(SharedKafka.registryUrl()).client(),
                        topics,
                        "simulator")) {
            p.publishAll(events);
        }
    }

    private static void awaitCaughtUp(
            TresoTopics topics, java.util.function.BooleanSupplier alive, StringWriter err)
            throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrap());
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (Admin admin = Admin.create(p)) {
            while (!FlinkJobs.caughtUp(admin, "treso-cash" + SUFFIX, topics.inputTopics())) {
                assertTrue(alive.getAsBoolean(), "the job stopped: " + err);
                assertTrue(System.nanoTime() < deadline, "the job did not catch up: " + err);
                Thread.sleep(500);
            }
        }
        KafkaOutputs.awaitQuiet(SharedKafka.bootstrap(), topics, Duration.ofSeconds(4));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
