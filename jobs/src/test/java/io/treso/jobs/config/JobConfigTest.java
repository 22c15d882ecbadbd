package io.treso.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.jobs.TresoJob;
import io.treso.jobs.runtime.KafkaRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job jar's configuration: sources in order, every refusal one line naming its key. */
class JobConfigTest {
    private static final Map<String, String> REQUIRED =
            Map.of(
                    "treso.kafka.bootstrap-servers", "kafka:9092",
                    "treso.registry.url", "http://registry:8081");

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = new HashMap<>(REQUIRED);
        m.put(key, value);
        return m;
    }

    @Test
    void fileThenEnvironmentThenSetLaterWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("treso.properties");
        Files.writeString(
                file,
                "treso.kafka.bootstrap-servers=file:9092\ntreso.registry.url=http://r:8081\n"
                        + "treso.job.name=from-file\ntreso.base-currency=GBP\n");
        JobConfig c =
                JobConfig.load(
                        file,
                        Map.of(
                                "TRESO_JOB_NAME", "from-env",
                                "TRESO_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                                "TRESO_KAFKA_CLIENT_SASL_JAAS_CONFIG", "jaas secret",
                                "TRESO_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                                "UNRELATED", "x"),
                        Map.of("treso.job.name", "from-set"));
        assertEquals("from-set", c.get(JobConfig.JOB_NAME));
        assertEquals("env:9092", c.get(JobConfig.KAFKA_BOOTSTRAP));
        assertEquals("GBP", c.options().get(TresoOptions.BASE_CURRENCY));
        assertEquals(
                Map.of("sasl.jaas.config", "jaas secret", "security.protocol", "SASL_SSL"),
                c.kafkaClient());
        KafkaRuntime.Settings s = c.settings();
        assertEquals("env:9092", s.bootstrap());
        assertEquals(c.kafkaClient(), s.kafkaClient());
        assertEquals("treso-from-set", KafkaRuntime.groupId(s));
        assertFalse(c.describe().contains("jaas secret"), c.describe());
        assertFalse(s.toString().contains("jaas secret"), s.toString());
    }

    @Test
    void unknownMissingAndMalformedKeysAreOneLineNamingTheKey() {
        var unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JobConfig.of(with("treso.job.parallelsm", "4")));
        assertEquals("unknown config key treso.job.parallelsm", unknown.getMessage());
        var notOurs =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JobConfig.of(with("bootstrap.servers", "x")));
        assertTrue(notOurs.getMessage().startsWith("unknown config key bootstrap.servers"));
        var missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JobConfig.of(Map.of("treso.registry.url", "http://r")));
        assertTrue(
                missing.getMessage().contains("treso.kafka.bootstrap-servers is required")
                        && missing.getMessage().contains("TRESO_KAFKA_BOOTSTRAP_SERVERS"),
                missing.getMessage());
        var negative =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JobConfig.of(with("treso.job.parallelism", "-2")));
        assertTrue(negative.getMessage().contains("treso.job.parallelism"), negative.getMessage());
        var pipelines =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JobConfig.of(with("treso.job.pipelines", "forecast")));
        assertTrue(pipelines.getMessage().contains("treso.job.pipelines"));
        var option =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JobConfig.of(with("treso.dedup.horizon", "35 days")));
        assertTrue(option.getMessage().contains("treso.dedup.horizon"), option.getMessage());
        for (var e : new Exception[] {unknown, missing, negative, pipelines, option}) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theEntryPointReadsConfigAndSetArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.properties");
        Files.writeString(
                file, "treso.kafka.bootstrap-servers=k:9092\ntreso.registry.url=http://r:1\n");
        JobConfig c =
                TresoJob.config(
                        new String[] {
                            "--config",
                            file.toString(),
                            "--set",
                            "treso.job.pipelines=position",
                            "--set",
                            "treso.job.checkpoint-interval=PT30S"
                        },
                        Map.of());
        assertEquals(KafkaRuntime.Pipelines.POSITION_ONLY, c.get(JobConfig.PIPELINES));
        assertEquals(Duration.ofSeconds(30), c.checkpointInterval().orElseThrow());
        assertThrows(
                IllegalArgumentException.class,
                () -> TresoJob.config(new String[] {"--parallelism", "2"}, Map.of()));
        var noFile =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TresoJob.config(
                                        new String[] {"--config", dir.resolve("nope").toString()},
                                        Map.of()));
        assertTrue(noFile.getMessage().contains("does not exist"));
    }

    @Test
    void aRegistryPasswordIsNeverDescribed() {
        Map<String, String> m = with("treso.registry.user", "u");
        m.put("treso.registry.password", "S3cr3t/P@ss");
        JobConfig c = JobConfig.of(m);
        assertEquals("S3cr3t/P@ss", c.registry().password());
        assertFalse(c.describe().contains("S3cr3t"), c.describe());
        assertFalse(c.settings().toString().contains("S3cr3t"));
    }
}
