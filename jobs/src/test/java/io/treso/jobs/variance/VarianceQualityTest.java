package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulationTruth;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.jobs.testing.SimulatedReplay;
import io.treso.schemas.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variance detection on the replay path with RocksDB, scored on the simulator's truth: 63 days of
 * two stores, and from day 35 three each of sales -60 % (5 h), refund ratio x5 (4 h), PSP fee +1.5
 * points (a payout day) and debits 8x the largest usual. An alert episode counts when its type and
 * scope match a planted one and it overlaps the planted interval ± one detector window.
 */
class VarianceQualityTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();
    private static final int DAYS = 63;
    private static final int FROM = 35;
    private static final int STORES = 2;

    /** The defaults' windows, the margin an episode may fall outside the planted interval. */
    private static final Map<String, Duration> WINDOW =
            Map.of(
                    "SALES_DROP", Duration.ofHours(4),
                    "SALES_SPIKE", Duration.ofHours(4),
                    "REFUND_SPIKE", Duration.ofHours(3),
                    "FEE_SPIKE", Duration.ofDays(1),
                    "UNUSUAL_DEBIT", Duration.ofHours(1));

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void findsThePlantedAnomaliesAndLittleElse() throws Exception {
        var sim =
                ShopSimulator.run(
                        SimulatorConfig.of(7, DAYS, STORES)
                                .withOrderRate(30)
                                .withAnomaliesFrom(FROM));
        SimulationTruth truth = sim.truth();
        double seconds = SimulatedReplay.run(sim, dir);
        System.out.printf(
                "variance quality: %d events (%d days, %d stores) replayed in %.1f s%n",
                sim.events().size(), DAYS, STORES, seconds);

        Instant from = Instant.parse(truth.start).plus(Duration.ofDays(FROM));
        List<CashAlert> alerts = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.ALERTS))) {
            CashAlert a = (CashAlert) EventJson.fromOutputLine(EventType.ALERT, l);
            if (WINDOW.containsKey(a.getType())
                    && a.getState() == AlertState.FIRING
                    && !a.getDetectedAt().isBefore(from)) {
                alerts.add(a);
            }
        }
        List<SimulationTruth.Planted> planted = new ArrayList<>();
        for (SimulationTruth.Planted p : truth.planted) {
            if (WINDOW.containsKey(p.type) && !Instant.parse(p.at).isBefore(from)) planted.add(p);
        }
        Set<SimulationTruth.Planted> found = new HashSet<>();
        List<CashAlert> falseAlarms = new ArrayList<>();
        Map<String, int[]> byType = new TreeMap<>(); // planted, found, alerts, false
        for (SimulationTruth.Planted p : planted)
            byType.computeIfAbsent(p.type, k -> new int[4])[0]++;
        for (CashAlert a : alerts) {
            int[] t = byType.computeIfAbsent(a.getType(), k -> new int[4]);
            t[2]++;
            List<SimulationTruth.Planted> hits = matches(a, planted);
            if (hits.isEmpty()) {
                falseAlarms.add(a);
                t[3]++;
            }
            for (SimulationTruth.Planted p : hits) {
                if (found.add(p)) t[1]++;
            }
            assertExplained(a);
        }
        double precision =
                (alerts.size() - falseAlarms.size()) / (double) Math.max(1, alerts.size());
        double recall = found.size() / (double) planted.size();
        double storeWeeks = STORES * (DAYS - FROM) / 7.0;
        System.out.printf(
                "variance quality: days %d-%d, %d planted, %d alert episodes: precision %.3f,"
                        + " recall %.3f, %.2f false alarms per store-week%n",
                FROM,
                DAYS,
                planted.size(),
                alerts.size(),
                precision,
                recall,
                falseAlarms.size() / storeWeeks);
        byType.forEach(
                (type, t) ->
                        System.out.printf(
                                "  %-13s planted %d found %d alerts %d false %d%n",
                                type, t[0], t[1], t[2], t[3]));
        for (CashAlert a : falseAlarms) System.out.println("  false alarm: " + a.getMessage());
        for (SimulationTruth.Planted p : planted) {
            if (!found.contains(p))
                System.out.println("  missed: " + p.type + " " + p.scope + " " + p.at);
        }
        for (String type : List.of("SALES_DROP", "REFUND_SPIKE", "FEE_SPIKE", "UNUSUAL_DEBIT")) {
            assertTrue(byType.get(type)[0] >= 3, "at least three planted " + type);
        }
        assertTrue(precision >= 0.9, "precision " + precision);
        assertTrue(recall >= 0.9, "recall " + recall);
        assertTrue(falseAlarms.size() / storeWeeks <= 1, falseAlarms.size() + " false alarms");
    }

    private static List<SimulationTruth.Planted> matches(
            CashAlert a, List<SimulationTruth.Planted> planted) {
        Duration w = WINDOW.get(a.getType());
        Instant alertFrom = a.getWindowStart() != null ? a.getWindowStart() : a.getDetectedAt();
        Instant alertTo = a.getDetectedAt();
        List<SimulationTruth.Planted> hits = new ArrayList<>();
        for (SimulationTruth.Planted p : planted) {
            if (!p.type.equals(a.getType()) || !p.scope.equals(a.getScope())) continue;
            Instant pFrom = Instant.parse(p.at).minus(w);
            Instant pTo = (p.until != null ? Instant.parse(p.until) : Instant.parse(p.at)).plus(w);
            if (!alertFrom.isAfter(pTo) && !alertTo.isBefore(pFrom)) hits.add(p);
        }
        return hits;
    }

    /** Every alert says what it saw, against what, how far off, and on which events. */
    private static void assertExplained(CashAlert a) {
        assertNotNull(a.getObservedValue(), a.getMessage());
        assertNotNull(a.getUnit(), a.getMessage());
        assertNotNull(a.getBaselineMean(), a.getMessage());
        assertNotNull(a.getZScore(), a.getMessage());
        assertFalse(a.getEvidenceEventIds().isEmpty(), a.getMessage());
        assertTrue(a.getMessage().contains("usual"), a.getMessage());
        if (!a.getType().equals("UNUSUAL_DEBIT")) {
            assertNotNull(a.getBaselineStddev(), a.getMessage());
            assertNotNull(a.getWindowStart(), a.getMessage());
            assertEquals(a.getWindowEnd(), a.getDetectedAt());
        }
    }
}
