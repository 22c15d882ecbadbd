package io.treso.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The KPI formulas on examples computed by hand, edges included. */
class KpisTest {
    @Test
    void burnIsTheMonthlyFallOfTheBalance() {
        // 90,000.00 → 60,000.00 over 90 days: 30,000.00 in three months, 10,000.00 a month.
        assertEquals(10_000_00, Kpis.monthlyBurn(90_000_00, 60_000_00, 90));
        // Over 45 days a fall of 15,000.00 is 10,000.00 a month too.
        assertEquals(10_000_00, Kpis.monthlyBurn(90_000_00, 75_000_00, 45));
        assertEquals(-5_000_00, Kpis.monthlyBurn(10_000_00, 15_000_00, 30), "it grew");
        // 1 minor unit over 60 days is half a unit a month: half-even rounds to 0.
        assertEquals(0, Kpis.monthlyBurn(1, 0, 60));
        assertThrows(IllegalArgumentException.class, () -> Kpis.monthlyBurn(1, 0, 0));
    }

    @Test
    void runwayIsCashOverBurnAndInfiniteWhenNotBurning() {
        assertEquals(Optional.of(new BigDecimal("6.0")), Kpis.runwayMonths(60_000_00, 10_000_00));
        assertEquals(Optional.of(new BigDecimal("2.3")), Kpis.runwayMonths(7_000_00, 3_000_00));
        assertEquals(Optional.empty(), Kpis.runwayMonths(60_000_00, 0), "no outflow: infinite");
        assertEquals(Optional.empty(), Kpis.runwayMonths(60_000_00, -1_00), "growing");
        assertEquals(Optional.of(new BigDecimal("0.0")), Kpis.runwayMonths(-5_00, 1_000_00));
    }

    @Test
    void daysOutstandingAndUndefinedWithoutSales() {
        // 30,000.00 open against 90,000.00 received in 90 days: 30 days.
        assertEquals(
                Optional.of(new BigDecimal("30.0")),
                Kpis.daysOutstanding(30_000_00, 90_000_00, 90));
        // Supplier payments are outflows: the sign does not matter.
        assertEquals(
                Optional.of(new BigDecimal("10.0")), Kpis.daysOutstanding(1_000_00, -700_00, 7));
        assertEquals(
                Optional.empty(), Kpis.daysOutstanding(5_000_00, 0, 7), "a week without sales");
    }

    @Test
    void percentagesAndMedians() {
        assertEquals(Optional.of(new BigDecimal("2.9")), Kpis.percent(290, 10_000));
        assertEquals(Optional.of(new BigDecimal("33.3")), Kpis.percent(1, 3));
        assertEquals(Optional.empty(), Kpis.percent(0, 0), "nothing paid out");
        assertEquals(Optional.empty(), Kpis.median(List.of()));
        assertEquals(
                Optional.of(Duration.ofHours(5)),
                Kpis.median(
                        List.of(Duration.ofHours(9), Duration.ofHours(1), Duration.ofHours(5))));
        assertEquals(
                Optional.of(Duration.ofHours(3)),
                Kpis.median(List.of(Duration.ofHours(2), Duration.ofHours(4))));
    }
}
