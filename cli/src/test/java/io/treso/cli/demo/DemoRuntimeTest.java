package io.treso.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.kafka.SharedKafka;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulationTruth;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DeadLetter;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.schemas.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo runtime on the shared test broker and MiniCluster, checked against the truth. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedKafka.class)
class DemoRuntimeTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    static DemoRuntime demo;
    static String suffix;
    static ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeAll
    static void startTheDemo() throws Exception {
        suffix = "-demo-" + System.nanoTime();
        demo =
                new DemoRuntime(
                        new DemoRuntime.Options(
                                10,
                                42,
                                3,
                                0,
                                0,
                                Duration.ofSeconds(1),
                                2,
                                SharedKafka.bootstrap(),
                                SharedKafka.registryUrl(),
                                suffix,
                                SimulatorConfig.Profile.DEFAULT),
                        new PrintStream(printed, true));
        demo.start(conf -> StreamExecutionEnvironment.getExecutionEnvironment(conf));
        demo.awaitCaughtUp(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    @Order(1)
    void alertsAndPositionsOnKafkaMatchTheTruth() {
        SimulationTruth truth = demo.simulation().truth();
        DemoRuntime.Summary summary = demo.summary();
        for (SimulationTruth.Account a : truth.accounts) {
            CashPosition p =
                    summary.positions().stream()
                            .filter(x -> x.getScope().equals(a.accountId))
                            .findFirst()
                            .orElseThrow();
            assertEquals(a.expectedBalanceMinor, p.getBalanceMinor(), a.accountId);
        }
        var dip = truth.planted("LOW_BALANCE").get(0);
        List<CashAlert> low =
                summary.alerts().stream().filter(x -> x.getType().equals("LOW_BALANCE")).toList();
        assertEquals(2, low.size(), low.toString());
        assertEquals(dip.at, low.get(0).getDetectedAt().toString());
        assertEquals(dip.until, low.get(1).getDetectedAt().toString());
        assertEquals(
                1,
                summary.deadLetters().stream()
                        .filter(d -> d.getReason().equals("STATEMENT_UNBALANCED"))
                        .count());
        String out = printed.toString();
        assertTrue(out.contains("FIRING   LOW_BALANCE      FR76…0189"), out);
        // Variance speaks in the demo too, from the first days: a payee never paid before.
        assertTrue(
                out.contains("FIRING   UNUSUAL_DEBIT    FR76…0189") && out.contains("a new payee"),
                out);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        summary.print(new PrintStream(text, true));
        assertTrue(
                text.toString().contains("dead-lettered:    1 {STATEMENT_UNBALANCED=1}"),
                text.toString());
        assertTrue(
                text.toString().contains("LOW_BALANCE        1 firing, 1 resolved"),
                text.toString());
    }

    /**
     * The report of the run, from the demo's Kafka: every account's balance is the one on the
     * positions topic, one chart per account, the alerts by type as the demo counted them.
     */
    @Test
    @Order(2)
    void theReportOfTheRunReadsTheDemosKafka() throws Exception {
        java.nio.file.Path html =
                demo.writeReport(java.nio.file.Path.of("target", "report-artifacts", "demo.html"));
        org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(html.toFile(), "UTF-8");
        DemoRuntime.Summary summary = demo.summary();
        int accounts = 0;
        for (CashPosition p : summary.positions()) {
            if (!io.treso.cli.report.TreasuryReport.isAccount(p.getScope())) continue;
            accounts++;
            var cell =
                    doc.selectFirst(
                            "#accounts tr[data-scope=" + p.getScope() + "] td[data-what=balance]");
            assertEquals(p.getBalanceMinor(), Long.parseLong(cell.attr("data-minor")));
        }
        assertEquals(accounts, doc.select("#cash-over-period figure.chart").size());
        java.util.Map<String, Integer> firing = new java.util.TreeMap<>();
        for (CashAlert a : summary.alerts()) {
            if (a.getState() == io.treso.event.AlertState.FIRING) {
                firing.merge(a.getType(), 1, Integer::sum);
            }
        }
        java.util.Map<String, Integer> shown = new java.util.TreeMap<>();
        for (var t : doc.select("#needs-a-person div.alert-type")) {
            shown.put(t.attr("data-type"), Integer.parseInt(t.attr("data-count")));
        }
        assertEquals(firing, shown);
        assertTrue(doc.select("#kpis tr.kpi[data-kpi=fee_rate]").size() >= 2, "fee rates per PSP");
        // ./treso report --kafka says the same.
        java.nio.file.Path viaCli =
                java.nio.file.Path.of("target", "report-artifacts", "demo-cli.html");
        assertEquals(
                0,
                cli(
                        "report",
                        "--kafka",
                        demo.bootstrap(),
                        "--registry",
                        demo.registry().url(),
                        "--topic-suffix",
                        suffix,
                        "--output",
                        viaCli.toString()));
        org.jsoup.nodes.Document cliDoc = org.jsoup.Jsoup.parse(viaCli.toFile(), "UTF-8");
        for (String part : List.of("#accounts", "#cash-over-period", "#needs-a-person", "#kpis")) {
            assertEquals(doc.select(part).outerHtml(), cliDoc.select(part).outerHtml(), part);
        }
    }

    @Test
    @Order(3)
    void aControlSetWhileRunningFiresAndResolvesLowBalance() throws Exception {
        String usd = ShopSimulator.USD_ACCOUNT;
        long balance = demo.simulation().truth().account(usd).expectedBalanceMinor;
        assertEquals(
                0,
                cli(
                        "control",
                        "set",
                        "LOW_BALANCE_THRESHOLD",
                        "--scope",
                        usd,
                        "--param",
                        "threshold_minor=" + (balance + 1),
                        "--param",
                        "currency=USD",
                        "--param",
                        "margin_minor=100",
                        "--kafka",
                        demo.bootstrap(),
                        "--registry",
                        demo.registry().url(),
                        "--topic-suffix",
                        suffix));
        waitFor(() -> usdAlerts().size() == 1, "LOW_BALANCE FIRING on the USD account");
        assertEquals("FIRING", usdAlerts().get(0).getState().name());

        assertEquals(
                0,
                cli(
                        "control",
                        "set",
                        "LOW_BALANCE_THRESHOLD",
                        "--scope",
                        usd,
                        "--param",
                        "threshold_minor=100000",
                        "--param",
                        "currency=USD",
                        "--kafka",
                        demo.bootstrap(),
                        "--registry",
                        demo.registry().url(),
                        "--topic-suffix",
                        suffix));
        waitFor(() -> usdAlerts().size() == 2, "LOW_BALANCE RESOLVED on the USD account");
        assertEquals("RESOLVED", usdAlerts().get(1).getState().name());
        assertEquals(usdAlerts().get(0).getAlertId(), usdAlerts().get(1).getAlertId());
    }

    @Test
    @Order(4)
    void dlqReplayRestoresARecordDeadLetteredForItsAgeAndNeverCountsItTwice() throws Exception {
        Instant old = Instant.parse(demo.simulation().truth().start).minus(Duration.ofDays(60));
        PayoutEvent late =
                PayoutEvent.newBuilder()
                        .setEventId("adyen:po_backfill:PAID")
                        .setOccurredAt(old)
                        .setPsp(Psp.ADYEN)
                        .setStoreId("store-backfill")
                        .setPayoutId("po_backfill")
                        .setStatus(PayoutStatus.PAID)
                        .setGrossMinor(12_345)
                        .setFeeMinor(0)
                        .setRefundMinor(0)
                        .setAdjustmentMinor(0)
                        .setNetMinor(12_345)
                        .setCurrency("EUR")
                        .setExpectedArrivalDate(
                                old.atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(2))
                        .setDestinationAccountId(ShopSimulator.EUR_ACCOUNT)
                        .setOrderIds(List.of())
                        .setDescriptor(null)
                        .setLines(List.of())
                        .build();
        try (EventPublisher p =
                new EventPublisher(
                        demo.bootstrap(), demo.registry().client(), demo.topics(), "test")) {
            p.publishWithoutHeartbeats(late);
        }
        waitFor(() -> deadLetters("BEYOND_DEDUP_HORIZON") == 1, "the old payout dead-lettered");
        String scope = "transit:ADYEN/store-backfill/EUR";
        assertEquals(0, positions(scope).size());

        String[] replay = {
            "dlq",
            "replay",
            "--reason",
            "BEYOND_DEDUP_HORIZON",
            "--kafka",
            demo.bootstrap(),
            "--registry",
            demo.registry().url(),
            "--topic-suffix",
            suffix
        };
        assertEquals(0, cli(replay));
        waitFor(() -> positions(scope).size() == 1, "the replayed payout in transit");
        assertEquals(12_345, positions(scope).get(0).getInTransitMinor());

        assertEquals(0, cli(replay)); // Again: same id, deduplicated.
        Thread.sleep(4_000);
        assertEquals(1, positions(scope).size(), "a repeat moves nothing");
        assertEquals(1, deadLetters("BEYOND_DEDUP_HORIZON"), "and is not dead-lettered again");
    }

    private static List<CashAlert> usdAlerts() {
        return TopicReader.readAll(
                        demo.bootstrap(),
                        demo.registry(),
                        demo.topics().of(EventType.ALERT),
                        CashAlert.class)
                .stream()
                .filter(
                        a ->
                                a.getScope().equals(ShopSimulator.USD_ACCOUNT)
                                        && a.getType().equals("LOW_BALANCE"))
                .toList();
    }

    private static long deadLetters(String reason) {
        return TopicReader.readAll(
                        demo.bootstrap(),
                        demo.registry(),
                        demo.topics().of(EventType.DEAD_LETTER),
                        DeadLetter.class)
                .stream()
                .filter(d -> d.getReason().equals(reason))
                .count();
    }

    private static List<CashPosition> positions(String scope) {
        return TopicReader.readAll(
                        demo.bootstrap(),
                        demo.registry(),
                        demo.topics().of(EventType.POSITION),
                        CashPosition.class)
                .stream()
                .filter(p -> p.getScope().equals(scope))
                .toList();
    }

    /** A job that died must not leave the demo saying "Still running". */
    @Test
    @Order(5)
    void aJobThatStoppedIsSaidToHaveStopped() throws Exception {
        assertNull(demo.jobStopped(), "the job runs");
        demo.job().cancel().get(30, TimeUnit.SECONDS);
        waitFor(
                () -> {
                    try {
                        return demo.jobStopped() != null;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                "the demo to see its job stopped");
        String said = demo.jobStopped();
        assertTrue(said.startsWith("the Flink job stopped: "), said);
        assertFalse(said.contains("RUNNING"), said);
    }

    private static int cli(String... args) {
        StringWriter err = new StringWriter();
        int code =
                TresoCli.execute(
                        args,
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true));
        if (code != 0) {
            throw new AssertionError("treso " + String.join(" ", args) + " failed: " + err);
        }
        return code;
    }

    private static void waitFor(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(300);
        }
    }
}
