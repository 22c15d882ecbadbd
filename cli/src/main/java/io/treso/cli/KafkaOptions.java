package io.treso.cli;

import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.config.JobConfig;
import io.treso.schemas.registry.RegistryEndpoint;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** Where the operator commands find Kafka and the registry. */
final class KafkaOptions {
    @Option(
            names = "--kafka",
            required = true,
            description = "Kafka bootstrap servers, e.g. localhost:9092 (the demo prints its own).")
    String bootstrap;

    @Option(
            names = "--registry",
            required = true,
            description = "Schema registry URL (the demo prints its own).")
    String registryUrl;

    @Option(names = "--registry-user", description = "Registry basic-auth user.")
    String registryUser;

    @Option(
            names = "--registry-password",
            description = "Registry basic-auth password (or TRESO_REGISTRY_PASSWORD).",
            arity = "0..1",
            interactive = true)
    String registryPassword;

    @Option(
            names = "--kafka-property",
            description =
                    "A Kafka client setting for every client of the command (SASL, TLS), e.g. --kafka-property security.protocol=SASL_SSL. Repeatable. Secrets go in TRESO_KAFKA_CLIENT_* variables (TRESO_KAFKA_CLIENT_SASL_JAAS_CONFIG), not on the command line.")
    Map<String, String> kafkaProperties = new HashMap<>();

    @Option(
            names = "--topic-suffix",
            hidden = true,
            defaultValue = "",
            description = "Appended to every topic name (tests).")
    String topicSuffix;

    RegistryEndpoint registry() {
        String password =
                registryPassword != null
                        ? registryPassword
                        : System.getenv("TRESO_REGISTRY_PASSWORD");
        return new RegistryEndpoint(
                registryUrl, registryUser, registryUser == null ? null : password);
    }

    /**
     * The Kafka client properties for this command: {@code TRESO_KAFKA_CLIENT_*} variables, then
     * {@code --kafka-property}; the same keys the deployed job reads as treso.kafka.client.*.
     */
    Map<String, String> client() {
        Map<String, String> client = new TreeMap<>();
        try {
            JobConfig.merge(null, System.getenv(), Map.of())
                    .forEach(
                            (k, v) -> {
                                if (k.startsWith(JobConfig.KAFKA_CLIENT_PREFIX)) {
                                    client.put(
                                            k.substring(JobConfig.KAFKA_CLIENT_PREFIX.length()), v);
                                }
                            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        client.putAll(kafkaProperties);
        return client;
    }

    TresoTopics topics() {
        return TresoTopics.withSuffix(topicSuffix);
    }
}
