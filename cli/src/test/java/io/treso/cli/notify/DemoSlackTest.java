package io.treso.cli.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.demo.DemoRuntime;
import io.treso.cli.kafka.SharedKafka;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.jobs.notify.NotifySettings;
import io.treso.jobs.notify.Webhook;
import io.treso.jobs.testing.SharedMiniCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ./treso demo --slack-webhook URL}: every alert the demo prints reaches Slack, once. */
@ExtendWith(SharedKafka.class)
class DemoSlackTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    @Test
    void everyAlertTheDemoPrintsArrivesOnce() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (SlackServer slack = new SlackServer("/services/T0/B0/demoSECRET")) {
            DemoRuntime demo =
                    new DemoRuntime(
                                    new DemoRuntime.Options(
                                            30,
                                            42,
                                            3,
                                            0,
                                            0,
                                            Duration.ofSeconds(1),
                                            2,
                                            SharedKafka.bootstrap(),
                                            SharedKafka.registryUrl(),
                                            "-demo-slack-" + System.nanoTime(),
                                            SimulatorConfig.Profile.DEFAULT),
                                    new PrintStream(printed, true))
                            .withNotifier(
                                    NotifySettings.everythingTo(
                                            Webhook.of(slack.url()),
                                            Map.of(
                                                    "treso.notify.group-wait", "PT0.5S",
                                                    "treso.notify.min-interval", "PT0.2S")));
            try {
                demo.start(conf -> StreamExecutionEnvironment.getExecutionEnvironment(conf));
                demo.awaitCaughtUp(Duration.ofMinutes(3));
                var alerts = demo.summary().alerts();
                assertTrue(alerts.size() >= 10, "the demo raises alerts: " + alerts.size());
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while (NotifyJobTest.ids(slack).size() < alerts.size()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                List<String> got = NotifyJobTest.ids(slack);
                for (var a : alerts) {
                    assertEquals(
                            1,
                            got.stream()
                                    .filter(io.treso.jobs.notify.SlackMessage.id(a)::equals)
                                    .count(),
                            io.treso.jobs.notify.SlackMessage.id(a));
                }
                assertEquals(alerts.size(), got.size(), "nothing else, nothing twice");
                String out = printed.toString();
                assertEquals(
                        alerts.size(),
                        out.lines()
                                .filter(l -> l.matches("^\\d{4}-.*  (FIRING|RESOLVED) .*"))
                                .count(),
                        "the demo printed each of them");
                System.out.printf(
                        "demo --slack-webhook: %d alerts printed, %d delivered in %d messages%n",
                        alerts.size(), got.size(), slack.delivered().size());
            } finally {
                demo.close();
            }
        }
    }
}
