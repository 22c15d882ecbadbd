package io.treso.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankTransaction;
import io.treso.event.OrderEvent;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {
    private static RegistryConfig.Builder fast(String url) {
        return RegistryConfig.builder(url)
                .requestTimeout(Duration.ofSeconds(2))
                .retries(2, Duration.ofMillis(5), Duration.ofMillis(10));
    }

    @Test
    void registrationIsIdempotentAndLatestFollowsVersions() throws Exception {
        try (EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.start(0)) {
            var client = new HttpSchemaRegistryClient(fast(server.url()).build());
            int id = client.register("t-value", BankTransaction.getClassSchema());
            assertEquals(id, client.register("t-value", BankTransaction.getClassSchema()));
            // A fresh client (no cache) gets the same id from the server.
            var other = new HttpSchemaRegistryClient(fast(server.url()).build());
            assertEquals(id, other.register("t-value", BankTransaction.getClassSchema()));
            assertEquals(BankTransaction.getClassSchema(), other.schemaById(id));
            var latest = other.latest("t-value");
            assertEquals(1, latest.version());
            assertEquals(id, latest.id());
        }
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409() throws Exception {
        try (EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.start(0)) {
            var client = new HttpSchemaRegistryClient(fast(server.url()).build());
            client.register("o-value", OrderEvent.getClassSchema());
            Schema breaking =
                    SchemaBuilder.record("OrderEvent")
                            .namespace("io.treso.event")
                            .fields()
                            .requiredString("event_id")
                            .requiredInt("new_required_field")
                            .endRecord();
            assertFalse(client.isCompatible("o-value", breaking));
            RegistryException e =
                    assertThrows(
                            RegistryException.class, () -> client.register("o-value", breaking));
            assertEquals(409, e.errorCode());
            assertFalse(e.isTransient());
            assertTrue(client.isCompatible("o-value", OrderEvent.getClassSchema()));
        }
    }

    @Test
    void basicAuthIsSentAndThePasswordNeverAppearsInErrors() throws Exception {
        String secret = "s3cr3t-pa55";
        try (EmbeddedSchemaRegistry server =
                EmbeddedSchemaRegistry.startWithBasicAuth(0, "treso", secret)) {
            var good =
                    new HttpSchemaRegistryClient(
                            fast(server.url()).basicAuth("treso", secret).build());
            int id = good.register("a-value", BankTransaction.getClassSchema());
            assertEquals(BankTransaction.getClassSchema(), good.schemaById(id));

            var bad =
                    new HttpSchemaRegistryClient(
                            fast(server.url()).basicAuth("treso", "wrong-" + secret).build());
            RegistryException e = assertThrows(RegistryException.class, () -> bad.schemaById(id));
            assertEquals(40101, e.errorCode());
            assertFalse(e.getMessage().contains(secret));
            assertFalse(bad.toString().contains(secret));
        }
    }

    @Test
    void credentialsInTheUrlAreRedacted() {
        var config = RegistryConfig.builder("https://user:pw@registry.example:8081").build();
        assertFalse(config.toString().contains("pw@"));
        assertTrue(config.toString().contains("***@"));
    }

    @Test
    void aPasswordNeverReachesTheRefusalWhateverItHolds() {
        for (String url :
                java.util.List.of(
                        "http://user:S3cr3t/Passw0rd!@registry:8081",
                        "http://user:S3cr3t@Pa#ss@registry:8081",
                        "http://user:S3cr3t%Pass word@registry:8081",
                        "http://user:S3cr3tPass@registry:notaport",
                        "ftp://user:S3cr3tPass@registry:8081")) {
            var e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class,
                            () -> RegistryConfig.builder(url).build(),
                            url);
            assertFalse(e.getMessage().contains("S3cr3t"), e.getMessage());
            assertTrue(e.getCause() == null, "no cause that would quote the URL");
        }
    }

    @Test
    void anUnreachableRegistryIsTransientAfterRetries() {
        var client =
                new HttpSchemaRegistryClient(
                        RegistryConfig.builder("http://127.0.0.1:1")
                                .retries(3, Duration.ofMillis(5), Duration.ofMillis(10))
                                .build());
        RegistryException e = assertThrows(RegistryException.class, () -> client.schemaById(1));
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
    }
}
