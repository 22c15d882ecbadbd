package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulationTruth;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.testing.SharedMiniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The position pipeline on the replay path, judged against the simulator's truth. */
class ReplayPositionTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static SimulationTruth truth;
    static Path events;
    static Path p1;
    static Path p2;
    static int bad;

    @BeforeAll
    static void replayAtParallelismOneAndTwo() throws Exception {
        var sim = ShopSimulator.run(SimulatorConfig.of(7, 30, 3));
        truth = sim.truth();
        events = dir.resolve("events.jsonl");
        List<String> lines = new ArrayList<>();
        sim.events().forEach(e -> lines.add(EventJson.toLine(e)));
        // Bad input a user might feed, among the data (after the control preamble): it must be
        // dead-lettered, never fatal.
        int data = 0;
        while (lines.get(data).startsWith("{\"type\":\"control\"")) data++;
        bad = data + 1;
        lines.add(bad + 6, "{\"type\":\"bank\",\"event_id\":\"x\"");
        lines.add(
                bad + 8,
                "{\"type\":\"order\",\"event_id\":\"bad-ccy\",\"occurred_at\":\"2026-03-16T01:00:00Z\",\"store_id\":\"s\",\"channel\":\"SHOPIFY\",\"order_id\":\"o\",\"kind\":\"PLACED\",\"amount_minor\":10,\"currency\":\"XYZ\",\"psp\":\"STRIPE\"}");
        lines.add(
                bad + 10,
                "{\"type\":\"order\",\"event_id\":\"neg\",\"occurred_at\":\"2026-03-16T01:00:00Z\",\"store_id\":\"s\",\"channel\":\"SHOPIFY\",\"order_id\":\"o\",\"kind\":\"PLACED\",\"amount_minor\":-10,\"currency\":\"EUR\",\"psp\":\"STRIPE\"}");
        lines.add(
                bad + 12,
                "{\"type\":\"fx\",\"event_id\":\"future\",\"occurred_at\":\"2099-01-01T00:00:00Z\",\"currency\":\"USD\",\"base_currency\":\"EUR\",\"rate\":\"9.99\"}");
        Files.write(events, lines);
        p1 = run(1);
        p2 = run(2);
    }

    static Path run(int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        Path out = dir.resolve("p" + parallelism);
        ReplayRuntime.run(env, events, out, TresoOptions.defaults());
        return out;
    }

    @Test
    void parallelismOneAndTwoGiveByteIdenticalFiles() throws Exception {
        for (String f :
                List.of(
                        ReplayRuntime.POSITIONS,
                        ReplayRuntime.DAILY_POSITIONS,
                        ReplayRuntime.ALERTS,
                        ReplayRuntime.DEAD_LETTERS,
                        ReplayRuntime.RECONCILIATION,
                        ReplayRuntime.FORECAST)) {
            assertTrue(Files.size(p1.resolve(f)) > 0, f + " is empty: nothing to compare");
            assertArrayEquals(
                    Files.readAllBytes(p1.resolve(f)), Files.readAllBytes(p2.resolve(f)), f);
        }
    }

    @Test
    void finalBalancesEqualTheTruthExactly() throws Exception {
        Map<String, JsonNode> positions = read(p1.resolve(ReplayRuntime.POSITIONS));
        assertTrue(truth.duplicateDeliveries > 0, "the simulation delivers duplicates");
        for (SimulationTruth.Account a : truth.accounts) {
            JsonNode p = positions.get(a.accountId);
            assertEquals(a.expectedBalanceMinor, p.get("balance_minor").asLong(), a.accountId);
            assertEquals(a.bankReportedClosingMinor, p.get("bank_reported_balance_minor").asLong());
        }
        assertTrue(positions.containsKey("currency:EUR"));
        assertTrue(positions.containsKey("base:EUR"));
        long eur = truth.account(ShopSimulator.EUR_ACCOUNT).expectedBalanceMinor;
        assertEquals(eur, positions.get("currency:EUR").get("balance_minor").asLong());
        assertTrue(positions.get("base:EUR").get("balance_minor").asLong() > eur);
    }

    /**
     * Every account has a close for each day from its anchor to its last statement, and the last
     * one is the truth's final balance and the bank's own closing, with the threshold beside it.
     */
    @Test
    void eachAccountClosesEveryDayAndItsLastCloseIsTheTruth() throws Exception {
        List<JsonNode> daily = new ArrayList<>();
        for (String line : Files.readAllLines(p1.resolve(ReplayRuntime.DAILY_POSITIONS))) {
            daily.add(JSON.readTree(line));
        }
        for (SimulationTruth.Account a : truth.accounts) {
            List<JsonNode> days =
                    daily.stream()
                            .filter(d -> d.get("scope").asText().equals(a.accountId))
                            .toList();
            assertTrue(days.size() >= truth.days - 2, a.accountId + ": " + days.size() + " days");
            for (int i = 1; i < days.size(); i++) {
                assertEquals(
                        LocalDate.parse(days.get(i - 1).get("date").asText()).plusDays(1),
                        LocalDate.parse(days.get(i).get("date").asText()),
                        "one close per day, none missing");
            }
            JsonNode last = days.get(days.size() - 1);
            assertEquals(a.expectedBalanceMinor, last.get("closing_balance_minor").asLong());
            assertEquals(
                    a.bankReportedClosingMinor, last.get("bank_reported_balance_minor").asLong());
            assertEquals(
                    a.lowBalanceThresholdMinor, last.get("low_balance_threshold_minor").asLong());
        }
    }

    @Test
    void lowBalanceFiresOnceAndResolvesOncePerPlantedDip() throws Exception {
        List<JsonNode> low = alerts("LOW_BALANCE");
        var planted = truth.planted("LOW_BALANCE");
        assertEquals(planted.size() * 2, low.size(), low.toString());
        for (var dip : planted) {
            JsonNode firing =
                    low.stream()
                            .filter(a -> a.get("state").asText().equals("FIRING"))
                            .findFirst()
                            .orElseThrow();
            JsonNode resolved =
                    low.stream()
                            .filter(a -> a.get("state").asText().equals("RESOLVED"))
                            .findFirst()
                            .orElseThrow();
            assertEquals(dip.scope, firing.get("scope").asText());
            assertEquals(dip.at, firing.get("detected_at").asText());
            assertEquals(dip.until, resolved.get("detected_at").asText());
            assertEquals(firing.get("alert_id"), resolved.get("alert_id"));
        }
    }

    @Test
    void theUnbalancedStatementIsDeadLetteredAndTheMissingLineBreaksTheBalance() throws Exception {
        List<JsonNode> dead = lines(p1.resolve(ReplayRuntime.DEAD_LETTERS));
        for (var p : truth.planted("STATEMENT_UNBALANCED")) {
            assertEquals(
                    1,
                    dead.stream()
                            .filter(
                                    d ->
                                            d.get("reason").asText().equals("STATEMENT_UNBALANCED")
                                                    && d.get("detail")
                                                            .asText()
                                                            .contains(p.ids.get(0)))
                            .count());
        }
        List<JsonNode> breaks = alerts("BALANCE_BREAK");
        var planted = truth.planted("BALANCE_BREAK");
        assertEquals(planted.size(), breaks.size(), breaks.toString());
        assertEquals(planted.get(0).scope, breaks.get(0).get("scope").asText());
        assertEquals("FIRING", breaks.get(0).get("state").asText());
        assertTrue(breaks.get(0).get("message").asText().contains(planted.get(0).ids.get(0)));
    }

    @Test
    void badLinesAreDeadLetteredWithTheirLineAndReason() throws Exception {
        Map<Long, String> reasons = new TreeMap<>();
        for (JsonNode d : lines(p1.resolve(ReplayRuntime.DEAD_LETTERS))) {
            reasons.put(d.get("source_line").asLong(), d.get("reason").asText());
        }
        // Line numbers count from 1: the first bad line is line bad + 7.
        assertEquals("INVALID_RECORD", reasons.get(bad + 7L), reasons.toString());
        assertEquals("CONTRACT_VIOLATION", reasons.get(bad + 9L));
        assertEquals("CONTRACT_VIOLATION", reasons.get(bad + 11L));
        assertEquals("IMPLAUSIBLE_TIMESTAMP", reasons.get(bad + 13L));
        assertEquals(5, reasons.size(), reasons.toString());
    }

    @Test
    void noAlertFiresAtTheEndOfTheInput() throws Exception {
        long end = ReplayRuntime.preamble(events, TresoOptions.defaults()).endOfTime();
        List<JsonNode> all = lines(p1.resolve(ReplayRuntime.ALERTS));
        for (JsonNode a : all) {
            assertTrue(
                    Instant.parse(a.get("detected_at").asText()).toEpochMilli() <= end,
                    a.toString());
            assertTrue(a.get("emitted_at").isNull());
        }
        // Only what was planted: the loan drawdown no payout explains is categorised, not an
        // alert.
        assertEquals(
                alerts("LOW_BALANCE").size()
                        + alerts("BALANCE_BREAK").size()
                        + truth.planted("MISSING_DEPOSIT").size()
                        + truth.planted("PAYOUT_AMOUNT_MISMATCH").size()
                        + truth.planted("DUPLICATE_PAYMENT").size()
                        + truth.planted("OVERDUE_RECEIVABLE").size()
                        + truth.planted("MISSING_PAYOUT").size()
                        + alerts("UNRECONCILED_BANK_LINE").size()
                        + alerts("UNUSUAL_DEBIT").size()
                        + alerts("PROJECTED_SHORTFALL").size(),
                all.size(),
                all.toString());
        // The forecast's shortfalls: above INFO (the p50 path) only for the planted dip, seen
        // once the tax is paid and cleared after the loan; the low path's are INFO.
        Instant dipEnds = Instant.parse(truth.planted("LOW_BALANCE").get(0).until);
        for (JsonNode a : alerts("PROJECTED_SHORTFALL")) {
            Instant at = Instant.parse(a.get("detected_at").asText());
            assertTrue(
                    a.get("severity").asText().equals("INFO")
                            || !at.isAfter(dipEnds.plusSeconds(86_400)),
                    a.toString());
        }
        // With no history, the first large payment to each payee is a new payee (tax, payroll,
        // the planted odd debit): each one says so.
        for (JsonNode a : alerts("UNUSUAL_DEBIT")) {
            assertTrue(a.get("message").asText().contains("a new payee"), a.toString());
        }
        assertTrue(alerts("UNUSUAL_DEBIT").size() >= truth.planted("UNUSUAL_DEBIT").size());
        assertEquals(0, alerts("UNRECONCILED_BANK_LINE").size());
        List<String> loans = new ArrayList<>();
        for (JsonNode r : lines(p1.resolve(ReplayRuntime.RECONCILIATION))) {
            if ("LOAN".equals(r.get("category").asText())) {
                loans.add(r.get("status").asText() + " " + r.get("rule").asText());
            }
        }
        assertEquals(List.of("CATEGORISED category:default-loan"), loans);
    }

    private List<JsonNode> alerts(String type) throws Exception {
        return lines(p1.resolve(ReplayRuntime.ALERTS)).stream()
                .filter(a -> a.get("type").asText().equals(type))
                .toList();
    }

    static Map<String, JsonNode> read(Path file) throws Exception {
        Map<String, JsonNode> byScope = new TreeMap<>();
        for (JsonNode n : lines(file)) byScope.put(n.get("scope").asText(), n);
        return byScope;
    }

    static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        for (String l : Files.readAllLines(file)) list.add(JSON.readTree(l));
        return list;
    }
}
