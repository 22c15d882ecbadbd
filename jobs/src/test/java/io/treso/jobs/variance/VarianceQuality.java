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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variance detection on the replay path with RocksDB, scored on the simulator's truth from day
 * {@link #FROM}: per detector, what was planted, found and falsely raised, the scale that found
 * each, and how long after its start the first FIRING came (event time). An episode counts when its
 * type and scope match a planted one and its window overlaps the planted interval, give or take the
 * detector's margin.
 */
abstract class VarianceQuality {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();
    static final int DAYS = 63;
    static final int FROM = 35;

    /** How far outside the planted interval an episode may fall and still be that anomaly. */
    private static final Map<String, Duration> MARGIN =
            Map.of(
                    "SALES_DROP", Duration.ofHours(4),
                    "SALES_SPIKE", Duration.ofHours(4),
                    "REFUND_SPIKE", Duration.ofHours(4),
                    "FEE_SPIKE", Duration.ofDays(1),
                    "UNUSUAL_DEBIT", Duration.ofHours(1),
                    "OUTFLOW_SPIKE", Duration.ofDays(1));

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    abstract SimulatorConfig config();

    abstract String name();

    /** The detectors whose plants are scored; each must have at least three. */
    abstract List<String> scored();

    @Test
    void findsThePlantedAnomaliesAndLittleElse() throws Exception {
        SimulatorConfig config = config();
        var sim = ShopSimulator.run(config);
        SimulationTruth truth = sim.truth();
        double seconds = SimulatedReplay.run(sim, dir);
        System.out.printf(
                "%s: %d events (%d days, %d stores) replayed in %.1f s%n",
                name(), sim.events().size(), config.days(), config.stores(), seconds);

        Instant from = Instant.parse(truth.start).plus(Duration.ofDays(FROM));
        List<CashAlert> alerts = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.ALERTS))) {
            CashAlert a = (CashAlert) EventJson.fromOutputLine(EventType.ALERT, l);
            if (MARGIN.containsKey(a.getType())
                    && a.getState() == AlertState.FIRING
                    && !a.getDetectedAt().isBefore(from)) {
                alerts.add(a);
            }
        }
        List<SimulationTruth.Planted> planted = new ArrayList<>();
        for (SimulationTruth.Planted p : truth.planted) {
            if (MARGIN.containsKey(p.type) && !Instant.parse(p.at).isBefore(from)) planted.add(p);
        }
        Map<SimulationTruth.Planted, CashAlert> found = new HashMap<>();
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
                if (!found.containsKey(p)) {
                    found.put(p, a);
                    t[1]++;
                }
            }
            assertExplained(a);
        }
        double storeWeeks = config.stores() * (config.days() - FROM) / 7.0;
        System.out.printf(
                "%s: days %d-%d, %d planted, %d alert episodes, %.2f false alarms per store-week%n",
                name(),
                FROM,
                config.days(),
                planted.size(),
                alerts.size(),
                falseAlarms.size() / storeWeeks);
        System.out.printf(
                "  %-13s %7s %5s %6s %5s %9s %6s%n",
                "detector", "planted", "found", "alerts", "false", "precision", "recall");
        byType.forEach(
                (type, t) ->
                        System.out.printf(
                                "  %-13s %7d %5d %6d %5d %9.3f %6.3f%n",
                                type, t[0], t[1], t[2], t[3], precision(t), recall(t)));
        for (SimulationTruth.Planted p : planted) {
            CashAlert a = found.get(p);
            if (a == null) {
                System.out.println("  missed: " + p.type + " " + p.scope + " " + p.at);
                continue;
            }
            Duration after = Duration.between(Instant.parse(p.at), a.getDetectedAt());
            System.out.printf(
                    "  found %-13s %-22s at %s: scale %-4s, first FIRING %s after its start%n",
                    p.type,
                    p.scope.length() > 22 ? io.treso.jobs.alert.Alerts.mask(p.scope) : p.scope,
                    p.at,
                    scale(a),
                    after.isNegative() ? "0h" : after.toString().substring(2).toLowerCase());
        }
        for (CashAlert a : falseAlarms) System.out.println("  false alarm: " + a.getMessage());
        for (String type : scored()) {
            int[] t = byType.get(type);
            assertNotNull(t, "nothing planted or raised for " + type);
            assertTrue(t[0] >= 3, "at least three planted " + type);
            assertTrue(precision(t) >= 0.9, type + " precision " + precision(t));
            assertTrue(recall(t) >= 0.9, type + " recall " + recall(t));
        }
        assertTrue(falseAlarms.size() / storeWeeks <= 1, falseAlarms.size() + " false alarms");
    }

    private static double precision(int[] t) {
        return (t[2] - t[3]) / (double) Math.max(1, t[2]);
    }

    private static double recall(int[] t) {
        return t[1] / (double) Math.max(1, t[0]);
    }

    /** The scale an alert names: the local day or week, or its trailing hours. */
    private static String scale(CashAlert a) {
        if (a.getType().equals("UNUSUAL_DEBIT")) return "debit";
        if (a.getMessage().contains("in the week of")) return "P7D";
        if (a.getMessage().contains(" between ")) {
            long h = Duration.between(a.getWindowStart(), a.getWindowEnd()).toHours();
            return "PT" + h + "H";
        }
        return "P1D";
    }

    private static List<SimulationTruth.Planted> matches(
            CashAlert a, List<SimulationTruth.Planted> planted) {
        Duration w = MARGIN.get(a.getType());
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
        assertFalse(a.getEvidenceEventIds().isEmpty(), a.getMessage());
        if (a.getMessage().contains("a new payee")) {
            // Judged from the first day: the floor it crossed is its baseline.
            assertNotNull(a.getThresholdValue(), a.getMessage());
            return;
        }
        assertNotNull(a.getBaselineMean(), a.getMessage());
        assertNotNull(a.getZScore(), a.getMessage());
        assertTrue(a.getMessage().contains("usual"), a.getMessage());
        if (!a.getType().equals("UNUSUAL_DEBIT")) {
            assertNotNull(a.getBaselineStddev(), a.getMessage());
            assertNotNull(a.getWindowStart(), a.getMessage());
            assertEquals(a.getWindowEnd(), a.getDetectedAt());
        }
    }
}
