package io.treso.jobs.forecast;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.util.Preconditions;

/**
 * One account's projected daily closing balance: the anchored balance, plus the dated items known
 * or modeled, day by day over the horizon, with the p10–p90 band of {@link ForecastBand}. Items
 * already due fall on the first day (money late is still expected), items past the horizon are left
 * out. Plain Java: the forecast pipeline gathers the items, this adds them up.
 */
public final class CashForecast {
    /** Weeks of 7 days: the classic 13-week horizon is 91 days. */
    public static final int HORIZON_DAYS = 91;

    /** Where an expected amount comes from; it names it in the shortfall message. */
    public enum Kind {
        PAYOUT,
        CAPTURED_NOT_PAID_OUT,
        RECEIVABLE,
        PAYABLE,
        RECURRING,
        VAT,
        MODELED_SALES,
        REGULAR,
        SCENARIO,
        /** The spending habits of a bank category no known item explains. */
        CATEGORY_FLOW
    }

    /** An amount expected on a day: positive in, negative out. */
    public record Item(LocalDate date, long amountMinor, Kind kind, String label) {}

    /** One projected day (the ForecastPoint's numbers); flows by kind name, outflows positive. */
    public record Point(
            LocalDate date,
            long inflowMinor,
            long outflowMinor,
            long projectedMinor,
            long lowMinor,
            long highMinor,
            Map<String, Long> inflowByKind,
            Map<String, Long> outflowByKind) {

        /** Without the flows by kind. */
        public Point(
                LocalDate date,
                long inflowMinor,
                long outflowMinor,
                long projectedMinor,
                long lowMinor,
                long highMinor) {
            this(
                    date,
                    inflowMinor,
                    outflowMinor,
                    projectedMinor,
                    lowMinor,
                    highMinor,
                    Map.of(),
                    Map.of());
        }
    }

    /** The first day a path falls below a threshold, and the largest outflows up to it. */
    public record Crossing(LocalDate date, List<Item> drivers) {}

    private CashForecast() {}

    /**
     * The {@code horizon} days after {@code asOf}, starting from {@code openingMinor} (the balance
     * at the end of {@code asOf}), for models whose one-day errors are {@code errors}.
     */
    public static List<Point> project(
            LocalDate asOf, long openingMinor, List<Item> items, long[] errors, int horizon) {
        Preconditions.checkArgument(horizon >= 1, "a horizon of 1 day or more: %s", horizon);
        long[] in = new long[horizon], out = new long[horizon];
        List<Map<String, Long>> inKinds = new ArrayList<>(), outKinds = new ArrayList<>();
        for (int d = 0; d < horizon; d++) {
            inKinds.add(new TreeMap<>());
            outKinds.add(new TreeMap<>());
        }
        for (Item i : items) {
            long offset = Math.max(1, ChronoUnit.DAYS.between(asOf, i.date()));
            if (offset > horizon) continue;
            int d = (int) offset - 1;
            if (i.amountMinor() >= 0) {
                in[d] = Math.addExact(in[d], i.amountMinor());
                inKinds.get(d).merge(i.kind().name(), i.amountMinor(), Math::addExact);
            } else {
                out[d] = Math.subtractExact(out[d], i.amountMinor());
                outKinds.get(d).merge(i.kind().name(), -i.amountMinor(), Math::addExact);
            }
        }
        List<Point> points = new ArrayList<>(horizon);
        long balance = openingMinor;
        for (int d = 0; d < horizon; d++) {
            balance = Math.subtractExact(Math.addExact(balance, in[d]), out[d]);
            long half = ForecastBand.halfWidth(errors, d + 1);
            points.add(
                    new Point(
                            asOf.plusDays(d + 1L),
                            in[d],
                            out[d],
                            balance,
                            Math.subtractExact(balance, half),
                            Math.addExact(balance, half),
                            inKinds.get(d),
                            outKinds.get(d)));
        }
        return points;
    }

    /**
     * The first day the projected balance ({@code low}: its p10) is below {@code thresholdMinor},
     * with the three largest outflows on or before it that drive it; empty when it never is.
     */
    public static Optional<Crossing> firstCrossing(
            LocalDate asOf,
            List<Point> points,
            List<Item> items,
            long thresholdMinor,
            boolean low) {
        for (Point p : points) {
            long value = low ? p.lowMinor() : p.projectedMinor();
            if (value < thresholdMinor) {
                List<Item> drivers =
                        items.stream()
                                .filter(i -> i.amountMinor() < 0)
                                .filter(i -> !i.date().isAfter(p.date()))
                                .sorted(
                                        Comparator.comparingLong(Item::amountMinor)
                                                .thenComparing(Item::date)
                                                .thenComparing(Item::label))
                                .limit(3)
                                .toList();
                return Optional.of(new Crossing(p.date(), drivers));
            }
        }
        return Optional.empty();
    }
}
