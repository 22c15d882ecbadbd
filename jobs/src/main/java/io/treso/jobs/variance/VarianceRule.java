package io.treso.jobs.variance;

import io.treso.event.ControlCommand;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A VARIANCE_RULE control command: the thresholds as data, effective-dated, for one scope (a store
 * as {@code store-1/SHOPIFY}, a PSP as {@code STRIPE/EUR}, an account) or {@code *}. Only the
 * params it names override: defaults, then the latest {@code *} rule, then the latest rule of the
 * scope. Params: {@code z}, {@code resolve_z}, {@code min_volume}, {@code min_history}, {@code
 * min_change}, {@code alpha}, {@code window} (sales and refunds), {@code sales_window}, {@code
 * refund_window}, {@code fee_window}, {@code fee_min_change_points}, {@code detectors} (comma
 * list), {@code debit_z}, {@code debit_factor}, {@code debit_min_history}.
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
                    "window",
                    "sales_window",
                    "refund_window",
                    "fee_window",
                    "fee_min_change_points",
                    "detectors",
                    "debit_z",
                    "debit_factor",
                    "debit_min_history");

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
    public Long salesWindowMillis;
    public Long refundWindowMillis;
    public Long feeWindowMillis;
    public Double feeMinChangePoints;
    public String detectors;
    public Double debitZ;
    public Double debitFactor;
    public Integer debitMinHistory;

    /** The rule a command carries; empty for other kinds; a malformed one throws, naming why. */
    public static Optional<VarianceRule> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        VarianceRule r = new VarianceRule();
        r.eventId = c.getEventId();
        r.scope = c.getScope();
        r.effectiveAt = c.getEffectiveAt().toEpochMilli();
        r.version = c.getVersion();
        Map<String, String> p = c.getParams();
        for (String k : p.keySet()) {
            if (!KEYS.contains(k)) throw new IllegalArgumentException("unknown param " + k);
        }
        r.z = positive(p, "z");
        r.resolveZ = nonNegative(p, "resolve_z");
        r.minVolume = count(p, "min_volume");
        r.minHistory = count(p, "min_history");
        r.minChange = nonNegative(p, "min_change");
        r.alpha = positive(p, "alpha");
        if (r.alpha != null && r.alpha > 1)
            throw new IllegalArgumentException("alpha must be <= 1");
        Long window = window(p, "window");
        r.salesWindowMillis = p.containsKey("sales_window") ? window(p, "sales_window") : window;
        r.refundWindowMillis = p.containsKey("refund_window") ? window(p, "refund_window") : window;
        r.feeWindowMillis = window(p, "fee_window");
        r.feeMinChangePoints = nonNegative(p, "fee_min_change_points");
        if (p.containsKey("detectors")) {
            for (String t : p.get("detectors").split(",")) {
                if (!t.isBlank()) VarianceType.valueOf(t.trim());
            }
            r.detectors = p.get("detectors");
        }
        r.debitZ = positive(p, "debit_z");
        r.debitFactor = positive(p, "debit_factor");
        r.debitMinHistory = count(p, "debit_min_history");
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
