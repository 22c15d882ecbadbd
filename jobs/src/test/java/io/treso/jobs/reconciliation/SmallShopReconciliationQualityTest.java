package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.simulator.SimulatorConfig;
import java.util.Map;
import java.util.Set;

/**
 * Reconciliation on the shape of data small shops get: 20-40 orders a day, payout reports that name
 * orders without lines, one PSP whose payouts carry money only (and hold it for nine business days
 * once), Amazon settlements every 14 days; 63 days.
 */
class SmallShopReconciliationQualityTest extends ReconciliationQuality {
    @Override
    SimulatorConfig config() {
        return SimulatorConfig.of(23, 63, 4).withProfile(SimulatorConfig.Profile.SMALL_SHOPS);
    }

    @Override
    void checkVolume(int resolvable, Set<String> psps, Map<String, Integer> cases) {
        assertTrue(resolvable >= 150, "at least 150 RESOLVABLE pairs, got " + resolvable);
        assertTrue(psps.size() >= 3, "3+ PSPs");
        assertTrue(truth.planted("MISSING_PAYOUT").size() == 2, "a lost order and a held PSP");
    }

    @Override
    int internalTransfers() {
        return 1; // the EUR to USD transfer of day 20
    }
}
