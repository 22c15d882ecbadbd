package io.treso.cli.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.cli.kafka.SharedKafka;
import io.treso.cli.testing.LogCapture;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.DeadLetter;
import io.treso.jobs.notify.NotifyJob;
import io.treso.jobs.notify.NotifySettings;
import io.treso.jobs.notify.SlackMessage;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier on the shared broker and MiniCluster (RocksDB, checkpoints) against a real local
 * HTTP server that plays Slack: every alert of a 30-day simulation once, paced; an outage; a crash
 * mid-burst; a revoked webhook; and the webhook's secret nowhere in the logs.
 */
@ExtendWith(SharedKafka.class)
class NotifyJobTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET_PATH = "/services/T0SECRET/B0SECRET/xyzSECRETxyz";
    static final long MIN_INTERVAL = 200;
    static final long CHECKPOINT = 500;

    @TempDir static Path dir;
    static List<CashAlert> simulated;
    static List<CashAlert> smallShops;
    static LogCapture logs;

    @BeforeAll
    static void alertsOfASimulatedMonth() throws Exception {
        logs = LogCapture.start("notify-capture", "io.treso");

        ShopSimulator.Output sim = ShopSimulator.run(SimulatorConfig.of(42, 30, 3));
        Path replay = io.treso.cli.kafka.Replayed.of(sim.events(), dir).out();
        simulated = new ArrayList<>();
        for (String l : Files.readAllLines(replay.resolve(ReplayRuntime.ALERTS))) {
            simulated.add((CashAlert) EventJson.fromOutputLine(EventType.ALERT, l));
        }
        assertTrue(simulated.size() >= 10, "a month raises alerts: " + simulated.size());
        Path small = Files.createDirectories(dir.resolve("small-shops"));
        Path smallReplay =
                io.treso.cli.kafka.Replayed.of(
                                ShopSimulator.run(
                                                SimulatorConfig.of(42, 30, 3)
                                                        .withProfile(
                                                                SimulatorConfig.Profile
                                                                        .SMALL_SHOPS))
                                        .events(),
                                small)
                        .out();
        smallShops = new ArrayList<>();
        for (String l : Files.readAllLines(smallReplay.resolve(ReplayRuntime.ALERTS))) {
            smallShops.add((CashAlert) EventJson.fromOutputLine(EventType.ALERT, l));
        }
        assertTrue(smallShops.size() >= 3, "small shops raise alerts too: " + smallShops.size());
    }

    @AfterAll
    static void secretsNeverAppear() {
        logs.close();
        String all = logs.text();
        assertTrue(
                all.contains("posts SLACK alerts to http://127.0.0.1:"),
                "the route is logged, masked");
        assertFalse(all.contains("SECRET"), "the webhook's secret path in a log line");
    }

    @Test
    void everyAlertOfAMonthArrivesOncePacedAndInOrder() throws Exception {
        deliverEachOnce("deliver", simulated, "a 30-day simulation");
    }

    /** A second shape: the small-shops profile (money-only PSP, order-less payouts, a loan). */
    @Test
    void everyAlertOfASmallShopsMonthArrivesOnce() throws Exception {
        deliverEachOnce("small-shops", smallShops, "a 30-day small-shops simulation");
    }

    private void deliverEachOnce(String name, List<CashAlert> alerts, String what)
            throws Exception {
        try (SlackServer slack = new SlackServer(SECRET_PATH)) {
            Run run = new Run(name, slack, UnaryOperator.identity());
            run.publish(alerts);
            run.awaitDelivered(alerts);
            run.stop();
            Map<String, Integer> counts = counts(slack);
            for (CashAlert a : alerts) {
                assertEquals(1, counts.getOrDefault(SlackMessage.id(a), 0), SlackMessage.id(a));
            }
            assertEquals(
                    alerts.size(), counts.values().stream().mapToInt(i -> i).sum(), "nothing else");
            assertPaced(slack);
            // Per group, a FIRING arrives before its RESOLVED.
            List<String> order = ids(slack);
            for (CashAlert a : alerts) {
                if (a.getState() == AlertState.RESOLVED) {
                    CashAlert fired = CashAlert.newBuilder(a).setState(AlertState.FIRING).build();
                    int f = order.indexOf(SlackMessage.id(fired));
                    assertTrue(f >= 0 && f < order.indexOf(SlackMessage.id(a)), a.getAlertId());
                }
            }
            System.out.printf(
                    "notify: %d alert states of %s in %d messages, each once%n",
                    alerts.size(), what, slack.delivered().size());
        }
    }

    @Test
    void anOutageDeliversEverythingOnceOnRecoveryFoldedIntoDigests() throws Exception {
        List<CashAlert> burst = burst("outage", 40);
        try (SlackServer slack = new SlackServer(SECRET_PATH)) {
            slack.stop();
            Run run = new Run("outage", slack, UnaryOperator.identity());
            run.publish(burst);
            Thread.sleep(2_000);
            slack.answer(SlackServer.Answer.UNAVAILABLE);
            slack.start();
            waitFor(() -> !slack.received().isEmpty(), "a try while Slack answers 503");
            slack.answer(SlackServer.Answer.OK);
            run.awaitDelivered(burst);
            run.stop();
            Map<String, Integer> counts = counts(slack);
            for (CashAlert a : burst)
                assertEquals(1, counts.get(SlackMessage.id(a)), a.getAlertId());
            long digests =
                    slack.delivered().stream()
                            .filter(r -> r.body().contains("alerts at once"))
                            .count();
            assertTrue(digests >= 1, "folded into digests");
            assertTrue(slack.delivered().size() < burst.size(), "fewer messages than alerts");
            assertTrue(
                    slack.received().stream().anyMatch(r -> r.answered() == 503),
                    "503s were retried");
            assertPaced(slack);
            System.out.printf(
                    "notify: outage: %d alerts in %d messages after %d refused tries%n",
                    burst.size(),
                    slack.delivered().size(),
                    slack.received().size() - slack.delivered().size());
        }
    }

    static final AtomicBoolean CRASHED = new AtomicBoolean();
    static volatile long crashedAt;

    @Test
    void aCrashMidBurstLosesNothingAndRepeatsOnlyTheLastCheckpointsMessages() throws Exception {
        List<CashAlert> first = burst("crash-a", 30);
        List<CashAlert> second = burst("crash-b", 10);
        String trigger = second.get(0).getAlertId();
        try (SlackServer slack = new SlackServer(SECRET_PATH)) {
            Run run =
                    new Run(
                            "crash",
                            slack,
                            alerts ->
                                    alerts.map(
                                                    a -> {
                                                        if (a.getAlertId().equals(trigger)
                                                                && CRASHED.compareAndSet(
                                                                        false, true)) {
                                                            crashedAt = System.currentTimeMillis();
                                                            throw new IllegalStateException(
                                                                    "injected failure");
                                                        }
                                                        return a;
                                                    })
                                            .setParallelism(1)
                                            .name("failure injector"));
            // Alerts trickling in faster than the pace: messages go out one after another.
            Thread trickle =
                    new Thread(
                            () -> {
                                try {
                                    for (CashAlert a : first) {
                                        run.publish(List.of(a));
                                        Thread.sleep(100);
                                    }
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            trickle.start();
            waitFor(() -> slack.delivered().size() >= 4, "deliveries under way");
            run.publish(second);
            trickle.join();
            List<CashAlert> all = new ArrayList<>(first);
            all.addAll(second);
            run.awaitDelivered(all);
            run.stop();
            assertTrue(CRASHED.get(), "the failure was injected");
            Map<String, Integer> counts = counts(slack);
            for (CashAlert a : all)
                assertTrue(
                        counts.getOrDefault(SlackMessage.id(a), 0) >= 1, "lost " + a.getAlertId());
            // A repeat may only be of a message sent since the checkpoint before the crash.
            Map<String, Long> firstSeen = new HashMap<>();
            int repeats = 0;
            for (SlackServer.Received r : slack.delivered()) {
                for (String id : idsOf(r.body())) {
                    Long seen = firstSeen.putIfAbsent(id, r.at());
                    if (seen != null) {
                        repeats++;
                        assertTrue(
                                // From the checkpoint before the failure to the tasks'
                                // cancellation.
                                seen >= crashedAt - CHECKPOINT - 1_000 && seen <= crashedAt + 1_000,
                                id
                                        + " first sent "
                                        + (crashedAt - seen)
                                        + " ms before the crash, then again");
                    }
                }
            }
            System.out.printf(
                    "notify: crash mid-burst: %d states, 0 lost, %d repeated (sent within a checkpoint interval of the crash)%n",
                    all.size(), repeats);
        }
    }

    @Test
    void aRateLimitIsHonoured() throws Exception {
        List<CashAlert> alerts = burst("limited", 3);
        try (SlackServer slack = new SlackServer(SECRET_PATH)) {
            slack.answer(SlackServer.Answer.RATE_LIMITED);
            Run run = new Run("limited", slack, UnaryOperator.identity());
            run.publish(alerts);
            waitFor(() -> !slack.received().isEmpty(), "a first try");
            slack.answer(SlackServer.Answer.OK);
            run.awaitDelivered(alerts);
            run.stop();
            List<SlackServer.Received> tries = slack.received();
            assertEquals(429, tries.get(0).answered());
            long waited = tries.get(1).at() - tries.get(0).at();
            assertTrue(waited >= 950, "Retry-After: 1 honoured, waited " + waited + " ms");
            assertEquals(1, counts(slack).get(SlackMessage.id(alerts.get(0))));
        }
    }

    @Test
    void aRevokedWebhookIsNotRetriedAndItsAlertsAreDeadLettered() throws Exception {
        List<CashAlert> alerts = burst("revoked", 5);
        try (SlackServer slack = new SlackServer(SECRET_PATH)) {
            slack.answer(SlackServer.Answer.REVOKED);
            Run run = new Run("revoked", slack, UnaryOperator.identity());
            run.publish(alerts);
            waitFor(
                    () ->
                            TopicReader.readAll(
                                                    SharedKafka.bootstrap(),
                                                    run.registry,
                                                    run.topics.of(EventType.DEAD_LETTER),
                                                    DeadLetter.class)
                                            .size()
                                    >= alerts.size(),
                    "dead letters for the refused alerts");
            Thread.sleep(2_000);
            int tries = slack.received().size();
            run.stop();
            List<DeadLetter> dead =
                    TopicReader.readAll(
                            SharedKafka.bootstrap(),
                            run.registry,
                            run.topics.of(EventType.DEAD_LETTER),
                            DeadLetter.class);
            assertEquals(alerts.size(), dead.size());
            for (DeadLetter d : dead) {
                assertEquals("WEBHOOK_REFUSED", d.getReason());
                assertTrue(d.getDetail().contains("404"), d.getDetail());
                assertFalse(d.getDetail().contains("SECRET"));
            }
            assertTrue(
                    tries <= alerts.size(),
                    "no retry storm: " + tries + " tries for " + alerts.size() + " alerts");
            assertEquals(1, count(logs.text(), "refused a message with HTTP 404"), "logged once");
        }
    }

    /** A notifier job on its own topics, posting to {@code slack}. */
    final class Run {
        final TresoTopics topics;
        final RegistryEndpoint registry = RegistryEndpoint.of(SharedKafka.registryUrl());
        final JobClient job;
        final SlackServer slack;

        Run(String name, SlackServer slack, UnaryOperator<DataStream<CashAlert>> tap)
                throws Exception {
            this.slack = slack;
            String suffix = "-notify-" + name + "-" + System.nanoTime();
            topics = TresoTopics.withSuffix(suffix);
            TopicAdmin.createAll(SharedKafka.bootstrap(), topics, 1);
            Path hook = dir.resolve("webhook-" + name);
            Files.writeString(hook, slack.url() + "\n");
            NotifySettings settings =
                    NotifySettings.of(
                            Map.of(
                                    "treso.notify.routes", "slack",
                                    "treso.notify.route.slack.webhook-file", hook.toString(),
                                    "treso.notify.group-wait", "PT0.3S",
                                    "treso.notify.min-interval", "PT0.2S"));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            FlinkSettings.checkpointed(
                                    "rocksdb",
                                    Duration.ofMillis(CHECKPOINT),
                                    dir.resolve("checkpoints-" + name).toUri().toString()));
            env.setParallelism(1);
            NotifyJob.build(
                    env,
                    new NotifyJob.Settings(
                            SharedKafka.bootstrap(),
                            Map.of(),
                            registry,
                            topics,
                            name + suffix,
                            false),
                    settings,
                    tap);
            job = env.executeAsync("notify " + name);
        }

        void publish(List<CashAlert> alerts) throws Exception {
            try (EventPublisher p =
                    new EventPublisher(
                            SharedKafka.bootstrap(), registry.client(), topics, "test")) {
                alerts.forEach(p::publishWithoutHeartbeats);
            }
        }

        void awaitDelivered(List<CashAlert> alerts) throws Exception {
            waitFor(
                    () -> {
                        try {
                            return job.getJobStatus().get().isGloballyTerminalState()
                                    || delivered(alerts);
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    "every alert delivered");
            assertFalse(job.getJobStatus().get().isGloballyTerminalState(), "the job died");
        }

        private boolean delivered(List<CashAlert> alerts) throws Exception {
            List<String> got = ids(slack);
            return alerts.stream().allMatch(a -> got.contains(SlackMessage.id(a)));
        }

        void stop() throws Exception {
            job.cancel().get();
        }
    }

    static List<CashAlert> burst(String name, int n) {
        List<CashAlert> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CashAlert a = CashAlert.newBuilder(simulated.get(i % simulated.size())).build();
            a.setAlertId(name + ":MISSING_DEPOSIT:" + i);
            a.setType("MISSING_DEPOSIT");
            a.setScope(name + "-po-" + i);
            a.setState(AlertState.FIRING);
            out.add(a);
        }
        return out;
    }

    static Map<String, Integer> counts(SlackServer slack) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (String id : ids(slack)) out.merge(id, 1, Integer::sum);
        return out;
    }

    static List<String> ids(SlackServer slack) throws Exception {
        List<String> out = new ArrayList<>();
        for (SlackServer.Received r : slack.delivered()) out.addAll(idsOf(r.body()));
        return out;
    }

    /** The alert states a message carries: its context elements' "`id` STATE". */
    static List<String> idsOf(String body) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode m = JSON.readTree(body);
        for (JsonNode b : m.path("blocks")) {
            if (!b.path("type").asText().equals("context")) continue;
            for (JsonNode e : b.path("elements")) {
                var matcher =
                        java.util.regex.Pattern.compile("`[^`]+` (FIRING|RESOLVED)")
                                .matcher(e.path("text").asText());
                while (matcher.find()) out.add(matcher.group());
            }
        }
        return out;
    }

    static void assertPaced(SlackServer slack) {
        List<SlackServer.Received> all = slack.received();
        for (int i = 1; i < all.size(); i++) {
            long gap = all.get(i).at() - all.get(i - 1).at();
            assertTrue(gap >= MIN_INTERVAL - 30, "two posts " + gap + " ms apart");
        }
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
