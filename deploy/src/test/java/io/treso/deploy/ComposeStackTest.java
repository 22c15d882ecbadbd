package io.treso.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.notify.NotifySettings;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.schemas.EventType;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine here, so {@code docker/} is checked by reading it: pinned images, the
 * job's Kafka and registry addresses are the services' own, the topics are {@link TresoTopics}'
 * with {@link TopicAdmin}'s configs, the job class is in the built jar, every Prometheus target is
 * a service exposing the reporter's port, Grafana's provisioning paths exist, the image carries the
 * one Flink configuration block, and {@code promtool} accepts the Prometheus file.
 */
class ComposeStackTest {
    static final Path DOCKER = Path.of("..", "docker");

    /** The one source of Treso's Flink block, in the jobs module. */
    static final Path FLINK_BLOCK =
            Path.of("..", "jobs", "src", "main", "resources", FlinkSettings.CLUSTER_BLOCK);

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws Exception {
        compose = Yaml.map(DOCKER.resolve("compose.yaml"));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        assertNotNull(services, "compose.yaml has services");
    }

    @Test
    void everyImageIsPinned() throws Exception {
        for (var e : services.entrySet()) {
            String image = (String) e.getValue().get("image");
            assertNotNull(image, e.getKey() + " names its image (built ones too, with a tag)");
            assertTrue(pinned(image), e.getKey() + ": " + image + " is not pinned to a version");
        }
        for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
            if (line.startsWith("FROM ")) {
                String image = line.split("\\s+")[1];
                assertTrue(pinned(image), "Dockerfile: " + line);
            }
        }
    }

    private static boolean pinned(String image) {
        int colon = image.lastIndexOf(':');
        if (colon < 0 || image.lastIndexOf('/') > colon) return false;
        String tag = image.substring(colon + 1);
        return !tag.equals("latest") && tag.matches(".*\\d.*");
    }

    @Test
    void theJobTalksToTheStacksOwnKafkaAndRegistry() throws Exception {
        Properties p = new Properties();
        try (var in = new FileInputStream(DOCKER.resolve("treso.properties").toFile())) {
            p.load(in);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        // The file is valid job configuration: every key known, the required ones there.
        JobConfig config = JobConfig.of(values);
        String bootstrap = config.get(JobConfig.KAFKA_BOOTSTRAP);
        String kafkaListeners = env("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        assertTrue(
                kafkaListeners.contains("//" + bootstrap),
                "the job's " + bootstrap + " is what kafka advertises: " + kafkaListeners);
        Matcher registry =
                Pattern.compile("http://([a-z-]+):(\\d+)")
                        .matcher(config.get(JobConfig.REGISTRY_URL));
        assertTrue(registry.matches(), config.get(JobConfig.REGISTRY_URL));
        assertTrue(services.containsKey(registry.group(1)), "a service " + registry.group(1));
        assertTrue(
                env(registry.group(1))
                        .get("SCHEMA_REGISTRY_LISTENERS")
                        .endsWith(":" + registry.group(2)),
                "the registry listens on " + registry.group(2));
        String simulator = String.join(" ", strings(services.get("simulator").get("command")));
        assertTrue(simulator.contains("--kafka " + bootstrap), simulator);
        assertTrue(
                simulator.contains("--registry " + config.get(JobConfig.REGISTRY_URL)), simulator);
        String job = String.join(" ", strings(services.get("jobmanager").get("command")));
        assertTrue(job.contains("--config /opt/treso/treso.properties"), job);
        assertTrue(
                strings(services.get("jobmanager").get("volumes"))
                        .contains("./treso.properties:/opt/treso/treso.properties:ro"),
                "the properties file is mounted where --config reads it");
    }

    @Test
    void theNotifierReadsTheStacksAlertsWithRoutesThatParse() throws Exception {
        Properties p = new Properties();
        try (var in = new FileInputStream(DOCKER.resolve("notify.properties").toFile())) {
            p.load(in);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        NotifySettings settings = NotifySettings.of(values);
        Map<String, String> env = env("notifier");
        for (var route : settings.routes) {
            String variable = route.webhook.toString().substring(1);
            assertTrue(
                    env.containsKey(variable), "compose passes " + variable + " to the notifier");
            assertEquals(
                    "${" + variable + ":-}",
                    env.get(variable),
                    "from the user's shell or .env, not the file");
        }
        String command = String.join(" ", strings(services.get("notifier").get("command")));
        String simulator = String.join(" ", strings(services.get("simulator").get("command")));
        Matcher kafka = Pattern.compile("--kafka \\S+ --registry \\S+").matcher(simulator);
        assertTrue(
                kafka.find() && command.contains(kafka.group()),
                "the stack's Kafka and registry: " + command);
        assertTrue(command.contains("--config /opt/treso/notify.properties"), command);
        assertTrue(
                strings(services.get("notifier").get("volumes"))
                        .contains("./notify.properties:/opt/treso/notify.properties:ro"));
        assertEquals(
                services.get("simulator").get("image"),
                services.get("notifier").get("image"),
                "the CLI image");
        assertEquals(
                List.of("slack"),
                services.get("notifier").get("profiles"),
                "only with --profile slack");
    }

    @Test
    void theTopicsAreTresosWithTheirConfigs() {
        String script = String.join("\n", strings(services.get("topics-init").get("command")));
        Map<String, Map<String, String>> created = new TreeMap<>();
        Matcher m =
                Pattern.compile("(?m)^\\s*create (\\S+)((?: --config \\S+)*)\\s*$").matcher(script);
        while (m.find()) {
            Map<String, String> configs = new TreeMap<>();
            for (String c : m.group(2).split(" --config ")) {
                if (c.isBlank()) continue;
                String[] kv = c.strip().split("=", 2);
                configs.put(kv[0], kv[1]);
            }
            created.put(m.group(1), configs);
        }
        Map<String, Map<String, String>> expected = new TreeMap<>();
        TresoTopics topics = TresoTopics.defaults();
        for (EventType t : EventType.values()) {
            if (t.defaultTopic() != null) {
                expected.put(topics.of(t), new TreeMap<>(TopicAdmin.configs(t)));
            }
        }
        assertEquals(
                expected, created, "topics-init creates TresoTopics' topics with their configs");
    }

    @Test
    void theJobClassIsInTheBuiltJar() throws Exception {
        String job = String.join(" ", strings(services.get("jobmanager").get("command")));
        Matcher m = Pattern.compile("--job-classname (\\S+)").matcher(job);
        assertTrue(m.find(), job);
        Path jar = JobJar.path();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertNotNull(
                    j.getEntry(m.group(1).replace('.', '/') + ".class"), m.group(1) + " in " + jar);
            assertEquals(m.group(1), j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(
                    j.getEntry("org/apache/flink/connector/kafka/source/KafkaSource.class"),
                    "the Kafka connector is shaded in");
            assertTrue(
                    j.getEntry("org/apache/flink/runtime/jobgraph/JobGraph.class") == null,
                    "Flink itself is the cluster's, not the jar's");
            assertNotNull(j.getEntry(FlinkSettings.CLUSTER_BLOCK));
            assertNotNull(
                    j.getEntry("io/treso/jobs/notify/NotifyJob.class"),
                    "the notifier's entry point (flink run -c io.treso.jobs.notify.NotifyJob)");
        }
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("jobs/target/job/treso-jobs-*.jar /opt/flink/usrlib/"));
    }

    @Test
    void theImageCarriesTheOneFlinkBlockAndRunsAsFlink() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertTrue(
                dockerfile.contains("COPY jobs/src/main/resources/" + FlinkSettings.CLUSTER_BLOCK),
                "the image copies the block the embedded runtime reads, not a copy of it");
        assertTrue(Files.exists(FLINK_BLOCK));
        List<String> lines = dockerfile.lines().toList();
        String lastUser =
                lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("");
        assertEquals("USER flink", lastUser, "the job image runs as the image's non-root user");
    }

    @Test
    void everyScrapeTargetExposesTheReporter() throws Exception {
        Map<String, Object> prometheus = Yaml.map(DOCKER.resolve("prometheus/prometheus.yml"));
        List<String> targets = new ArrayList<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            for (Object sc : (List<?>) ((Map<?, ?>) job).get("static_configs")) {
                targets.addAll(strings(((Map<?, ?>) sc).get("targets")));
            }
        }
        assertFalse(targets.isEmpty());
        for (String target : targets) {
            String[] hp = target.split(":");
            assertTrue(services.containsKey(hp[0]), target + " is a service");
            String flinkProperties = env(hp[0]).getOrDefault("FLINK_PROPERTIES", "");
            assertTrue(
                    flinkProperties.contains("metrics.reporter.prom.port: " + hp[1])
                            && flinkProperties.contains("PrometheusReporterFactory"),
                    target + " runs the Prometheus reporter on " + hp[1]);
        }
        assertTrue(
                strings(services.get("prometheus").get("volumes"))
                        .containsAll(
                                List.of(
                                        "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                                        "./prometheus/treso-rules.yml:/etc/prometheus/treso-rules.yml:ro")),
                "Prometheus gets its config and the rules it names");
        assertEquals(
                List.of("treso-rules.yml"),
                prometheus.get("rule_files"),
                "the rules are loaded, beside the config");
        Path promtool = Path.of("/usr/bin/promtool");
        if (Files.isExecutable(promtool)) {
            Process p =
                    new ProcessBuilder(
                                    promtool.toString(),
                                    "check",
                                    "config",
                                    DOCKER.resolve("prometheus/prometheus.yml").toString())
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            System.out.println("compose: promtool check config: " + out.strip());
        } else {
            System.out.println("compose: promtool not installed; Prometheus file parsed only");
        }
    }

    @Test
    void grafanasProvisioningPathsExist() throws Exception {
        List<String> volumes = strings(services.get("grafana").get("volumes"));
        for (String v : volumes) {
            String host = v.split(":")[0];
            assertTrue(Files.isDirectory(DOCKER.resolve(host)), v);
        }
        Map<String, Object> ds =
                Yaml.map(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml"));
        String url =
                grafanaEnv(
                        (String) ((Map<?, ?>) ((List<?>) ds.get("datasources")).get(0)).get("url"));
        assertTrue(url.startsWith("http://prometheus:"), url);
        Map<String, Object> dash =
                Yaml.map(DOCKER.resolve("grafana/provisioning/dashboards/treso.yaml"));
        String path =
                grafanaEnv(
                        (String)
                                ((Map<?, ?>)
                                                ((Map<?, ?>)
                                                                ((List<?>) dash.get("providers"))
                                                                        .get(0))
                                                        .get("options"))
                                        .get("path"));
        assertTrue(
                volumes.stream().anyMatch(v -> v.endsWith(":" + path + ":ro")),
                "dashboards are mounted at the provider's path " + path);
        try (var files = Files.list(DOCKER.resolve("grafana/dashboards"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".json")), "a dashboard");
        }
    }

    /** A provisioning value as Grafana reads it in compose: {@code ${VAR}} from its environment. */
    private static String grafanaEnv(String value) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env("grafana").get(m.group(1));
            assertNotNull(v, "compose sets " + m.group(1) + " for Grafana's provisioning");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Object e = services.get(service).get("environment");
        assertNotNull(e, service + " has an environment");
        Map<String, String> out = new TreeMap<>();
        ((Map<String, Object>) e).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static List<String> strings(Object o) {
        if (o == null) return List.of();
        if (o instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(o));
    }
}
