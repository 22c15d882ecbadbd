package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.cli.kafka.KafkaOutputs;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.simulator.StatementFileWriter;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R6, transport: a broker whose only client listener is TLS (a self-signed certificate), and the
 * production path through it, every client configured by {@code --kafka-property} alone: {@code
 * publish}, {@code ingest}, {@code run} (the job's sources, sinks and admin), and {@code dlq list}.
 * The outputs equal the replay of the same business.
 */
class KafkaTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir Path dir;

    @Test
    void everyClientTalksTlsToABrokerThatSpeaksNothingElse() throws Exception {
        Path store = selfSigned(dir.resolve("broker.p12"));
        Map<String, String> client = new LinkedHashMap<>();
        client.put("security.protocol", "SSL");
        client.put("ssl.truststore.type", "PKCS12");
        client.put("ssl.truststore.location", store.toString());
        client.put("ssl.truststore.password", PASSWORD);
        List<String> tls = new ArrayList<>();
        client.forEach((k, v) -> tls.addAll(List.of("--kafka-property", k + "=" + v)));

        try (EmbeddedKafka kafka = EmbeddedKafka.startTls(store, PASSWORD);
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            String bootstrap = kafka.bootstrapServers();
            String[] hostPort = bootstrap.split(",")[0].split(":");
            int port = Integer.parseInt(hostPort[1]);
            assertEquals("TLSv1.3", handshake(hostPort[0], port, trusting(store)));
            assertThrows(
                    SSLHandshakeException.class,
                    () -> handshake(hostPort[0], port, SSLContext.getDefault()),
                    "the broker's certificate is not trusted without the store: it is TLS");

            String suffix = "-tls-" + System.nanoTime();
            TresoTopics topics = TresoTopics.withSuffix(suffix);
            TopicAdmin.createAll(bootstrap, client, topics, 2);
            TwoPeriods business = TwoPeriods.get();
            Path events = dir.resolve("events.jsonl");
            int lines = business.writeBoth(events);
            List<String> target =
                    List.of("--kafka", bootstrap, "--registry", registry.url(), "--topic-suffix");

            String published = treso(0, "publish", "--input", events, target, suffix, tls);
            assertTrue(published.contains(String.format("published %,d events", lines)));

            List<String> runArgs = new ArrayList<>(tls);
            BackgroundRun run =
                    BackgroundRun.start(
                            bootstrap,
                            client,
                            registry.url(),
                            suffix,
                            runArgs.toArray(String[]::new));
            run.awaitCaughtUp();
            run.stop();
            KafkaOutputs outputs =
                    KafkaOutputs.read(
                            bootstrap, client, RegistryEndpoint.of(registry.url()), topics);
            outputs.assertSameAsReplay(business.bothReplay());

            String dlq = treso(0, "dlq", "list", null, target, suffix, tls);
            assertTrue(
                    dlq.contains(outputs.deadLetters().size() + " dead letters"),
                    "dlq list read the dead letters over TLS: " + dlq);

            String ingestSuffix = suffix + "-ingest";
            TopicAdmin.createAll(bootstrap, client, TresoTopics.withSuffix(ingestSuffix), 1);
            Path statements = dir.resolve("statements.sta");
            StatementFileWriter.Shape shape =
                    new StatementFileWriter.Shape(2, 3, 5, LocalDate.of(2026, 3, 2), 5);
            StatementFileWriter.mt940(shape, statements);
            String ingested =
                    treso(
                            0,
                            "ingest",
                            "--format",
                            List.of("mt940", statements.toString()),
                            target,
                            ingestSuffix,
                            tls);
            long expected = shape.entries() + (long) shape.accounts() * shape.days();
            assertTrue(ingested.contains(expected + " events written to Kafka"), ingested);
            System.out.printf(
                    "R6 TLS: a broker with a TLS-only listener (%s); publish %,d events, run (outputs"
                            + " equal the replay: %d alerts, %d reconciliation records, %d"
                            + " positions), dlq list, ingest of %d events, all over TLS%n",
                    handshake(hostPort[0], port, trusting(store)),
                    lines,
                    outputs.alerts().size(),
                    outputs.reconciliation().size(),
                    outputs.positions().size(),
                    expected);
        }
    }

    /** Runs a command with its first argument(s), the broker's address and the TLS settings. */
    private static String treso(
            int expectedCode,
            String command,
            String option,
            Object value,
            List<String> target,
            String suffix,
            List<String> tls) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        if (option != null) args.add(option);
        if (value instanceof List<?> l) l.forEach(v -> args.add(v.toString()));
        else if (value != null) args.add(value.toString());
        args.addAll(target);
        args.add(suffix);
        args.addAll(tls);
        RunAndPublishTest.Run run = RunAndPublishTest.treso(args.toArray(String[]::new));
        assertEquals(expectedCode, run.code(), args.get(0) + ": " + run.out() + run.err());
        return run.out();
    }

    private static String handshake(String host, int port, SSLContext tls) throws Exception {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A key pair and self-signed certificate for localhost, made with the JDK's keytool. */
    private static Path selfSigned(Path store) throws Exception {
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "broker",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost,ip:127.0.0.1",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                PASSWORD,
                                "-keypass",
                                PASSWORD)
                        .redirectErrorStream(true)
                        .start();
        String said = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), said);
        return store;
    }
}
