package io.treso.jobs.variance;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;

/**
 * The settings in force for one scope at one time, resolved from defaults, the latest {@code *}
 * rule and the latest rule of the scope, param by param; plus what the scope's store says (zone,
 * promotions).
 */
public record VarianceSettings(
        double z,
        double resolveZ,
        int minVolume,
        int minHistory,
        double minChange,
        double alpha,
        long salesWindowMillis,
        long refundWindowMillis,
        long feeWindowMillis,
        double feeMinChangePoints,
        Set<VarianceType> detectors,
        double debitZ,
        double debitFactor,
        int debitMinHistory) {

    public static final VarianceSettings DEFAULTS =
            new VarianceSettings(
                    4.0,
                    2.0,
                    30,
                    6,
                    0.3,
                    0.05,
                    Duration.ofHours(4).toMillis(),
                    Duration.ofHours(3).toMillis(),
                    Duration.ofDays(1).toMillis(),
                    0.5,
                    EnumSet.allOf(VarianceType.class),
                    4.0,
                    3.0,
                    10);

    public boolean enabled(VarianceType t) {
        return detectors.contains(t);
    }

    /** The settings for {@code scope} at {@code time}, from every control known. */
    static VarianceSettings resolve(Iterable<VarianceControl> controls, String scope, long time) {
        VarianceRule all = latest(controls, VarianceRule.ALL_SCOPES, time);
        VarianceRule own = latest(controls, scope, time);
        VarianceSettings s = DEFAULTS;
        if (all != null) s = s.with(all);
        if (own != null) s = s.with(own);
        return s;
    }

    private static VarianceRule latest(Iterable<VarianceControl> controls, String scope, long t) {
        VarianceRule best = null;
        Comparator<VarianceRule> order =
                Comparator.<VarianceRule>comparingLong(r -> r.effectiveAt)
                        .thenComparingLong(r -> r.version)
                        .thenComparing(r -> r.eventId);
        for (VarianceControl c : controls) {
            VarianceRule r = c.rule;
            if (r == null || !r.scope.equals(scope) || r.effectiveAt > t) continue;
            if (best == null || order.compare(r, best) > 0) best = r;
        }
        return best;
    }

    private VarianceSettings with(VarianceRule r) {
        Set<VarianceType> types = detectors;
        if (r.detectors != null) {
            types = EnumSet.noneOf(VarianceType.class);
            for (String t : r.detectors.split(",")) {
                if (!t.isBlank()) types.add(VarianceType.valueOf(t.trim()));
            }
        }
        return new VarianceSettings(
                r.z != null ? r.z : z,
                r.resolveZ != null ? r.resolveZ : resolveZ,
                r.minVolume != null ? r.minVolume : minVolume,
                r.minHistory != null ? r.minHistory : minHistory,
                r.minChange != null ? r.minChange : minChange,
                r.alpha != null ? r.alpha : alpha,
                r.salesWindowMillis != null ? r.salesWindowMillis : salesWindowMillis,
                r.refundWindowMillis != null ? r.refundWindowMillis : refundWindowMillis,
                r.feeWindowMillis != null ? r.feeWindowMillis : feeWindowMillis,
                r.feeMinChangePoints != null ? r.feeMinChangePoints : feeMinChangePoints,
                Set.copyOf(types),
                r.debitZ != null ? r.debitZ : debitZ,
                r.debitFactor != null ? r.debitFactor : debitFactor,
                r.debitMinHistory != null ? r.debitMinHistory : debitMinHistory);
    }

    /** The store's zone (STORE_CONFIG; the latest effective), UTC when none is known. */
    static ZoneId zone(Iterable<VarianceControl> controls, String store, long time) {
        VarianceControl best = null;
        for (VarianceControl c : controls) {
            if (c.zone == null || !c.store.equals(store) || c.from > time) continue;
            if (best == null || c.from > best.from) best = c;
        }
        return best == null ? ZoneOffset.UTC : best.zoneId();
    }

    /** The planned uplift of the store's orders at {@code time}: 1 outside promotions. */
    static double uplift(Iterable<VarianceControl> controls, String store, long time) {
        double u = 1;
        for (VarianceControl c : controls) {
            if (c.uplift > 0 && c.store.equals(store) && c.from <= time && time < c.until) {
                u = Math.max(u, c.uplift);
            }
        }
        return u;
    }
}
