package io.treso.jobs.variance;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings in force for one scope at one time, resolved from defaults, the latest {@code *}
 * rule and the latest rule of the scope, param by param; plus what the scope's store says (zone,
 * promotions).
 *
 * <p>Each scale has its own threshold and minimum expected count ({@code z.P1D}, {@code
 * min_volume.PT1H}); a rule's plain {@code z} or {@code min_volume} replaces the per-scale values
 * that came before it, so "z=5" means 5 everywhere unless the same or a later rule says otherwise.
 */
public record VarianceSettings(
        double z,
        double resolveZ,
        int minVolume,
        int minHistory,
        double minChange,
        double alpha,
        List<Scale> scales,
        Map<String, Double> scaleZ,
        Map<String, Integer> scaleMinVolume,
        long feeWindowMillis,
        double feeMinChangePoints,
        int feeMinCharges,
        Set<VarianceType> detectors,
        double debitZ,
        double debitFactor,
        int debitMinHistory,
        BigDecimal newPayeeFloor,
        double newPayeeShare) {

    /**
     * Day and week windows are judged a few times a day, not every hour, so a lower z keeps the
     * same false-alarm rate per week; they need fewer expected orders because exact tails hold for
     * any count, and a small shop's day must be judged.
     */
    public static final VarianceSettings DEFAULTS =
            new VarianceSettings(
                    4.0,
                    2.0,
                    30,
                    6,
                    0.3,
                    0.05,
                    List.of(Scale.parse("PT1H"), Scale.parse("PT4H"), Scale.DAY, Scale.WEEK),
                    Map.of("P1D", 3.5, "P7D", 3.5),
                    Map.of("P1D", 15, "P7D", 30),
                    Duration.ofDays(1).toMillis(),
                    0.5,
                    10,
                    EnumSet.allOf(VarianceType.class),
                    4.0,
                    3.0,
                    10,
                    new BigDecimal("5000.00"),
                    0.10);

    public boolean enabled(VarianceType t) {
        return detectors.contains(t);
    }

    /** The threshold at {@code scale}. */
    public double z(Scale scale) {
        return scaleZ.getOrDefault(scale.iso(), z);
    }

    /** The fewest expected orders that {@code scale} judges. */
    public int minVolume(Scale scale) {
        return scaleMinVolume.getOrDefault(scale.iso(), minVolume);
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
        Map<String, Double> zs = new HashMap<>(r.z != null ? Map.of() : scaleZ);
        zs.putAll(r.scaleZ);
        Map<String, Integer> volumes =
                new HashMap<>(r.minVolume != null ? Map.of() : scaleMinVolume);
        volumes.putAll(r.scaleMinVolume);
        return new VarianceSettings(
                r.z != null ? r.z : z,
                r.resolveZ != null ? r.resolveZ : resolveZ,
                r.minVolume != null ? r.minVolume : minVolume,
                r.minHistory != null ? r.minHistory : minHistory,
                r.minChange != null ? r.minChange : minChange,
                r.alpha != null ? r.alpha : alpha,
                r.scales != null ? r.scales : scales,
                Map.copyOf(zs),
                Map.copyOf(volumes),
                r.feeWindowMillis != null ? r.feeWindowMillis : feeWindowMillis,
                r.feeMinChangePoints != null ? r.feeMinChangePoints : feeMinChangePoints,
                r.feeMinCharges != null ? r.feeMinCharges : feeMinCharges,
                Set.copyOf(types),
                r.debitZ != null ? r.debitZ : debitZ,
                r.debitFactor != null ? r.debitFactor : debitFactor,
                r.debitMinHistory != null ? r.debitMinHistory : debitMinHistory,
                r.newPayeeFloor != null ? r.newPayeeFloor : newPayeeFloor,
                r.newPayeeShare != null ? r.newPayeeShare : newPayeeShare);
    }

    /**
     * The scope's zone (STORE_CONFIG for a store, ACCOUNT_CONFIG for an account; the latest
     * effective), UTC when none is known.
     */
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
