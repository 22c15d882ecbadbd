package io.treso.cli.kafka;

import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;

/** One broker and one registry per test JVM; each test uses its own topics and id prefixes. */
public final class SharedKafka {
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;

    private SharedKafka() {}

    public static synchronized String bootstrap() throws Exception {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try {
                                            kafka.close();
                                        } catch (Exception ignored) {
                                            // The JVM is going away.
                                        }
                                    }));
        }
        return kafka.bootstrapServers();
    }

    public static synchronized String registryUrl() throws Exception {
        if (registry == null) {
            registry = EmbeddedSchemaRegistry.start(0);
        }
        return registry.url();
    }
}
