package io.treso.jobs.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bank's small, scattered outflows that no known item explains: card spending, one-off supplier
 * payments, bank fees that do not recur to the cent, refunds paid by transfer. Each is kept with
 * its category (the reconciliation's {@code BankCategories}) and counterparty; at a close, those of
 * the last four weeks from counterparties the forecast does not already plan (recurring or regular
 * debits, bills) are averaged per category and weekday, and the averages projected forward. A
 * category with fewer than {@link #MIN_LINES} lines is not modeled (a one-off is not a habit), and
 * a line over {@link #OUTLIER_TIMES} times its category's median is left out (one large purchase is
 * not tomorrow's spending). Plain Java, bounded per account.
 */
final class CategoryFlows {
    private CategoryFlows() {}

    /** A debit no known item explains, as booked. */
    static final class Line {
        public long time;
        public int day;
        public long amountMinor;
        public String counterparty;
        public String reference;

        /** The counterparty, normalised as the forecast compares names. */
        public String who;

        public Line() {}
    }

    /** Categories modeled here; the others are scheduled or financing, and planned elsewhere. */
    static final Set<String> MODELED = Set.of("OTHER", "SUPPLIER", "BANK_FEES", "REFUND");

    /** The weeks averaged. */
    static final int WEEKS = 4;

    /** Days of lines a model needs before it projects anything. */
    static final int MIN_DAYS = 14;

    static final int MIN_LINES = 5;
    static final int OUTLIER_TIMES = 5;

    /** Lines kept per account, the oldest dropped first. */
    static final int LINES_KEPT = 4_000;

    /** A category's expected outflow per day of the week (Monday first), minor units. */
    record Habit(String category, long[] byWeekday, long errorMinor) {}

    /**
     * The habits shown by {@code lines} booked by {@code time} in the four weeks up to {@code day},
     * leaving out the counterparties in {@code planned} (normalised names); {@code first} is the
     * account's first day with a line (the span averaged over, when shorter than four weeks).
     * {@code category} names each line's bank category.
     */
    static List<Habit> habits(
            List<Line> lines,
            long time,
            int day,
            int first,
            Set<String> planned,
            java.util.function.Function<Line, String> category) {
        int from = day - 7 * WEEKS + 1;
        int span = day - Math.max(from, first) + 1;
        if (span < MIN_DAYS) return List.of();
        TreeMap<String, List<Line>> byCategory = new TreeMap<>();
        for (Line l : lines) {
            if (l.time > time || l.day < from || l.day > day || planned.contains(l.who)) continue;
            String c = category.apply(l);
            if (MODELED.contains(c)) byCategory.computeIfAbsent(c, k -> new ArrayList<>()).add(l);
        }
        List<Habit> out = new ArrayList<>();
        for (var e : byCategory.entrySet()) {
            List<Line> ls = e.getValue();
            if (ls.size() < MIN_LINES) continue;
            long[] amounts = ls.stream().mapToLong(l -> -l.amountMinor).sorted().toArray();
            long median = amounts[amounts.length / 2];
            long[] sums = new long[7];
            long[] daily = new long[span];
            for (Line l : ls) {
                if (-l.amountMinor > Math.multiplyExact(median, OUTLIER_TIMES)) continue;
                sums[LocalDate.ofEpochDay(l.day).getDayOfWeek().getValue() - 1] -= l.amountMinor;
                daily[day - l.day] -= l.amountMinor;
            }
            // Each weekday's mean over the weeks seen (a span of 17 days holds 2 or 3 of each).
            long[] mean = new long[7];
            long total = 0;
            for (int w = 0; w < 7; w++) {
                int seen = 0;
                for (int d = day - span + 1; d <= day; d++) {
                    if (LocalDate.ofEpochDay(d).getDayOfWeek().getValue() - 1 == w) seen++;
                }
                mean[w] = seen == 0 ? 0 : SeasonalSmoothing.divide(sums[w], seen);
                total += mean[w];
            }
            if (total == 0) continue;
            long deviation = 0;
            for (int k = 0; k < span; k++) {
                int w = LocalDate.ofEpochDay(day - k).getDayOfWeek().getValue() - 1;
                deviation += Math.abs(daily[k] - mean[w]);
            }
            out.add(new Habit(e.getKey(), mean, deviation / span));
        }
        return out;
    }
}
