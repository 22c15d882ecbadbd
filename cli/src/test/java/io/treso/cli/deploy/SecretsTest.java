package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.kafka.KafkaOutputs;
import io.treso.cli.kafka.SharedKafka;
import io.treso.cli.notify.SlackServer;
import io.treso.cli.testing.Http;
import io.treso.cli.testing.LogCapture;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * R6: a business published, run and notified through the CLI with a registry password, a Kafka SASL
 * password (passed through as a client setting) and a Slack webhook URL, and every log line (INFO
 * and up, Flink's and Kafka's included), every command's output, the metrics endpoint, every output
 * record and every Slack message scanned for the three secrets.
 */
@ExtendWith(SharedKafka.class)
class SecretsTest {
    @TempDir Path dir;

    @Test
    void noSecretAppearsInLogsOutputsMetricsOrMessages() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String registrySecret = "R6reg" + tag + "S3cret";
        String kafkaSecret = "R6kafka" + tag + "S3cret";
        String webhookSecret = "R6hook" + tag + "S3cret";
        List<String> secrets = List.of(registrySecret, kafkaSecret, webhookSecret);
        String jaas =
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"treso\" password=\""
                        + kafkaSecret
                        + "\";";
        String bootstrap = SharedKafka.bootstrap();
        String suffix = "-secrets-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        List<String> printed = new ArrayList<>();
        int metricsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        try (EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.startWithBasicAuth(0, "treso", registrySecret);
                SlackServer slack = new SlackServer("/services/T0/B0/" + webhookSecret);
                LogCapture logs = LogCapture.start("r6-capture", "org.apache", "io.treso")) {
            assertEquals(
                    401,
                    Http.get(registry.url() + "/subjects").statusCode(),
                    "the registry requires its password");
            List<String> auth =
                    List.of(
                            "--registry-user", "treso",
                            "--registry-password", registrySecret,
                            "--kafka-property", jaas,
                            "--topic-suffix", suffix);
            Path events = dir.resolve("events.jsonl");
            List<String> lines = new ArrayList<>();
            ShopSimulator.run(SimulatorConfig.of(6, 21, 2))
                    .events()
                    .forEach(e -> lines.add(EventJson.toLine(e)));
            Files.write(events, lines);
            List<String> publish =
                    new ArrayList<>(
                            List.of(
                                    "publish",
                                    "--input",
                                    events.toString(),
                                    "--kafka",
                                    bootstrap,
                                    "--registry",
                                    registry.url()));
            publish.addAll(auth);
            assertEquals(0, treso(printed, publish), String.join("\n", printed));

            List<String> run =
                    new ArrayList<>(List.of("--metrics-port", Integer.toString(metricsPort)));
            run.addAll(auth.subList(0, 6));
            BackgroundRun job =
                    BackgroundRun.start(
                            bootstrap, registry.url(), suffix, run.toArray(String[]::new));
            job.awaitCaughtUp();
            String metrics = Http.metrics(metricsPort);
            assertTrue(
                    metrics.contains("treso_cash_account_currency_balance_minor"),
                    "the job's metrics were read");
            job.stop();

            Path hook = dir.resolve("slack-webhook");
            Files.writeString(hook, slack.url());
            Path config = dir.resolve("notify.properties");
            Files.writeString(
                    config,
                    "treso.notify.routes=slack\ntreso.notify.route.slack.webhook-file="
                            + hook
                            + "\ntreso.notify.group-wait=PT0.5S\n");
            List<String> notify =
                    new ArrayList<>(
                            List.of(
                                    "notify",
                                    "--config",
                                    config.toString(),
                                    "--kafka",
                                    bootstrap,
                                    "--registry",
                                    registry.url(),
                                    "--stop-after",
                                    "PT25S"));
            notify.addAll(auth);
            assertEquals(0, treso(printed, notify), String.join("\n", printed));
            assertFalse(slack.delivered().isEmpty(), "the notifier posted to Slack");

            KafkaOutputs outputs =
                    KafkaOutputs.read(
                            bootstrap,
                            new RegistryEndpoint(registry.url(), "treso", registrySecret),
                            topics);
            assertFalse(outputs.alerts().isEmpty(), "alerts were written");
            String log = logs.text();
            assertTrue(
                    log.contains("posts SLACK alerts to http://127.0.0.1:"),
                    "the notifier's log was captured");
            assertTrue(
                    log.lines().count() > 200,
                    "Flink's and Kafka's logs were captured: " + log.lines().count());
            Map<String, String> scanned =
                    Map.of(
                            "log lines",
                            log,
                            "command output",
                            String.join("\n", printed),
                            "metrics",
                            metrics,
                            "output records",
                            String.join("\n", outputs.positions())
                                    + String.join("\n", outputs.alerts())
                                    + String.join("\n", outputs.reconciliation())
                                    + String.join("\n", outputs.deadLetters()),
                            "Slack messages",
                            String.join(
                                    "\n",
                                    slack.delivered().stream()
                                            .map(SlackServer.Received::body)
                                            .toList()));
            for (var e : scanned.entrySet()) {
                for (String secret : secrets) {
                    int at = e.getValue().indexOf(secret);
                    if (at >= 0) {
                        throw new AssertionError(
                                "a secret in the "
                                        + e.getKey()
                                        + ": ..."
                                        + e.getValue().substring(Math.max(0, at - 300), at)
                                        + "<secret>");
                    }
                }
            }
            System.out.printf(
                    "R6: %,d log lines, %,d characters of command output, %,d of metrics, %,d output records, %d Slack messages scanned: none holds the registry password, the Kafka SASL password or the webhook's secret%n",
                    log.lines().count(),
                    String.join("\n", printed).length(),
                    metrics.length(),
                    outputs.positions().size()
                            + outputs.alerts().size()
                            + outputs.reconciliation().size()
                            + outputs.deadLetters().size(),
                    slack.delivered().size());
        }
    }

    private static int treso(List<String> printed, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                TresoCli.execute(
                        args.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        printed.add(out.toString());
        printed.add(err.toString());
        return code;
    }
}
