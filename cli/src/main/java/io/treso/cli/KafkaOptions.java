package io.treso.cli;

import io.treso.connectors.kafka.TresoTopics;
import io.treso.schemas.registry.RegistryEndpoint;
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

    TresoTopics topics() {
        return TresoTopics.withSuffix(topicSuffix);
    }
}
