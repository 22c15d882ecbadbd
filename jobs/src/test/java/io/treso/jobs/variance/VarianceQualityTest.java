package io.treso.jobs.variance;

import io.treso.connectors.simulator.SimulatorConfig;
import java.util.List;

/**
 * The busy shops: 63 days of two stores at about 650 orders a day, and from day 35 three each of
 * sales -60 % (5 h), refund ratio x5 (4 h), PSP fee +1.5 points (a payout day) and debits 8x the
 * largest usual.
 */
class VarianceQualityTest extends VarianceQuality {
    @Override
    SimulatorConfig config() {
        return SimulatorConfig.of(7, DAYS, 2).withOrderRate(30).withAnomaliesFrom(FROM);
    }

    @Override
    String name() {
        return "variance quality, busy shops";
    }

    @Override
    List<String> scored() {
        return List.of("SALES_DROP", "REFUND_SPIKE", "FEE_SPIKE", "UNUSUAL_DEBIT");
    }
}
