package io.treso.jobs.forecast;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules of one scenario in force when a forecast is made: for each type and scope the latest
 * effective (then the highest version), and nothing from before the scenario's last OFF. The base
 * forecast uses {@link #NONE}.
 */
public final class ScenarioRules {
    public static final ScenarioRules NONE = new ScenarioRules(List.of());

    private final List<Scenario> rules;

    private ScenarioRules(List<Scenario> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of {@code all} (one scenario's) in force at {@code time}; empty when it is off. */
    static ScenarioRules inForce(Collection<Scenario> all, long time) {
        long off = Long.MIN_VALUE;
        for (Scenario s : all) {
            if (s.type == Scenario.Type.OFF && s.effectiveAt <= time)
                off = Math.max(off, s.effectiveAt);
        }
        Map<String, Scenario> latest = new TreeMap<>();
        for (Scenario s : all) {
            if (s.type == Scenario.Type.OFF || s.effectiveAt > time || s.effectiveAt < off)
                continue;
            String key = s.type + "|" + s.scope + "|" + s.day;
            Scenario best = latest.get(key);
            if (best == null
                    || s.effectiveAt > best.effectiveAt
                    || (s.effectiveAt == best.effectiveAt && s.version > best.version)) {
                latest.put(key, s);
            }
        }
        return new ScenarioRules(new ArrayList<>(latest.values()));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** What {@code store}'s sales captured on {@code day} are multiplied by, basis points. */
    long salesFactorBps(String store, int day) {
        long bps = SeasonalSmoothing.ONE;
        for (Scenario s : rules) {
            if (s.type == Scenario.Type.SALES
                    && s.covers(store)
                    && day >= s.fromDay
                    && day <= s.toDay) {
                bps =
                        SeasonalSmoothing.divide(
                                Math.multiplyExact(bps, s.factorBps), SeasonalSmoothing.ONE);
            }
        }
        return bps;
    }

    /** Days added to {@code psp}'s payouts. */
    int pspLagDays(String psp) {
        return sum(Scenario.Type.PSP_LAG, psp);
    }

    /** Days added to the payment of {@code supplier}'s bills. */
    int payablesDelayDays(String supplier) {
        return sum(Scenario.Type.PAYABLES_DELAY, supplier);
    }

    private int sum(Scenario.Type type, String who) {
        int days = 0;
        for (Scenario s : rules) if (s.type == type && s.covers(who)) days += s.days;
        return days;
    }

    /** The extra dated flows. */
    List<Scenario> extras() {
        return rules.stream().filter(s -> s.type == Scenario.Type.EXTRA).toList();
    }
}
