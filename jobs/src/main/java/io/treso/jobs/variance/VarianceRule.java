package io.treso.jobs.variance;

import io.treso.event.ControlCommand;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A VARIANCE_RULE control command: the thresholds as data, effective-dated, for one scope (a store
 * as {@code store-1/SHOPIFY}, a PSP as {@code STRIPE/EUR}, an account) or {@code *}. Only the
 * params it names override: defaults, then the latest {@code *} rule, then the latest rule of the
 * scope. Params: {@code z} and {@code z.<scale>}, {@code resolve_z}, {@code min_volume} and {@code
 * min_volume.<scale>}, {@code min_history}, {@code min_change}, {@code alpha}, {@code scales}
 * (comma list of {@link Scale}s, for sales and refunds), {@code fee_window}, {@code
 * fee_min_change_points}, {@code fee_min_charges}, {@code detectors} (comma list), {@code debit_z},
 * {@code debit_factor}, {@code debit_min_history}, {@code new_payee_floor} (in the account's
 * currency), {@code new_payee_share} (of the account's balance).
 */
public final class VarianceRule implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String KIND = "VARIANCE_RULE";
    public static final String ALL_SCOPES = "*";
    private static final Set<String> KEYS =
            Set.of(
                    "z",
                    "resolve_z",
                    "min_volume",
                    "min_history",
                    "min_change",
                    "alpha",
                    "scales",
                    "fee_window",
                    "fee_min_change_points",
                    "fee_min_charges",
                    "detectors",
                    "debit_z",
                    "debit_factor",
                    "debit_min_history",
                    "new_payee_floor",
                    "new_payee_share");

    /** Params an earlier version read, and what replaced them, so an old rule says what to do. */
    private static final Map<String, String> REPLACED =
            Map.of(
                    "window", "scales",
                    "sales_window", "scales",
                    "refund_window", "scales");

    public String eventId;
    public String scope = ALL_SCOPES;
    public long effectiveAt;
    public long version;
    public Double z;
    public Double resolveZ;
    public Integer minVolume;
    public Integer minHistory;
    public Double minChange;
    public Double alpha;
    public List<Scale> scales;
    public Map<String, Double> scaleZ = Map.of();
    public Map<String, Integer> scaleMinVolume = Map.of();
    public Long feeWindowMillis;
    public Double feeMinChangePoints;
    public Integer feeMinCharges;
    public String detectors;
    public Double debitZ;
    public Double debitFactor;
    public Integer debitMinHistory;
    public BigDecimal newPayeeFloor;
    public Double newPayeeShare;

    /** The rule a command carries; empty for other kinds; a malformed one throws, naming why. */
    public static Optional<VarianceRule> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        VarianceRule r = new VarianceRule();
        r.eventId = c.getEventId();
        r.scope = c.getScope();
        r.effectiveAt = c.getEffectiveAt().toEpochMilli();
        r.version = c.getVersion();
        Map<String, String> p = c.getParams();
        Map<String, Double> scaleZ = new HashMap<>();
        Map<String, Integer> scaleMinVolume = new HashMap<>();
        for (String k : p.keySet()) {
            if (REPLACED.containsKey(k)) {
                throw new IllegalArgumentException(
                        "param "
                                + k
                                + " was replaced by "
                                + REPLACED.get(k)
                                + ", e.g. scales=PT1H,PT4H,P1D,P7D");
            }
            if (k.startsWith("z.")) {
                scaleZ.put(Scale.parse(k.substring(2)).iso(), positive(p, k));
            } else if (k.startsWith("min_volume.")) {
                scaleMinVolume.put(Scale.parse(k.substring(11)).iso(), count(p, k));
            } else if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown param " + k);
            }
        }
        r.scaleZ = Map.copyOf(scaleZ);
        r.scaleMinVolume = Map.copyOf(scaleMinVolume);
        r.z = positive(p, "z");
        r.resolveZ = nonNegative(p, "resolve_z");
        r.minVolume = count(p, "min_volume");
        r.minHistory = count(p, "min_history");
        r.minChange = nonNegative(p, "min_change");
        r.alpha = positive(p, "alpha");
        if (r.alpha != null && r.alpha > 1)
            throw new IllegalArgumentException("alpha must be <= 1");
        if (p.containsKey("scales")) {
            List<Scale> scales = new ArrayList<>();
            for (String t : p.get("scales").split(",")) {
                if (t.isBlank()) continue;
                Scale sc = Scale.parse(t);
                if (!scales.contains(sc)) scales.add(sc);
            }
            if (scales.isEmpty()) {
                throw new IllegalArgumentException(
                        "scales is empty; to stop sales and refund detection, use detectors");
            }
            r.scales = List.copyOf(scales);
        }
        r.feeWindowMillis = window(p, "fee_window");
        r.feeMinChangePoints = nonNegative(p, "fee_min_change_points");
        r.feeMinCharges = count(p, "fee_min_charges");
        if (p.containsKey("detectors")) {
            for (String t : p.get("detectors").split(",")) {
                if (!t.isBlank()) VarianceType.valueOf(t.trim());
            }
            r.detectors = p.get("detectors");
        }
        r.debitZ = positive(p, "debit_z");
        r.debitFactor = positive(p, "debit_factor");
        r.debitMinHistory = count(p, "debit_min_history");
        Double floor = nonNegative(p, "new_payee_floor");
        r.newPayeeFloor = floor == null ? null : new BigDecimal(p.get("new_payee_floor").trim());
        r.newPayeeShare = nonNegative(p, "new_payee_share");
        return Optional.of(r);
    }

    private static Double positive(Map<String, String> p, String k) {
        Double v = decimal(p, k);
        if (v != null && !(v > 0)) throw new IllegalArgumentException(k + " must be > 0");
        return v;
    }

    private static Double nonNegative(Map<String, String> p, String k) {
        Double v = decimal(p, k);
        if (v != null && v < 0) throw new IllegalArgumentException(k + " must be >= 0");
        return v;
    }

    private static Double decimal(Map<String, String> p, String k) {
        if (!p.containsKey(k)) return null;
        try {
            double v = Double.parseDouble(p.get(k));
            if (Double.isNaN(v) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " \"" + p.get(k) + "\" is not a number");
        }
    }

    private static Integer count(Map<String, String> p, String k) {
        if (!p.containsKey(k)) return null;
        try {
            int v = Integer.parseInt(p.get(k));
            if (v < 1) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + " \"" + p.get(k) + "\" is not a count >= 1");
        }
    }

    /** A window of whole hours, at most a week: the buckets are hourly and kept a week. */
    private static Long window(Map<String, String> p, String k) {
        if (!p.containsKey(k)) return null;
        Duration d;
        try {
            d = Duration.parse(p.get(k));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(k + " \"" + p.get(k) + "\" is not an ISO duration");
        }
        if (d.isNegative() || d.isZero() || d.toMinutes() % 60 != 0 || d.toDays() > 7) {
            throw new IllegalArgumentException(k + " must be whole hours, up to P7D");
        }
        return d.toMillis();
    }
}
