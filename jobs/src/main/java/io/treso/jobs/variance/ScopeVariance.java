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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Judges a store's or a PSP's buckets as they complete, in event-time order; plain Java, so the
 * maths is tested without Flink.
 *
 * <p>Store: at every bucket end, each configured {@link Scale} (the trailing hour and four hours,
 * the local day and week so far) is judged against what its buckets were expected to hold. Orders
 * and refunds are counts, judged by exact tails: Poisson, or negative binomial once the store's
 * day-to-day variation c is learned (variance μ + cμ², c shrinking with the days a window spans).
 * Sales amounts keep the compound-Poisson test where a window expects enough orders for it. A scale
 * whose window expects fewer orders than its {@code min_volume} is skipped, never used to alert.
 * One episode per detector, whichever scales agree: it fires on the most extreme breach, names that
 * scale, and resolves when that scale is back within {@code resolve_z} (or its day or week is over)
 * and no other scale breaches. An alert also needs a material change ({@code min_change}).
 *
 * <p>PSP: tumbling fee windows (a day by default, UTC), the fee rate against its own running level:
 * fee rates have no week rhythm. A metric does not learn while its detector fires, so an anomaly
 * never becomes the norm.
 */
public final class ScopeVariance {
    static final int SALES = 0;
    static final int REFUNDS = 1;
    static final int ORDERS = 2;
    static final int REFUND_COUNT = 3;
    static final int SALE_SQUARES = 990;
    static final int SALE_CUBES = 992;
    static final int REFUND_SQUARES = 991;
    static final int ORDER_DISPERSION = 993;
    static final int REFUND_DISPERSION = 994;
    static final int FEE_LEVEL = 999;
    private static final long KEEP = Duration.ofDays(8).toMillis();
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    /** A window of at most this many buckets names its buckets' own events as evidence. */
    private static final int DETAIL_BUCKETS = 24;

    private static final double FLOOR = 0.05;
    private static final double FEE_RATE_FLOOR = 0.0005;

    /** The compound normal needs this many expected orders; below it, counts alone judge sales. */
    static final double AMOUNT_MIN_ORDERS = 30;

    /** A refund expectation never below this: one refund in a quiet hour is no spike. */
    private static final double MIN_EXPECTED_REFUNDS = 0.5;

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    /** Where a scope's state lives: keyed Flink state, or maps in tests. */
    public interface Store extends SeasonalBaseline.Slots {
        /** The scope's recent past, read once per judgement. */
        ScopeRecent recent();

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

    /** The scope's recent past, for the judgement under way. */
    private ScopeRecent recent;

    private Bucket bucket(long start) {
        return recent.bucket(start);
    }

    private void putBucket(Bucket b) {
        recent.putBucket(b);
    }

    private EpisodeState episode(VarianceType type) {
        return recent.episodes.get(type);
    }

    public ScopeVariance(Store store, Out out) {
        this.store = store;
        this.out = out;
    }

    /** {@code b} is complete (an empty one when nothing happened in it). */
    public void onBucketEnd(Bucket b, long bucketMillis, VarianceControls controls) {
        slots = new Cached();
        recent = store.recent();
        VarianceSettings s = controls.settings(b.scope, b.end);
        if (Bucket.STORE.equals(b.family)) {
            storeBucket(b, bucketMillis, s, controls);
            // No trailing window (PT23H at most) or evidence (24 buckets) reaches back further.
            recent.forgetDetailBefore(b.end - Math.max(DETAIL_BUCKETS * bucketMillis, DAY_MILLIS));
        } else {
            pspBucket(b, bucketMillis, s); // its fee window may span the whole kept week
        }
        // Buckets are contiguous: the one that just left the kept week is the only one to drop.
        recent.removeBucket(b.end - KEEP - bucketMillis);
        store.flush();
    }

    /**
     * A store's bucket: expected, added to the trailing week, judged over its windows, then learned
     * from. Kept in four methods, not one: the JIT compiled the single large one eight times (4.7 s
     * of a replay's 26 s of C2 time), deoptimised by each newly seen branch profile.
     */
    private void storeBucket(
            Bucket b, long bucketMillis, VarianceSettings s, VarianceControls controls) {
        ZoneId zone = controls.zone(b.store, b.start);
        ZonedDateTime local = Instant.ofEpochMilli(b.start).atZone(zone);
        b.uplift = controls.uplift(b.store, b.start);
        expectSales(b, local, s);
        double rho = rollWeek(b, bucketMillis, local);
        Map<Scale, WindowSums> windows = windows(b, bucketMillis, zone, s);
        boolean salesFiring = judgeWindows(b, bucketMillis, s, zone, windows, rho);
        learnFrom(b, s, zone, local, windows, salesFiring);
    }

    /** The bucket's expected sales and orders from the baseline, for its local hour of the week. */
    private void expectSales(Bucket b, ZonedDateTime local, VarianceSettings s) {
        b.expected = new double[4];
        b.variance = new double[4];
        b.ready = true;
        for (int m : new int[] {SALES, ORDERS}) {
            Optional<SeasonalBaseline.Expectation> e =
                    SeasonalBaseline.expected(slots, m, local, s.minHistory());
            if (e.isEmpty()) {
                b.ready = false;
                continue;
            }
            b.expected[m] = e.get().mean() * b.uplift;
            b.variance[m] = e.get().unbiasedVariance() * b.uplift * b.uplift;
        }
        if (b.ready) {
            // Sales are a compound Poisson sum: at least E[orders] x E[amount²] of variance.
            SlotStats squares = slots.get(SALE_SQUARES);
            if (squares != null) {
                b.variance[SALES] = Math.max(b.variance[SALES], b.expected[ORDERS] * squares.mean);
            }
        }
    }

    /**
     * Refunds follow past sales, not the hour of the week: a bucket expects the trailing week's
     * refunds per hour, shaped by the hour of day; no full week yet, no expectation. Returns the
     * week's refund rate before this bucket.
     */
    private double rollWeek(Bucket b, long bucketMillis, ZonedDateTime local) {
        TrailingWeek week = recent.trailing;
        long weekBuckets = weekBuckets(bucketMillis);
        double rho = week.sales > 0 ? (double) week.refunds / week.sales : 0;
        double shape = SeasonalBaseline.hourShape(slots, REFUND_COUNT, local);
        b.expected[REFUND_COUNT] =
                week.buckets >= weekBuckets ? week.refundCount * shape / weekBuckets : Double.NaN;
        b.expected[REFUNDS] =
                week.buckets >= weekBuckets ? week.refunds * shape / weekBuckets : Double.NaN;
        putBucket(b);
        week.add(b, 1);
        week.buckets++;
        Bucket leaving = bucket(b.start - weekBuckets * bucketMillis);
        if (leaving != null) week.add(leaving, -1);
        return rho;
    }

    /** Judges every window ending with {@code b}; returns whether a sales episode is firing. */
    private boolean judgeWindows(
            Bucket b,
            long bucketMillis,
            VarianceSettings s,
            ZoneId zone,
            Map<Scale, WindowSums> windows,
            double rho) {
        SlotStats orderC = slots.get(ORDER_DISPERSION);
        SlotStats refundC = slots.get(REFUND_DISPERSION);
        boolean salesJudged = orderC != null && orderC.n >= s.minHistory();
        boolean refundsJudged = refundC != null && refundC.n >= s.minHistory();
        List<Verdict> drops = new ArrayList<>(), spikes = new ArrayList<>();
        List<Verdict> refunds = new ArrayList<>();
        verdicts(b, bucketMillis, s, zone, windows, rho, orderC, refundC, drops, spikes, refunds);
        if (salesJudged) {
            episode(VarianceType.SALES_DROP, s, b, drops, zone, bucketMillis);
            episode(VarianceType.SALES_SPIKE, s, b, spikes, zone, bucketMillis);
        }
        if (refundsJudged) episode(VarianceType.REFUND_SPIKE, s, b, refunds, zone, bucketMillis);

        return firing(VarianceType.SALES_DROP) || firing(VarianceType.SALES_SPIKE);
    }

    /**
     * Each judged scale's most extreme verdicts, into {@code drops}, {@code spikes} and {@code
     * refunds}; sales are judged once the day's dispersion has history ({@code orderC}), refunds
     * likewise ({@code refundC}).
     */
    private void verdicts(
            Bucket b,
            long bucketMillis,
            VarianceSettings s,
            ZoneId zone,
            Map<Scale, WindowSums> windows,
            double rho,
            SlotStats orderC,
            SlotStats refundC,
            List<Verdict> drops,
            List<Verdict> spikes,
            List<Verdict> refunds) {
        boolean salesJudged = orderC != null && orderC.n >= s.minHistory();
        boolean refundsJudged = refundC != null && refundC.n >= s.minHistory();
        for (Map.Entry<Scale, WindowSums> e : windows.entrySet()) {
            Scale scale = e.getKey();
            if (!s.scales().contains(scale)) continue;
            if (scale.calendar() && !e.getValue().complete()) continue; // began mid-period
            // A week's first day is the day itself: judged once, by the day scale.
            if (scale.equals(Scale.WEEK) && e.getValue().days() <= 1) continue;
            List<WindowSums> stretches = stretches(scale, e.getValue(), bucketMillis, s);
            double least = Double.MAX_VALUE, most = 0;
            for (WindowSums w : stretches) {
                least = Math.min(least, w.expectedOrders);
                most = Math.max(most, w.expectedOrders);
            }
            double[] m = {least, most};
            List<Verdict> d = new ArrayList<>(), sp = new ArrayList<>(), r = new ArrayList<>();
            for (WindowSums w : stretches) {
                if (salesJudged) judgeSales(b, scale, w, s, zone, dispersion(orderC), m, d, sp);
                if (refundsJudged) {
                    judgeRefunds(b, scale, w, s, zone, dispersion(refundC), rho, m, r);
                }
            }
            extreme(d, -1).ifPresent(drops::add);
            extreme(sp, 1).ifPresent(spikes::add);
            extreme(r, 1).ifPresent(refunds::add);
        }
    }

    /** The baseline learns the bucket (sales not while an episode fires), and the day's spread. */
    private void learnFrom(
            Bucket b,
            VarianceSettings s,
            ZoneId zone,
            ZonedDateTime local,
            Map<Scale, WindowSums> windows,
            boolean salesFiring) {
        if (!salesFiring) {
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
        WindowSums day = windows.get(Scale.DAY);
        if (day != null && Scale.DAY.periodStart(b.end, zone) != day.periodStart) {
            // The local day is over: how far its counts fell from their expectation teaches c.
            if (day.complete() && day.salesReady && !salesFiring) {
                learnDispersion(ORDER_DISPERSION, day.orders, day.expectedOrders, s.alpha());
            }
            if (day.complete() && day.refundsReady && !firing(VarianceType.REFUND_SPIKE)) {
                learnDispersion(
                        REFUND_DISPERSION, day.refundCount, day.expectedRefundCount, s.alpha());
            }
        }
    }

    /**
     * The windows ending with {@code b}: the trailing ones from the kept buckets, the local day and
     * week from their running sums (always kept: the day also teaches the dispersion).
     */
    private Map<Scale, WindowSums> windows(
            Bucket b, long bucketMillis, ZoneId zone, VarianceSettings s) {
        Map<Scale, WindowSums> out = new LinkedHashMap<>();
        for (Scale scale : List.of(Scale.DAY, Scale.WEEK)) {
            long start = scale.periodStart(b.start, zone);
            WindowSums w = recent.period(scale);
            if (w == null || w.periodStart != start) {
                w =
                        scale.equals(Scale.DAY)
                                ? WindowSums.keepingBuckets(start)
                                : WindowSums.startingAt(start);
            }
            w.add(b);
            recent.putPeriod(scale, w);
            out.put(scale, w);
        }
        for (Scale scale : s.scales()) {
            if (scale.calendar()) continue;
            int k = scale.buckets(bucketMillis);
            WindowSums w = WindowSums.startingAt(b.start - (k - 1) * bucketMillis);
            for (int i = k - 1; i >= 0; i--) {
                Bucket x = bucket(b.start - i * bucketMillis);
                if (x == null) {
                    w = null;
                    break;
                }
                w.add(x);
            }
            if (w != null) out.put(scale, w);
        }
        out.keySet().retainAll(s.scales());
        Map<Scale, WindowSums> ordered = new LinkedHashMap<>();
        for (Scale scale : s.scales()) {
            if (out.containsKey(scale)) ordered.put(scale, out.get(scale));
        }
        // The day is needed after judging, to learn at its end, even when not judged.
        if (!ordered.containsKey(Scale.DAY)) {
            WindowSums day = recent.period(Scale.DAY);
            if (day != null) ordered.put(Scale.DAY, day);
        }
        return ordered;
    }

    /**
     * The windows a scale judges: the window itself, or for the local day every stretch of it that
     * ends now and expects enough orders (each is looked at, so each costs its share of the
     * threshold: see {@link #adjusted}).
     */
    private static List<WindowSums> stretches(
            Scale scale, WindowSums w, long bucketMillis, VarianceSettings s) {
        if (!scale.equals(Scale.DAY) || w.perBucket.length != WindowSums.FIGURES) {
            return List.of(w);
        }
        List<WindowSums> out = new ArrayList<>();
        for (int i = 0; i < w.buckets; i++) {
            WindowSums stretch = i == 0 ? w : w.stretchFrom(i, bucketMillis);
            if (stretch.expectedOrders < s.minVolume(scale)) break; // shorter ones expect less
            out.add(stretch);
        }
        return out;
    }

    /** The verdict furthest from usual on one side: -1 the lowest z, +1 the highest. */
    private static Optional<Verdict> extreme(List<Verdict> verdicts, int side) {
        Verdict best = null;
        for (Verdict v : verdicts) {
            if (best == null || side * v.z() > side * best.z()) best = v;
        }
        return Optional.ofNullable(best);
    }

    /**
     * z after scanning stretches that expect between {@code least} and {@code most} orders: its
     * tail times the number of independent looks, so a scan raises no more false alarms than one
     * window. The stretches are nested (two that expect a < b orders correlate by √(a/b)), so they
     * are worth about 1 + log₂(most / least) independent looks: the long stretches of a small
     * shop's evening are nearly one look; a busy shop's day, from an hour to all of it, is several.
     */
    static double adjusted(double z, double least, double most) {
        if (z == 0 || most <= least) return z;
        double looks = 1 + Math.log(most / least) / Math.log(2);
        double p = Math.min(0.5, Tails.normalUpper(Math.abs(z)) * looks);
        return Math.signum(z) * Tails.zOfUpper(p);
    }

    /** The learned day-to-day variation, c in [0, 1]. */
    private static double dispersion(SlotStats c) {
        return Math.max(0, Math.min(1, c.mean));
    }

    /**
     * One day's estimate of c: E[(O − E)²] = E + cE², so ((O − E)² − E) / E² is unbiased. Kept
     * within [−1, 1] so that one odd day cannot swing it: with a refund or two a day, a single day
     * of five would otherwise weigh like a month of quiet ones.
     */
    private void learnDispersion(int key, long observed, double expected, double alpha) {
        if (expected <= 0) return;
        double d = observed - expected;
        double estimate = Math.max(-1, Math.min(1, (d * d - expected) / (expected * expected)));
        SlotStats st = slots.get(key);
        if (st == null) st = new SlotStats();
        st.add(estimate, alpha);
        slots.put(key, st);
    }

    /** The running mean of one order's (or refund's) squared amount. */
    private void learn(int key, long n, double squares, double alpha) {
        if (n == 0) return;
        SlotStats st = slots.get(key);
        if (st == null) st = new SlotStats();
        st.add(squares / n, alpha);
        slots.put(key, st);
    }

    /** One scale's judgement of one detector: its z, breach, and the words if it alerts. */
    private record Verdict(
            Scale scale,
            WindowSums window,
            double z,
            boolean breach,
            boolean normal,
            Supplier<Explanation> explain) {}

    /**
     * Orders as a count (exact tails), and where the window expects enough orders, the amount
     * (compound Poisson, skew-corrected): a drop is the lower of the two, a spike the higher.
     */
    private void judgeSales(
            Bucket b,
            Scale scale,
            WindowSums w,
            VarianceSettings s,
            ZoneId zone,
            double dayC,
            double[] looks,
            List<Verdict> drops,
            List<Verdict> spikes) {
        if (!w.salesReady) return;
        if (w.expectedOrders < s.minVolume(scale) || w.expectedSales <= 0) return;
        double c = dayC / w.days();
        double zCount = Tails.countZ(w.orders, w.expectedOrders, c);
        double zDrop = zCount, zSpike = zCount;
        double expected = w.expectedSales;
        double sd = Math.sqrt(Math.max(w.salesVariance, sq(FLOOR * expected)) + c * sq(expected));
        if (w.expectedOrders >= AMOUNT_MIN_ORDERS) {
            double zAmount = skewCorrected((w.sales - expected) / sd, w.expectedOrders, sd * sd);
            zDrop = Math.min(zDrop, zAmount);
            zSpike = Math.max(zSpike, zAmount);
        }
        zDrop = adjusted(zDrop, looks[0], looks[1]);
        zSpike = adjusted(zSpike, looks[0], looks[1]);
        double orderSd = Math.sqrt(w.expectedOrders + c * sq(w.expectedOrders));
        Supplier<Explanation> explain =
                () ->
                        new Explanation(
                                Alerts.decimal(w.sales, b.currency),
                                b.currency,
                                Alerts.decimal(Math.round(expected), b.currency),
                                Alerts.decimal(Math.round(sd), b.currency),
                                "Sales on "
                                        + b.scope.replace("/", " / ")
                                        + " "
                                        + span(scale, w, b, zone)
                                        + " were "
                                        + w.orders
                                        + (w.orders == 1 ? " order / " : " orders / ")
                                        + Alerts.money(w.sales, b.currency)
                                        + ", usual "
                                        + decimal(w.expectedOrders, 0)
                                        + " ± "
                                        + decimal(orderSd, 0)
                                        + " orders / "
                                        + Alerts.money(Math.round(expected), b.currency)
                                        + (b.uplift > 1
                                                ? " (with the promotion's x" + b.uplift + ")"
                                                : ""));
        drops.add(
                new Verdict(
                        scale,
                        w,
                        zDrop,
                        zDrop <= -s.z(scale) && w.sales <= (1 - s.minChange()) * expected,
                        zDrop > -s.resolveZ(),
                        explain));
        spikes.add(
                new Verdict(
                        scale,
                        w,
                        zSpike,
                        zSpike >= s.z(scale) && w.sales >= (1 + s.minChange()) * expected,
                        zSpike < s.resolveZ(),
                        explain));
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
     * Refunds as a count against what the trailing week's refunds predicted for each bucket; the
     * refund rate (refunds over sales) must also have moved by {@code min_change} from the week's.
     */
    private void judgeRefunds(
            Bucket b,
            Scale scale,
            WindowSums w,
            VarianceSettings s,
            ZoneId zone,
            double dayC,
            double rho,
            double[] looks,
            List<Verdict> out) {
        if (!w.refundsReady || !w.salesReady) return;
        if (w.expectedOrders < s.minVolume(scale) || rho <= 0) return;
        double mu = Math.max(w.expectedRefundCount, MIN_EXPECTED_REFUNDS);
        double c = dayC / w.days();
        double z = adjusted(Tails.countZ(w.refundCount, mu, c), looks[0], looks[1]);
        double ratio = w.sales > 0 ? (double) w.refunds / w.sales : Double.POSITIVE_INFINITY;
        double sd = Math.sqrt(mu + c * mu * mu);
        Supplier<Explanation> explain =
                () ->
                        new Explanation(
                                Long.toString(w.refundCount),
                                "refunds",
                                decimal(mu, 1),
                                decimal(sd, 1),
                                "Refunds on "
                                        + b.scope.replace("/", " / ")
                                        + " "
                                        + span(scale, w, b, zone)
                                        + " were "
                                        + w.refundCount
                                        + ", usual "
                                        + decimal(mu, 1)
                                        + " ± "
                                        + decimal(sd, 1)
                                        + " (refund rate "
                                        + (Double.isInfinite(ratio) ? "n/a" : percent(ratio) + " %")
                                        + ", usual "
                                        + percent(rho)
                                        + " %)");
        out.add(
                new Verdict(
                        scale,
                        w,
                        z,
                        z >= s.z(scale)
                                && w.refundCount >= (1 + s.minChange()) * mu
                                && ratio >= rho * (1 + s.minChange()),
                        z < s.resolveZ(),
                        explain));
    }

    /**
     * One episode per detector whatever the scales say. Not firing: the most extreme breach fires
     * it. Firing: it ends when the scale that fired it is back to usual, or its day or week is
     * over, and no other scale breaches (one that does takes the episode over, silently).
     */
    private void episode(
            VarianceType type,
            VarianceSettings s,
            Bucket b,
            List<Verdict> verdicts,
            ZoneId zone,
            long bucketMillis) {
        Verdict worst = null, own = null;
        for (Verdict v : verdicts) {
            if (v.breach() && (worst == null || Math.abs(v.z()) > Math.abs(worst.z()))) worst = v;
        }
        double extreme = 0;
        for (Verdict v : verdicts) if (Math.abs(v.z()) > Math.abs(extreme)) extreme = v.z();
        if (!verdicts.isEmpty()) out.z(type, extreme);
        EpisodeState st = episode(type);
        if (st == null) st = new EpisodeState();
        if (!st.firing) {
            if (worst == null || !s.enabled(type)) return;
            st.firing = true;
            take(st, worst);
            st.windowStart = worst.window().from;
            st.alertId = Alerts.id(type.name(), b.scope, Instant.ofEpochMilli(st.windowStart));
            save(type, st);
            emit(
                    type,
                    AlertState.FIRING,
                    st,
                    b,
                    evidence(worst.window(), bucketMillis),
                    worst.z(),
                    worst.explain().get());
            return;
        }
        for (Verdict v : verdicts) if (v.scale().iso().equals(st.scale)) own = v;
        Scale fired = Scale.parse(st.scale);
        // Back to usual needs evidence of usual: a day or week that is over is not enough, since
        // the next one opens too thin to judge (a two-day wave would be two episodes). Only if a
        // whole period passes unjudged after the last one found unusual does the episode end for
        // want of evidence.
        boolean unjudged =
                own == null
                        && fired.calendar()
                        && fired.periodStart(b.start, zone)
                                > fired.periodStart(st.period + fired.millis() + 7_200_000L, zone);
        if (own == null && !fired.calendar()) {
            // A trailing window gone thin (the night): another scale's usual is the evidence.
            for (Verdict v : verdicts) if (v.normal() && own == null) own = v;
        }
        if (!unjudged && (own == null || !own.normal())) {
            // Still unusual in this day or week: the whole next one has to pass unjudged now.
            if (own != null && fired.calendar() && own.window().periodStart != st.period) {
                st.period = own.window().periodStart;
                save(type, st);
            }
            return;
        }
        if (worst != null) {
            take(st, worst);
            save(type, st);
            return;
        }
        st.firing = false;
        save(type, st);
        if (own != null) {
            emit(
                    type,
                    AlertState.RESOLVED,
                    st,
                    b,
                    evidence(own.window(), bucketMillis),
                    own.z(),
                    own.explain().get().resolved());
        } else {
            String when = Instant.ofEpochMilli(st.period).atZone(zone).format(DAY);
            String message =
                    words(type)
                            + " on "
                            + b.scope.replace("/", " / ")
                            + ": the "
                            + fired.label()
                            + (fired.equals(Scale.WEEK) ? " of " : " ")
                            + when
                            + " is over, and too little has happened since to judge; closed";
            emit(
                    type,
                    AlertState.RESOLVED,
                    st,
                    b,
                    new String[0],
                    0,
                    new Explanation(null, null, null, null, message));
        }
    }

    /** A stretch's own events (its buckets are kept); a longer window's running sample. */
    private String[] evidence(WindowSums w, long bucketMillis) {
        if (w.buckets > DETAIL_BUCKETS) return w.evidence;
        String[] ids = new String[0];
        for (long start = w.from; start < w.to; start += bucketMillis) {
            Bucket x = bucket(start);
            if (x == null) continue;
            for (String id : x.evidence) {
                ids = Bucket.withEvidence(ids, id, WindowSums.MAX_EVIDENCE);
            }
        }
        return ids;
    }

    private static String words(VarianceType type) {
        return switch (type) {
            case SALES_DROP -> "Sales drop";
            case SALES_SPIKE -> "Sales spike";
            case REFUND_SPIKE -> "Refund spike";
            default -> type.name();
        };
    }

    private static void take(EpisodeState st, Verdict v) {
        st.scale = v.scale().iso();
        st.period = v.window().periodStart;
    }

    private void save(VarianceType type, EpisodeState st) {
        recent.episodes.put(type, st);
    }

    /** How a message names a window: trailing hours, the day so far, or the week so far. */
    private static String span(Scale scale, WindowSums w, Bucket b, ZoneId zone) {
        ZonedDateTime from = Instant.ofEpochMilli(w.from).atZone(zone);
        ZonedDateTime to = Instant.ofEpochMilli(w.to).atZone(zone);
        String z = " (" + (zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId()) + ")";
        if (scale.equals(Scale.DAY)) {
            boolean whole = scale.periodStart(w.to, zone) != w.periodStart;
            boolean stretch = w.from != w.periodStart;
            return "on "
                    + from.format(DAY)
                    + (stretch ? " from " + from.format(HOUR) : "")
                    + (whole && !stretch ? "" : " until " + to.format(HOUR))
                    + z;
        }
        if (scale.equals(Scale.WEEK)) {
            return "in the week of " + from.format(DAY) + " until " + to.format(WHEN) + z;
        }
        return "between " + from.format(WHEN) + " and " + to.format(HOUR) + z;
    }

    private void pspBucket(Bucket b, long bucketMillis, VarianceSettings s) {
        putBucket(b);
        long window = Math.max(bucketMillis, s.feeWindowMillis());
        if (Math.floorMod(b.end, window) != 0) return; // tumbling, aligned to UTC midnight
        double gross = 0, fees = 0;
        long charges = 0, unknownCharges = 0;
        String[] evidence = new String[0];
        for (long start = b.end - window; start < b.end; start += bucketMillis) {
            Bucket x = bucket(start);
            if (x == null) continue;
            gross += x.primary;
            fees += x.secondary;
            charges += x.count;
            unknownCharges += x.secondaryCount;
            for (String id : x.evidence) {
                evidence = Bucket.withEvidence(evidence, id, WindowSums.MAX_EVIDENCE);
            }
        }
        // Payouts that do not say how many charges they hold are judged on their rate alone.
        if ((charges < s.feeMinCharges() && unknownCharges == 0) || gross <= 0) return;
        double rate = fees / gross;
        SlotStats level = slots.get(FEE_LEVEL);
        if (level != null && level.n >= s.minHistory()) {
            double sd = Math.max(level.stddev(), FEE_RATE_FLOOR);
            double z = (rate - level.mean) / sd;
            out.z(VarianceType.FEE_SPIKE, z);
            double usual = level.mean;
            String[] parts = b.scope.split("/");
            Supplier<Explanation> explain =
                    () ->
                            new Explanation(
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
            boolean breach = z >= s.z() && (rate - level.mean) * 100 >= s.feeMinChangePoints();
            EpisodeState st = episode(VarianceType.FEE_SPIKE);
            if (st == null) st = new EpisodeState();
            if (!st.firing && breach && s.enabled(VarianceType.FEE_SPIKE)) {
                st.firing = true;
                st.windowStart = b.end - window;
                st.alertId =
                        Alerts.id(
                                VarianceType.FEE_SPIKE.name(),
                                b.scope,
                                Instant.ofEpochMilli(st.windowStart));
                save(VarianceType.FEE_SPIKE, st);
                emit(VarianceType.FEE_SPIKE, AlertState.FIRING, st, b, evidence, z, explain.get());
            } else if (st.firing && z < s.resolveZ()) {
                st.firing = false;
                save(VarianceType.FEE_SPIKE, st);
                st.windowStart = b.end - window;
                emit(
                        VarianceType.FEE_SPIKE,
                        AlertState.RESOLVED,
                        st,
                        b,
                        evidence,
                        z,
                        explain.get().resolved());
            }
        }
        if (!firing(VarianceType.FEE_SPIKE)) {
            if (level == null) level = new SlotStats();
            level.add(rate, s.alpha());
            slots.put(FEE_LEVEL, level);
        }
    }

    /** The alert's words and units; built only when an alert goes out. */
    private record Explanation(
            String observed, String unit, String mean, String stddev, String message) {
        Explanation resolved() {
            return new Explanation(observed, unit, mean, stddev, message + "; back to usual");
        }
    }

    /** An edge: the window runs from the episode's start (a FIRING) or the judged window's. */
    private void emit(
            VarianceType type,
            AlertState state,
            EpisodeState st,
            Bucket b,
            String[] evidence,
            double z,
            Explanation e) {
        boolean judged = e.observed() != null;
        out.alert(
                Alerts.alert(
                                st.alertId,
                                type.name(),
                                AlertLifecycle.STATEFUL,
                                Severity.WARNING,
                                state,
                                b.scope,
                                Instant.ofEpochMilli(b.end),
                                judged ? e.message() + " (z " + decimal(z) + ")" : e.message())
                        .setObservedValue(e.observed())
                        .setUnit(e.unit())
                        .setBaselineMean(e.mean())
                        .setBaselineStddev(e.stddev())
                        .setZScore(judged ? decimal(z) : null)
                        .setWindowStart(Instant.ofEpochMilli(st.windowStart))
                        .setWindowEnd(Instant.ofEpochMilli(b.end))
                        .setEvidenceEventIds(List.of(evidence))
                        .build());
    }

    private boolean firing(VarianceType type) {
        EpisodeState st = episode(type);
        return st != null && st.firing;
    }

    private static long weekBuckets(long bucketMillis) {
        return Duration.ofDays(7).toMillis() / bucketMillis;
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
