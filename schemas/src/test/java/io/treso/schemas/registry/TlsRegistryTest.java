package io.treso.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankTransaction;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's TLS settings against a registry serving HTTPS with a self-signed key. */
class TlsRegistryTest {
    @TempDir Path dir;

    @Test
    void theClientTrustsWhatItIsToldToTrustAndNothingElse() throws Exception {
        char[] pass = "changeit".toCharArray();
        Path store = dir.resolve("registry.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "registry",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-dname",
                                "CN=127.0.0.1",
                                "-ext",
                                "SAN=ip:127.0.0.1",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                "changeit",
                                "-keypass",
                                "changeit")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        try (EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.startTls(0, serverTls)) {
            assertTrue(server.url().startsWith("https://"));
            var trusting =
                    new HttpSchemaRegistryClient(
                            RegistryConfig.builder(server.url()).sslContext(clientTls).build());
            int id = trusting.register("tls-value", BankTransaction.getClassSchema());
            assertEquals(BankTransaction.getClassSchema(), trusting.schemaById(id));

            var stranger =
                    new HttpSchemaRegistryClient(
                            RegistryConfig.builder(server.url())
                                    .retries(2, Duration.ofMillis(5), Duration.ofMillis(10))
                                    .build());
            RegistryException e =
                    assertThrows(RegistryException.class, () -> stranger.schemaById(id));
            assertTrue(
                    e.isTransient(),
                    "an untrusted certificate is a setup problem, never the record's");
        }
    }
}
