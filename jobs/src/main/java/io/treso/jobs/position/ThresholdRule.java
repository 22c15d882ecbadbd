package io.treso.jobs.position;

import io.treso.event.ControlCommand;
import java.util.Collection;
import java.util.Optional;

/** A LOW_BALANCE threshold with hysteresis, in force from {@link #effectiveAt}. */
public final class ThresholdRule implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "LOW_BALANCE_THRESHOLD";
    public static final String MARGIN_PARAM = "margin_minor";

    public String eventId;
    public String scope;
    public long version;
    public long effectiveAt;
    public long thresholdMinor;
    public long marginMinor;
    public String currency;

    public ThresholdRule() {}

    /**
     * Refuses a LOW_BALANCE_THRESHOLD that would be accepted and ignored: no threshold, or a
     * negative threshold or margin. For the gate; {@link #of} stays lenient for seeds read before
     * the gate existed.
     */
    public static void check(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return;
        if (c.getThresholdMinor() == null) {
            throw new IllegalArgumentException("threshold_minor is required");
        }
        if (c.getThresholdMinor() < 0) {
            throw new IllegalArgumentException("threshold_minor must not be negative");
        }
        String margin = c.getParams().get(MARGIN_PARAM);
        if (margin != null && Long.parseLong(margin.trim()) < 0) {
            throw new IllegalArgumentException(MARGIN_PARAM + " must not be negative");
        }
    }

    /** The rule a LOW_BALANCE_THRESHOLD command carries, or empty for other kinds. */
    public static Optional<ThresholdRule> of(ControlCommand c) {
        if (!KIND.equals(c.getKind()) || c.getThresholdMinor() == null) {
            return Optional.empty();
        }
        ThresholdRule r = new ThresholdRule();
        r.eventId = c.getEventId();
        r.scope = c.getScope();
        r.version = c.getVersion();
        r.effectiveAt = c.getEffectiveAt().toEpochMilli();
        r.thresholdMinor = c.getThresholdMinor();
        String margin = c.getParams().get(MARGIN_PARAM);
        r.marginMinor = margin == null ? 0 : Long.parseLong(margin);
        r.currency = c.getCurrency();
        return Optional.of(r);
    }

    /** The rule in force at {@code time}: the latest effective one, then the highest version. */
    public static Optional<ThresholdRule> inForce(Collection<ThresholdRule> rules, long time) {
        ThresholdRule best = null;
        for (ThresholdRule r : rules) {
            if (r.effectiveAt > time) continue;
            if (best == null
                    || r.effectiveAt > best.effectiveAt
                    || (r.effectiveAt == best.effectiveAt && r.version > best.version)) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }
}
