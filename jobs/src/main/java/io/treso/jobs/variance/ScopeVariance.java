package io.treso.jobs.variance;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Judges a store's or a PSP's buckets as they complete, in event-time order; plain Java, so the
 * maths is tested without Flink.
 *
 * <p>Store: at every bucket end, the trailing sales window (SALES_DROP, SALES_SPIKE) and refund
 * window (REFUND_SPIKE) against what their buckets were expected to hold. Sales: z = (S − ΣE) /
 * √ΣV. Refunds: the expected ratio ρ = ΣE[refunds] / ΣE[sales], and z = (R − ρS) / √(ΣV[refunds] +
 * ρ²ΣV[sales]). A standard deviation never goes below 5 % of the expectation, and an alert also
 * needs a material change ({@code min_change}) and enough expected orders ({@code min_volume}).
 *
 * <p>PSP: tumbling fee windows (a day by default, UTC), the fee rate against its own running level:
 * fee rates have no week rhythm. Each detector is edge-triggered: FIRING once when it breaches,
 * RESOLVED when z is back within {@code resolve_z} (hysteresis). A metric does not learn while its
 * detector fires, so an anomaly never becomes the norm.
 */
public final class ScopeVariance {
    static final int SALES = 0;
    static final int REFUNDS = 1;
    static final int ORDERS = 2;
    static final int REFUND_COUNT = 3;
    static final int SALE_SQUARES = 990;
    static final int SALE_CUBES = 992;
    static final int REFUND_SQUARES = 991;
    static final int FEE_LEVEL = 999;
    private static final long KEEP = Duration.ofDays(8).toMillis();
    private static final double FLOOR = 0.05;
    private static final double FEE_RATE_FLOOR = 0.0005;
    private static final int MAX_EVIDENCE = 10;
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    /** Where a scope's state lives: keyed Flink state, or maps in tests. */
    public interface Store extends SeasonalBaseline.Slots {
        Bucket bucket(long start);

        void putBucket(Bucket b);

        void removeBucket(long start);

        EpisodeState episode(VarianceType type);

        void putEpisode(VarianceType type, EpisodeState state);

        TrailingWeek week();

        void putWeek(TrailingWeek week);

        /** The judgement is done: write what it changed. */
        default void flush() {}
    }

    /** What a judged window says; the Flink shell turns z into a gauge. */
    public interface Out {
        void alert(CashAlert alert);

        void z(VarianceType type, double z);
    }

    private final Store store;
    private final Out out;

    /** This judgement's slot reads, so each key is read from state once per bucket end. */
    private Cached slots;

    private final class Cached implements SeasonalBaseline.Slots {
        private final Map<Integer, SlotStats> read = new HashMap<>();

        @Override
        public SlotStats get(int key) {
            if (!read.containsKey(key)) read.put(key, store.get(key));
            return read.get(key);
        }

        @Override
        public void put(int key, SlotStats stats) {
            read.put(key, stats);
            store.put(key, stats);
        }
    }

    /**
     * This judgement's bucket and episode reads: the sales and refund windows overlap, and the
     * week-old buckets are read twice, so each is read from state once per bucket end.
     */
    private final Map<Long, Bucket> buckets = new HashMap<>();

    private final Map<VarianceType, EpisodeState> episodes = new EnumMap<>(VarianceType.class);

    private Bucket bucket(long start) {
        if (!buckets.containsKey(start)) buckets.put(start, store.bucket(start));
        return buckets.get(start);
    }

    private void putBucket(Bucket b) {
        buckets.put(b.start, b);
        store.putBucket(b);
    }

    private EpisodeState episode(VarianceType type) {
        if (!episodes.containsKey(type)) episodes.put(type, store.episode(type));
        return episodes.get(type);
    }

    public ScopeVariance(Store store, Out out) {
        this.store = store;
        this.out = out;
    }

    /** {@code b} is complete (an empty one when nothing happened in it). */
    public void onBucketEnd(Bucket b, long bucketMillis, VarianceControls controls) {
        slots = new Cached();
        buckets.clear();
        episodes.clear();
        VarianceSettings s = controls.settings(b.scope, b.end);
        if (Bucket.STORE.equals(b.family)) {
            storeBucket(b, bucketMillis, s, controls);
        } else {
            pspBucket(b, bucketMillis, s);
        }
        // Buckets are contiguous: the one that just left the kept week is the only one to drop.
        store.removeBucket(b.end - KEEP - bucketMillis);
        store.flush();
    }

    private void storeBucket(
            Bucket b, long bucketMillis, VarianceSettings s, VarianceControls controls) {
        ZoneId zone = controls.zone(b.store, b.start);
        ZonedDateTime local = Instant.ofEpochMilli(b.start).atZone(zone);
        b.uplift = controls.uplift(b.store, b.start);
        b.expected = new double[4];
        b.variance = new double[4];
        b.ready = true;
        for (int m = SALES; m <= REFUND_COUNT; m++) {
            Optional<SeasonalBaseline.Expectation> e =
                    SeasonalBaseline.expected(slots, m, local, s.minHistory());
            if (e.isEmpty()) {
                b.ready = false;
                continue;
            }
            double u = m == SALES || m == ORDERS ? b.uplift : 1; // a sale lifts orders only
            b.expected[m] = e.get().mean() * u;
            b.variance[m] = e.get().unbiasedVariance() * u * u;
        }
        if (b.ready) {
            // Sales are a compound Poisson sum: at least E[orders] x E[amount²] of variance.
            SlotStats squares = slots.get(SALE_SQUARES);
            if (squares != null) {
                b.variance[SALES] = Math.max(b.variance[SALES], b.expected[ORDERS] * squares.mean);
            }
        }
        putBucket(b);
        TrailingWeek week = store.week();
        if (week == null) week = new TrailingWeek();
        week.add(b, 1);
        week.buckets++;
        Bucket leaving = bucket(b.start - weekBuckets(bucketMillis) * bucketMillis);
        if (leaving != null) week.add(leaving, -1);
        store.putWeek(week);
        judgeSales(b, bucketMillis, s, zone);
        judgeRefunds(b, bucketMillis, s, zone, week);
        if (!firing(VarianceType.SALES_DROP) && !firing(VarianceType.SALES_SPIKE)) {
            SeasonalBaseline.update(slots, SALES, local, b.primary / b.uplift, s.alpha());
            SeasonalBaseline.update(slots, ORDERS, local, b.count / b.uplift, s.alpha());
        }
        // Refunds always learn: they come in rare lumps, and skipping the lumps would bias them
        // low.
        SeasonalBaseline.update(slots, REFUNDS, local, b.secondary, s.alpha());
        SeasonalBaseline.update(slots, REFUND_COUNT, local, b.secondaryCount, s.alpha());
        learn(SALE_SQUARES, b.count, b.primarySquares, s.alpha());
        learn(SALE_CUBES, b.count, b.primaryCubes * 1e6, s.alpha()); // back to minor units³
        learn(REFUND_SQUARES, b.secondaryCount, b.secondarySquares, s.alpha());
    }

    /** The running mean of one order's (or refund's) squared amount. */
    private void learn(int key, long n, double squares, double alpha) {
        if (n == 0) return;
        SlotStats st = slots.get(key);
        if (st == null) st = new SlotStats();
        st.add(squares / n, alpha);
        slots.put(key, st);
    }

    private void judgeSales(Bucket b, long bucketMillis, VarianceSettings s, ZoneId zone) {
        List<Bucket> w = window(b, s.salesWindowMillis(), bucketMillis);
        if (w == null) return;
        double sales = 0, expected = 0, variance = 0, orders = 0;
        for (Bucket x : w) {
            sales += x.primary;
            expected += x.expected[SALES];
            variance += x.variance[SALES];
            orders += x.expected[ORDERS];
        }
        if (orders < s.minVolume() || expected <= 0) return;
        variance = Math.max(variance, sq(FLOOR * expected));
        double sd = Math.sqrt(variance);
        double z = skewCorrected((sales - expected) / sd, orders, variance);
        out.z(VarianceType.SALES_DROP, z);
        long observed = Math.round(sales);
        long usual = Math.round(expected);
        long spread = Math.round(sd);
        Judged j =
                new Judged(
                        b,
                        w,
                        z,
                        w.get(0).start,
                        () ->
                                new Explanation(
                                        Alerts.decimal(observed, b.currency),
                                        b.currency,
                                        Alerts.decimal(usual, b.currency),
                                        Alerts.decimal(spread, b.currency),
                                        "Sales on "
                                                + b.scope.replace("/", " / ")
                                                + " were "
                                                + Alerts.money(observed, b.currency)
                                                + " between "
                                                + span(w, zone)
                                                + ", usual "
                                                + Alerts.money(usual, b.currency)
                                                + " ± "
                                                + Alerts.money(spread, b.currency)
                                                + (b.uplift > 1
                                                        ? " (with the promotion's x"
                                                                + b.uplift
                                                                + ")"
                                                        : "")));
        edge(
                VarianceType.SALES_DROP,
                s,
                z <= -s.z() && sales <= (1 - s.minChange()) * expected,
                z > -s.resolveZ(),
                j);
        edge(
                VarianceType.SALES_SPIKE,
                s,
                z >= s.z() && sales >= (1 + s.minChange()) * expected,
                z < s.resolveZ(),
                j);
    }

    /**
     * Sales sums lean right (a few large orders), so a raw z overstates spikes and understates
     * drops. Cornish–Fisher with the compound-Poisson third cumulant (E[orders] x E[amount³])
     * corrects it: z − γ/6 (z² − 1), with the skewness γ kept within [0, 1].
     */
    private double skewCorrected(double z, double expectedOrders, double variance) {
        SlotStats cubes = slots.get(SALE_CUBES);
        if (cubes == null || variance <= 0) return z;
        double gamma = expectedOrders * cubes.mean / Math.pow(variance, 1.5);
        gamma = Math.max(0, Math.min(1, gamma));
        return z - gamma / 6 * (z * z - 1);
    }

    /**
     * Refunds come a few at a time, so they are judged as a count: P(X >= refunds) for X ~
     * Poisson(expected refunds), reported as the normal z with the same tail; the amount ratio must
     * also have moved by {@code min_change}. Refunds follow past sales, not the hour of the week:
     * the expectation is the trailing week's refunds per hour, shaped by the hour of day, which
     * also keeps a young store's ramp-up (no refunds yet) out of it.
     */
    private void judgeRefunds(
            Bucket b, long bucketMillis, VarianceSettings s, ZoneId zone, TrailingWeek rolling) {
        List<Bucket> w = window(b, s.refundWindowMillis(), bucketMillis);
        if (w == null) return;
        long week = weekBuckets(bucketMillis);
        if (rolling.buckets < week + w.size()) return; // less than a week of history: cold start
        // The week before the window: the rolling week, less the window, plus the buckets it
        // dropped that are still within a week of the window's start.
        TrailingWeek before = new TrailingWeek();
        before.refundCount = rolling.refundCount;
        before.refunds = rolling.refunds;
        before.sales = rolling.sales;
        for (Bucket x : w) before.add(x, -1);
        for (long i = week; i < week + w.size(); i++) {
            Bucket x = bucket(b.start - i * bucketMillis);
            if (x == null) return;
            before.add(x, 1);
        }
        double weekCount = before.refundCount;
        double weekRefunds = before.refunds;
        double weekSales = before.sales;
        double refunds = 0, sales = 0, expCount = 0;
        long orders = 0, count = 0;
        for (Bucket x : w) {
            refunds += x.secondary;
            sales += x.primary;
            orders += x.count;
            count += x.secondaryCount;
            ZonedDateTime local = Instant.ofEpochMilli(x.start).atZone(zone);
            expCount += weekCount / week * SeasonalBaseline.hourShape(slots, REFUND_COUNT, local);
        }
        if (orders < s.minVolume() || weekSales <= 0 || sales <= 0) return;
        double mu = Math.max(expCount, 0.5);
        double z =
                count > mu
                        ? Tails.zOfUpper(Tails.poissonUpper(count, mu))
                        : (count - mu) / Math.sqrt(mu);
        out.z(VarianceType.REFUND_SPIKE, z);
        double rho = weekRefunds / weekSales;
        double ratio = refunds / sales;
        // One refund's weight in the ratio, times the count's Poisson spread.
        double ratioSd = weekCount > 0 ? rho / (weekCount / week) * Math.sqrt(mu) / w.size() : 0;
        long refundCount = count;
        double expectedCount = expCount;
        Judged j =
                new Judged(
                        b,
                        w,
                        z,
                        w.get(0).start,
                        () ->
                                new Explanation(
                                        percent(ratio),
                                        "%",
                                        percent(rho),
                                        percent(ratioSd),
                                        "Refund rate on "
                                                + b.scope.replace("/", " / ")
                                                + " was "
                                                + percent(ratio)
                                                + " % between "
                                                + span(w, zone)
                                                + ", usual "
                                                + percent(rho)
                                                + " % ± "
                                                + percent(ratioSd)
                                                + " % ("
                                                + refundCount
                                                + " refunds, "
                                                + decimal(expectedCount, 1)
                                                + " expected)"));
        edge(
                VarianceType.REFUND_SPIKE,
                s,
                z >= s.z() && ratio >= rho * (1 + s.minChange()),
                z < s.resolveZ(),
                j);
    }

    private void pspBucket(Bucket b, long bucketMillis, VarianceSettings s) {
        putBucket(b);
        long window = Math.max(bucketMillis, s.feeWindowMillis());
        if (Math.floorMod(b.end, window) != 0) return; // tumbling, aligned to UTC midnight
        double gross = 0, fees = 0;
        long charges = 0;
        List<Bucket> w = new ArrayList<>();
        for (long start = b.end - window; start < b.end; start += bucketMillis) {
            Bucket x = bucket(start);
            if (x == null) continue;
            w.add(x);
            gross += x.primary;
            fees += x.secondary;
            charges += x.count;
        }
        if (charges < s.minVolume() || gross <= 0) return;
        double rate = fees / gross;
        SlotStats level = slots.get(FEE_LEVEL);
        if (level != null && level.n >= s.minHistory()) {
            double sd = Math.max(level.stddev(), FEE_RATE_FLOOR);
            double z = (rate - level.mean) / sd;
            out.z(VarianceType.FEE_SPIKE, z);
            double usual = level.mean;
            Judged j =
                    new Judged(
                            b,
                            w,
                            z,
                            b.end - window,
                            () -> {
                                String[] parts = b.scope.split("/");
                                return new Explanation(
                                        percent(rate),
                                        "%",
                                        percent(usual),
                                        percent(sd),
                                        parts[0]
                                                + " fee rate on "
                                                + (parts.length > 1 ? parts[1] + " " : "")
                                                + "payouts was "
                                                + percent(rate)
                                                + " % on "
                                                + Instant.ofEpochMilli(b.end - window)
                                                        .atZone(ZoneOffset.UTC)
                                                        .toLocalDate()
                                                + ", usual "
                                                + percent(usual)
                                                + " % ± "
                                                + percent(sd)
                                                + " %");
                            });
            edge(
                    VarianceType.FEE_SPIKE,
                    s,
                    z >= s.z() && (rate - level.mean) * 100 >= s.feeMinChangePoints(),
                    z < s.resolveZ(),
                    j);
        }
        if (!firing(VarianceType.FEE_SPIKE)) {
            if (level == null) level = new SlotStats();
            level.add(rate, s.alpha());
            slots.put(FEE_LEVEL, level);
        }
    }

    /**
     * A judged window; its words are built only when an alert goes out (formatting them for every
     * bucket end cost more than the judgement).
     */
    private record Judged(
            Bucket last,
            List<Bucket> window,
            double z,
            long windowStart,
            Supplier<Explanation> explain) {}

    /** The alert's words and units. */
    private record Explanation(
            String observed, String unit, String mean, String stddev, String message) {}

    private void edge(
            VarianceType type, VarianceSettings s, boolean breach, boolean normal, Judged j) {
        EpisodeState st = episode(type);
        if (st == null) st = new EpisodeState();
        AlertState state;
        if (!st.firing && breach && s.enabled(type)) {
            st.firing = true;
            st.windowStart = j.windowStart();
            st.alertId =
                    Alerts.id(type.name(), j.last().scope, Instant.ofEpochMilli(j.windowStart()));
            state = AlertState.FIRING;
        } else if (st.firing && normal) {
            st.firing = false;
            state = AlertState.RESOLVED;
        } else {
            return;
        }
        episodes.put(type, st);
        store.putEpisode(type, st);
        Explanation e = j.explain().get();
        String message =
                state == AlertState.RESOLVED ? e.message() + "; back to usual" : e.message();
        List<String> evidence = new ArrayList<>();
        for (Bucket x : j.window()) {
            for (String id : x.evidence) {
                if (evidence.size() < MAX_EVIDENCE) evidence.add(id);
            }
        }
        out.alert(
                Alerts.alert(
                                st.alertId,
                                type.name(),
                                AlertLifecycle.STATEFUL,
                                Severity.WARNING,
                                state,
                                j.last().scope,
                                Instant.ofEpochMilli(j.last().end),
                                message + " (z " + decimal(j.z()) + ")")
                        .setObservedValue(e.observed())
                        .setUnit(e.unit())
                        .setBaselineMean(e.mean())
                        .setBaselineStddev(e.stddev())
                        .setZScore(decimal(j.z()))
                        .setWindowStart(Instant.ofEpochMilli(j.windowStart()))
                        .setWindowEnd(Instant.ofEpochMilli(j.last().end))
                        .setEvidenceEventIds(evidence)
                        .build());
    }

    private boolean firing(VarianceType type) {
        EpisodeState st = episode(type);
        return st != null && st.firing;
    }

    private static long weekBuckets(long bucketMillis) {
        return Duration.ofDays(7).toMillis() / bucketMillis;
    }

    /** The judged buckets of the trailing window ending with {@code b}; null if not all ready. */
    private List<Bucket> window(Bucket b, long windowMillis, long bucketMillis) {
        int k = (int) Math.max(1, (windowMillis + bucketMillis - 1) / bucketMillis);
        List<Bucket> w = new ArrayList<>(k);
        for (int i = k - 1; i >= 0; i--) {
            Bucket x = bucket(b.start - i * bucketMillis);
            if (x == null || !x.ready) return null;
            w.add(x);
        }
        return w;
    }

    private static String span(List<Bucket> w, ZoneId zone) {
        ZonedDateTime from = Instant.ofEpochMilli(w.get(0).start).atZone(zone);
        ZonedDateTime to = Instant.ofEpochMilli(w.get(w.size() - 1).end).atZone(zone);
        return from.format(WHEN) + " and " + to.format(HOUR) + " (" + zone.getId() + ")";
    }

    private static String percent(double ratio) {
        return decimal(ratio * 100, 1);
    }

    private static String decimal(double v) {
        return decimal(v, 2);
    }

    private static String decimal(double v, int scale) {
        return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double sq(double v) {
        return v * v;
    }
}
