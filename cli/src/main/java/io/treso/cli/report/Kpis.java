package io.treso.cli.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report's KPI formulas, on numbers the pipelines already produced. Money stays in minor units;
 * ratios are decimals, rounded half-even at the end. An empty result is a KPI that is undefined for
 * the data (no sales, nothing burnt), which the report shows as "—".
 */
public final class Kpis {
    /** A month, for burn and runway: 30 days, so that a 90-day window is three months. */
    public static final int MONTH_DAYS = 30;

    private Kpis() {}

    /**
     * The average monthly net outflow, in minor units, of a balance that went from {@code start} to
     * {@code end} over {@code days} days: positive when it fell (burning), zero or negative when it
     * grew.
     */
    public static long monthlyBurn(long startMinor, long endMinor, long days) {
        if (days <= 0) throw new IllegalArgumentException("days must be positive: " + days);
        return BigDecimal.valueOf(Math.subtractExact(startMinor, endMinor))
                .multiply(BigDecimal.valueOf(MONTH_DAYS))
                .divide(BigDecimal.valueOf(days), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    /**
     * Months the cash lasts at that burn: cash ÷ monthly burn, one decimal. Empty when not burning
     * (the runway is infinite); zero when there is no cash left.
     */
    public static Optional<BigDecimal> runwayMonths(long cashMinor, long monthlyBurnMinor) {
        if (monthlyBurnMinor <= 0) return Optional.empty();
        if (cashMinor <= 0) return Optional.of(BigDecimal.ZERO.setScale(1));
        return Optional.of(
                BigDecimal.valueOf(cashMinor)
                        .divide(BigDecimal.valueOf(monthlyBurnMinor), 1, RoundingMode.HALF_EVEN));
    }

    /**
     * Days outstanding (DSO for receivables, DPO for payables): what is open ÷ what flowed over the
     * period × its days, one decimal. Empty when nothing flowed (a week without sales).
     */
    public static Optional<BigDecimal> daysOutstanding(long openMinor, long flowMinor, long days) {
        if (flowMinor == 0) return Optional.empty();
        return Optional.of(
                BigDecimal.valueOf(openMinor)
                        .multiply(BigDecimal.valueOf(days))
                        .divide(
                                BigDecimal.valueOf(Math.abs(flowMinor)),
                                1,
                                RoundingMode.HALF_EVEN));
    }

    /** {@code part} ÷ {@code whole} as a percentage, one decimal; empty when the whole is zero. */
    public static Optional<BigDecimal> percent(long part, long whole) {
        if (whole == 0) return Optional.empty();
        return Optional.of(
                BigDecimal.valueOf(part)
                        .multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_EVEN));
    }

    /** The median (the mean of the two middle ones for an even count); empty for none. */
    public static Optional<Duration> median(List<Duration> durations) {
        if (durations.isEmpty()) return Optional.empty();
        List<Duration> sorted = new ArrayList<>(durations);
        sorted.sort(null);
        int n = sorted.size();
        if (n % 2 == 1) return Optional.of(sorted.get(n / 2));
        return Optional.of(sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
    }
}
