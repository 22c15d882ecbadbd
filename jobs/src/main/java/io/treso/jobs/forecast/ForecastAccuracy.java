package io.treso.jobs.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.util.Preconditions;

/**
 * How good a series of forecasts was, once the actual closing balances are in: for each horizon,
 * the mean absolute error, the same for a seasonal-naive forecast (the balance plus the same
 * weekday's net flow of the week before, cumulated), their ratio (MASE: below 1 beats naive), and
 * how often the p10–p90 band held the actual balance. A day without a close (a weekend) takes the
 * last close before it, as a bank balance does.
 */
public final class ForecastAccuracy {
    /** A projected day: its p50 and band. */
    public record Projection(long projectedMinor, long lowMinor, long highMinor) {}

    /** The score at one horizon. */
    public record Score(
            int horizon, int n, long maeMinor, long naiveMaeMinor, BigDecimal mase, int inBand) {
        /** The share of forecasts whose band held the actual balance. */
        public BigDecimal coverage() {
            return n == 0
                    ? BigDecimal.ZERO
                    : BigDecimal.valueOf(inBand)
                            .divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_UP);
        }
    }

    private ForecastAccuracy() {}

    /**
     * @param closes actual closing balances by day (bank days)
     * @param forecasts by the day each was made: its projections by day
     * @param from forecasts made before this day are not scored (models still learning)
     */
    public static List<Score> score(
            NavigableMap<LocalDate, Long> closes,
            Map<LocalDate, ? extends Map<LocalDate, Projection>> forecasts,
            int[] horizons,
            LocalDate from) {
        Preconditions.checkArgument(!closes.isEmpty(), "no closing balances to score against");
        LocalDate last = closes.lastKey();
        List<Score> scores = new ArrayList<>();
        for (int h : horizons) {
            long err = 0, naiveErr = 0;
            int n = 0, in = 0;
            for (var f : new TreeMap<>(forecasts).entrySet()) {
                LocalDate made = f.getKey();
                LocalDate target = made.plusDays(h);
                Projection p = f.getValue().get(target);
                Long base = actual(closes, made), actual = actual(closes, target);
                if (made.isBefore(from) || target.isAfter(last) || p == null) continue;
                if (base == null || actual == null) continue;
                Long naive = naive(closes, made, h, base);
                if (naive == null) continue;
                err += Math.abs(p.projectedMinor() - actual);
                naiveErr += Math.abs(naive - actual);
                if (p.lowMinor() <= actual && actual <= p.highMinor()) in++;
                n++;
            }
            BigDecimal mase =
                    naiveErr == 0
                            ? null
                            : BigDecimal.valueOf(err)
                                    .divide(BigDecimal.valueOf(naiveErr), 4, RoundingMode.HALF_UP);
            scores.add(new Score(h, n, n == 0 ? 0 : err / n, n == 0 ? 0 : naiveErr / n, mase, in));
        }
        return scores;
    }

    /** The balance at the end of {@code day}: its close, or the last one before. */
    static Long actual(NavigableMap<LocalDate, Long> closes, LocalDate day) {
        Map.Entry<LocalDate, Long> e = closes.floorEntry(day);
        return e == null ? null : e.getValue();
    }

    /** The seasonal-naive balance {@code h} days after {@code made}; null without a week before. */
    static Long naive(NavigableMap<LocalDate, Long> closes, LocalDate made, int h, long base) {
        long balance = base;
        for (int k = 1; k <= h; k++) {
            LocalDate same = made.plusDays(k).minusDays(7L * ((k + 6) / 7));
            Long today = actual(closes, same), before = actual(closes, same.minusDays(1));
            if (today == null || before == null) return null;
            balance += today - before;
        }
        return balance;
    }
}
