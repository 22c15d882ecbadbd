package io.treso.jobs.variance;

import io.treso.connectors.simulator.SimulatorConfig;
import java.util.List;

/**
 * The shops we are built for: 63 days of four stores at 20-40 orders a day (the small-shop profile,
 * whose days vary by 10 % beyond chance), and from day 35 three each of a day whose sales collapse
 * from 10:00, a two-day refund wave at 30 %, a new payee paid 8x the usual supplier bill at 03:00,
 * a PSP fee spike and a day of 14 card payments.
 */
class SmallShopVarianceQualityTest extends VarianceQuality {
    @Override
    SimulatorConfig config() {
        return SimulatorConfig.of(7, DAYS, 4)
                .withProfile(SimulatorConfig.Profile.SMALL_SHOPS)
                .withAnomaliesFrom(FROM);
    }

    @Override
    String name() {
        return "variance quality, small shops";
    }

    @Override
    List<String> scored() {
        return List.of("SALES_DROP", "REFUND_SPIKE", "FEE_SPIKE", "UNUSUAL_DEBIT", "OUTFLOW_SPIKE");
    }
}
