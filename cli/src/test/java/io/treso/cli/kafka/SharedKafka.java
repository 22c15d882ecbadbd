package io.treso.cli.kafka;

import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One broker and one registry per test JVM; each test uses its own topics and id prefixes. They
 * live in JUnit's root store, so they stop when the whole run ends, before the JVM exits (a
 * shutdown hook raced the forked JVM's exit and failed surefire now and then).
 */
public final class SharedKafka implements BeforeAllCallback {
    private static Resources resources;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedKafka.class, k -> start(), Resources.class);
    }

    private static synchronized Resources start() {
        if (resources == null) {
            try {
                resources = new Resources(EmbeddedKafka.start(), EmbeddedSchemaRegistry.start(0));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the shared test broker", e);
            }
        }
        return resources;
    }

    public static synchronized String bootstrap() {
        return start().kafka.bootstrapServers();
    }

    public static synchronized String registryUrl() {
        return start().registry.url();
    }

    /** Closed by JUnit when the root context closes. */
    static final class Resources implements ExtensionContext.Store.CloseableResource {
        final EmbeddedKafka kafka;
        final EmbeddedSchemaRegistry registry;

        Resources(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
            this.kafka = kafka;
            this.registry = registry;
        }

        @Override
        public void close() throws Exception {
            synchronized (SharedKafka.class) {
                resources = null;
            }
            registry.close();
            kafka.close();
        }
    }
}
