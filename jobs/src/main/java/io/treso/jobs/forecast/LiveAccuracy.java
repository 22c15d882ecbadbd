package io.treso.jobs.forecast;

import io.treso.event.ForecastPoint;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The forecast scoring itself as it runs: each base forecast's projections 1, 7, 14 and 28 days out
 * are kept, and scored when the close of their day is known, against the actual balance and against
 * the seasonal-naive forecast made the same day ({@link ForecastAccuracy}'s). A forecast's first
 * day gives the balance it started from, which is the actual close of the day it was made: so the
 * points alone suffice, in the order the forecast emits them. Over the last {@link #WINDOW} scores
 * per scope and horizon: MAE, MASE and how often the p10–p90 band held. Plain Java, bounded (five
 * weeks of closes and four pending projections a day per scope).
 */
public final class LiveAccuracy {
    /** The horizons scored, days. */
    public static final int[] HORIZONS = {1, 7, 14, 28};

    /** Scores before a horizon's figures are worth showing: a ratio of three misses is noise. */
    public static final int MIN_SCORES = 7;

    /** Scores kept per scope and horizon: about the last month of bank days. */
    static final int WINDOW = 28;

    /** One horizon's scores of a scope, after a new one. */
    public record Reading(
            String scope,
            String currency,
            int horizon,
            int n,
            long maeMinor,
            Double mase,
            double bandHeld) {}

    private record Pending(int horizon, long projected, long low, long high, long naive) {}

    private static final class Series {
        Instant asOf;
        LocalDate made;
        final TreeMap<LocalDate, Long> closes = new TreeMap<>();
        final TreeMap<LocalDate, List<Pending>> pending = new TreeMap<>();
        final Map<Integer, ArrayDeque<long[]>> scores = new HashMap<>();
    }

    private final Map<String, Series> scopes = new HashMap<>();
    private final int window;

    public LiveAccuracy() {
        this(WINDOW);
    }

    /** Scoring over the last {@code window} scores per scope and horizon. */
    public LiveAccuracy(int window) {
        org.apache.flink.util.Preconditions.checkArgument(window > 0, "window %s", window);
        this.window = window;
    }

    /**
     * Takes the next point the forecast emitted; returns the readings it changed (none for a
     * scenario's point, or a point that scores nothing).
     */
    public List<Reading> accept(ForecastPoint p) {
        if (!ForecastBook.BASE.equals(p.getScenarioId())) return List.of();
        Series s = scopes.computeIfAbsent(p.getScope(), k -> new Series());
        List<Reading> out = new ArrayList<>();
        if (!p.getAsOf().equals(s.asOf)) {
            // A new forecast: its first day starts from the close it was made on.
            s.asOf = p.getAsOf();
            s.made = p.getDate().minusDays(1);
            long close = p.getProjectedBalanceMinor() - p.getInflowMinor() + p.getOutflowMinor();
            s.closes.put(s.made, close);
            s.closes.headMap(s.made.minusDays(35)).clear();
            out.addAll(score(p.getScope(), p.getCurrency(), s));
        }
        int h = (int) (p.getDate().toEpochDay() - s.made.toEpochDay());
        for (int horizon : HORIZONS) {
            if (horizon != h) continue;
            Long naive = ForecastAccuracy.naive(s.closes, s.made, h, s.closes.get(s.made));
            if (naive == null) break; // a week of closes first
            s.pending
                    .computeIfAbsent(p.getDate(), d -> new ArrayList<>())
                    .add(
                            new Pending(
                                    h,
                                    p.getProjectedBalanceMinor(),
                                    p.getLowMinor(),
                                    p.getHighMinor(),
                                    naive));
        }
        return out;
    }

    /** Scores the projections of days now closed (a day without a close takes the last one). */
    private List<Reading> score(String scope, String currency, Series s) {
        Map<LocalDate, List<Pending>> due = s.pending.headMap(s.made, true);
        if (due.isEmpty()) return List.of();
        TreeMap<Integer, Boolean> changed = new TreeMap<>();
        for (Map.Entry<LocalDate, List<Pending>> e : due.entrySet()) {
            Long actual = ForecastAccuracy.actual(s.closes, e.getKey());
            if (actual == null) continue;
            for (Pending x : e.getValue()) {
                ArrayDeque<long[]> window =
                        s.scores.computeIfAbsent(x.horizon(), k -> new ArrayDeque<>());
                window.addLast(
                        new long[] {
                            Math.abs(x.projected() - actual),
                            Math.abs(x.naive() - actual),
                            x.low() <= actual && actual <= x.high() ? 1 : 0
                        });
                if (window.size() > this.window) window.removeFirst();
                changed.put(x.horizon(), true);
            }
        }
        due.clear();
        List<Reading> out = new ArrayList<>();
        for (int h : changed.keySet()) {
            long err = 0, naive = 0, held = 0;
            ArrayDeque<long[]> window = s.scores.get(h);
            for (long[] x : window) {
                err += x[0];
                naive += x[1];
                held += x[2];
            }
            int n = window.size();
            out.add(
                    new Reading(
                            scope,
                            currency,
                            h,
                            n,
                            err / n,
                            naive == 0 ? null : (double) err / naive,
                            (double) held / n));
        }
        return out;
    }
}
