package io.treso.jobs.config;

import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A deployed job's configuration: where Kafka and the registry are, which pipelines run, and the
 * pipelines' own {@link TresoOptions}. Values come from a properties file, then {@code TRESO_*}
 * environment variables, then {@code --set key=value}, for the cluster entry point and the CLI
 * alike. Everything is checked here, before a job is built: an unknown key, a missing required key
 * or a malformed value is one line naming the key. Secrets (the registry password, Kafka SASL
 * settings) never appear in a message.
 */
public final class JobConfig {
    public static final Param<String> KAFKA_BOOTSTRAP =
            new Param<>(
                    "treso.kafka.bootstrap-servers",
                    null,
                    "Kafka bootstrap servers (required).",
                    s -> s);
    public static final Param<String> REGISTRY_URL =
            new Param<>(
                    "treso.registry.url",
                    null,
                    "Schema registry URL (required); https with a trusted certificate in production.",
                    s -> s);
    public static final Param<String> REGISTRY_USER =
            new Param<>("treso.registry.user", null, "Registry basic-auth user.", s -> s);
    public static final Param<String> REGISTRY_PASSWORD =
            new Param<>(
                    "treso.registry.password",
                    null,
                    "Registry basic-auth password; give it as TRESO_REGISTRY_PASSWORD (a Secret), not in a file.",
                    s -> s);
    public static final Param<String> JOB_NAME =
            new Param<>(
                    "treso.job.name",
                    "cash",
                    "The job's name, its consumer group (treso-<name>) and the prefix of its transactional ids.",
                    JobConfig::jobName);
    public static final Param<KafkaRuntime.Pipelines> PIPELINES =
            new Param<>(
                    "treso.job.pipelines",
                    KafkaRuntime.Pipelines.ALL,
                    "all (position, reconciliation, variance) or position.",
                    JobConfig::pipelines);
    public static final Param<Integer> PARALLELISM =
            new Param<>(
                    "treso.job.parallelism",
                    null,
                    "The job's parallelism; unset, the cluster's default. Sources never read with more than their topic's partitions.",
                    JobConfig::positive);
    public static final Param<Duration> CHECKPOINT_INTERVAL =
            new Param<>(
                    "treso.job.checkpoint-interval",
                    null,
                    "Checkpoint interval; outputs become visible to read_committed readers at each checkpoint. Unset: the Flink configuration's execution.checkpointing.interval, else PT10S.",
                    JobConfig::interval);
    public static final Param<String> TOPIC_SUFFIX =
            new Param<>(
                    "treso.topics.suffix",
                    "",
                    "Appended to every topic name (tests and side-by-side runs).",
                    s -> s);

    /** Keys under this prefix go, without it, to every Kafka client the job makes (SASL, TLS). */
    public static final String KAFKA_CLIENT_PREFIX = "treso.kafka.client.";

    /** The checkpoint interval when neither Treso's nor Flink's configuration gives one. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    public static final List<Param<?>> ALL =
            List.of(
                    KAFKA_BOOTSTRAP,
                    REGISTRY_URL,
                    REGISTRY_USER,
                    REGISTRY_PASSWORD,
                    JOB_NAME,
                    PIPELINES,
                    PARALLELISM,
                    CHECKPOINT_INTERVAL,
                    TOPIC_SUFFIX);

    private final Map<String, String> values;
    private final TresoOptions options;

    private JobConfig(Map<String, String> values) {
        this.values = values;
        Map<String, String> pipelineKeys = new HashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (isJobKey(key)) continue;
            if (TresoOptions.ALL.stream().noneMatch(p -> p.key().equals(key))) {
                throw new IllegalArgumentException(
                        "unknown config key "
                                + key
                                + (key.startsWith("treso.")
                                        ? ""
                                        : " (Treso's keys start with treso.)"));
            }
            pipelineKeys.put(key, e.getValue());
        }
        for (Param<?> p : List.of(KAFKA_BOOTSTRAP, REGISTRY_URL)) {
            if (p.from(values) == null) {
                throw new IllegalArgumentException(
                        "config "
                                + p.key()
                                + " is required: give it in the properties file, as "
                                + envName(p.key())
                                + " or with --set");
            }
        }
        // Parse every value now, so a malformed one fails before anything is submitted.
        ALL.forEach(p -> p.from(values));
        this.options = new TresoOptions(pipelineKeys);
        TresoOptions.ALL.forEach(options::get);
    }

    /** Checks {@code values} (already merged from their sources). */
    public static JobConfig of(Map<String, String> values) {
        return new JobConfig(new TreeMap<>(values));
    }

    /**
     * Merges a properties file (may be null), the environment's {@code TRESO_*} variables and
     * {@code --set} overrides, later ones winning, and checks the result.
     */
    public static JobConfig load(Path file, Map<String, String> env, Map<String, String> sets)
            throws IOException {
        return of(merge(file, env, sets));
    }

    /** The merged key/value map, unchecked (the CLI's replay keeps only the pipelines' keys). */
    public static Map<String, String> merge(
            Path file, Map<String, String> env, Map<String, String> sets) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("config file " + file + " does not exist");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        }
        Stream.concat(ALL.stream(), TresoOptions.ALL.stream())
                .forEach(
                        param -> {
                            String v = env.get(envName(param.key()));
                            if (v != null) values.put(param.key(), v);
                        });
        String clientEnv = envName(KAFKA_CLIENT_PREFIX);
        env.forEach(
                (name, v) -> {
                    // Kafka's client keys are lower case with dots: sasl.jaas.config.
                    if (name.startsWith(clientEnv) && name.length() > clientEnv.length()) {
                        values.put(
                                KAFKA_CLIENT_PREFIX
                                        + name.substring(clientEnv.length())
                                                .toLowerCase(Locale.ROOT)
                                                .replace('_', '.'),
                                v);
                    }
                });
        values.putAll(sets);
        return values;
    }

    /** treso.dedup.horizon → TRESO_DEDUP_HORIZON; treso.kafka.client. → TRESO_KAFKA_CLIENT_. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Whether {@code key} is a deployment key (this class's), not a pipeline option. */
    public static boolean isJobKey(String key) {
        return key.startsWith(KAFKA_CLIENT_PREFIX)
                || ALL.stream().anyMatch(p -> p.key().equals(key));
    }

    public <T> T get(Param<T> param) {
        return param.from(values);
    }

    public TresoOptions options() {
        return options;
    }

    public RegistryEndpoint registry() {
        String user = get(REGISTRY_USER);
        return new RegistryEndpoint(
                get(REGISTRY_URL), user, user == null ? null : get(REGISTRY_PASSWORD));
    }

    /** The Kafka client properties passed through (SASL, TLS), without their prefix. */
    public Map<String, String> kafkaClient() {
        Map<String, String> client = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (k.startsWith(KAFKA_CLIENT_PREFIX)) {
                        client.put(k.substring(KAFKA_CLIENT_PREFIX.length()), v);
                    }
                });
        return client;
    }

    public TresoTopics topics() {
        return TresoTopics.withSuffix(get(TOPIC_SUFFIX));
    }

    /** Where and how the job reads and writes Kafka. */
    public KafkaRuntime.Settings settings() {
        return KafkaRuntime.Settings.live(get(KAFKA_BOOTSTRAP), registry(), topics())
                .withJob(get(JOB_NAME))
                .withSuffix(get(TOPIC_SUFFIX))
                .withKafkaClient(kafkaClient());
    }

    public Optional<Integer> parallelism() {
        return Optional.ofNullable(get(PARALLELISM));
    }

    public Optional<Duration> checkpointInterval() {
        return Optional.ofNullable(get(CHECKPOINT_INTERVAL));
    }

    /** The keys set, values of secrets masked: what a log line may say about the config. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        values.forEach(
                (k, v) -> {
                    if (b.length() > 0) b.append(", ");
                    b.append(k).append('=').append(secret(k) ? "***" : v);
                });
        return b.toString();
    }

    private static boolean secret(String key) {
        return key.equals(REGISTRY_PASSWORD.key())
                || (key.startsWith(KAFKA_CLIENT_PREFIX)
                        && (key.contains("password")
                                || key.contains("jaas")
                                || key.contains("secret")
                                || key.contains("token")
                                || key.endsWith(".key")));
    }

    private static String jobName(String s) {
        if (!s.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException(
                    "a job name is lower-case letters, digits and dashes, up to 41 characters");
        }
        return s;
    }

    private static KafkaRuntime.Pipelines pipelines(String s) {
        return switch (s) {
            case "all" -> KafkaRuntime.Pipelines.ALL;
            case "position" -> KafkaRuntime.Pipelines.POSITION_ONLY;
            default -> throw new IllegalArgumentException("expected all or position");
        };
    }

    private static Integer positive(String s) {
        int n = Integer.parseInt(s);
        if (n < 1) throw new IllegalArgumentException("must be 1 or more");
        return n;
    }

    private static Duration interval(String s) {
        Duration d = Duration.parse(s);
        if (d.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("must be at least PT0.1S");
        }
        return d;
    }
}
