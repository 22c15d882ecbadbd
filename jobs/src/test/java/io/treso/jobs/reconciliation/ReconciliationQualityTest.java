package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.simulator.SimulatorConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reconciliation at volume: thousands of bank credits across PSPs, two accounts and two currencies,
 * every payout listing its lines, with every hard case.
 */
class ReconciliationQualityTest extends ReconciliationQuality {
    @Override
    SimulatorConfig config() {
        return SimulatorConfig.of(11, 30, 110);
    }

    @Override
    void checkVolume(int resolvable, Set<String> psps, Map<String, Integer> cases) {
        assertTrue(events <= 600_000, "within 600k events");
        assertTrue(resolvable >= 2000, "at least 2,000 RESOLVABLE pairs");
        assertTrue(psps.size() >= 3, "3+ PSPs");
        for (String c :
                List.of(
                        "SAME_AMOUNT_SAME_DAY",
                        "TRUNCATED_REFERENCE",
                        "LATE_STATEMENT",
                        "BANK_HOLIDAY",
                        "N_TO_1")) {
            assertTrue(cases.getOrDefault(c, 0) >= 50, c + ": at least 50, got " + cases.get(c));
        }
        assertTrue(cases.getOrDefault("FX", 0) > 0, "FX credits");
        assertTrue(truth.failedAfterPaid.size() >= 50, "50+ payouts FAILED after PAID");
    }

    @Override
    int internalTransfers() {
        return 0; // the treasury sweeps come from a holding Treso does not see
    }
}
