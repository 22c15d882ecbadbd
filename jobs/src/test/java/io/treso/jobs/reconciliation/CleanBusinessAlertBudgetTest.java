package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.jobs.testing.SimulatedReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert budget on a clean business: 60 days of the small-shop profile with nothing planted that
 * reconciliation should alert on. Every reconciliation alert it raises is a false one, so the
 * budget is none; the bar, at most one per scope and day, is asserted on top.
 */
class CleanBusinessAlertBudgetTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aCleanSmallShopBusinessRaisesNoReconciliationAlert() throws Exception {
        var sim =
                ShopSimulator.run(
                        SimulatorConfig.of(31, 60, 4)
                                .withProfile(SimulatorConfig.Profile.SMALL_SHOPS)
                                .withoutReconciliationProblems());
        SimulatedReplay.run(sim, dir);
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> fired = new TreeMap<>(), perScopeDay = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.ALERTS))) {
            JsonNode a = json.readTree(l);
            String type = a.get("type").asText();
            if (!ReconciliationQuality.RECONCILIATION_ALERTS.contains(type)) continue;
            if (!a.get("state").asText().equals("FIRING")) continue;
            fired.merge(type, 1, Integer::sum);
            perScopeDay.merge(
                    type
                            + " "
                            + a.get("scope").asText()
                            + " "
                            + a.get("detected_at").asText().substring(0, 10),
                    1,
                    Integer::sum);
            if (examples.size() < 3) examples.add(a.get("message").asText());
        }
        System.out.printf(
                "alert budget: %d events, 60 days, 4 small shops, nothing planted:"
                        + " reconciliation alerts fired %s%n",
                sim.events().size(), fired);
        perScopeDay.forEach((k, n) -> assertTrue(n <= 1, k + " fired " + n + " times a day"));
        assertEquals(Map.of(), fired, examples.toString());
        assertTrue(sim.truth().planted("MISSING_PAYOUT").isEmpty(), "nothing planted");
    }
}
