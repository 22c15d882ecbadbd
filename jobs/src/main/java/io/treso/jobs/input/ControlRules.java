package io.treso.jobs.input;

import io.treso.event.ControlCommand;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.position.ThresholdRule;
import io.treso.jobs.reconciliation.BankCategories;
import io.treso.jobs.reconciliation.MatchAction;
import io.treso.jobs.reconciliation.MatchingRules;
import io.treso.jobs.variance.VarianceControl;
import io.treso.jobs.variance.VarianceRule;
import java.util.Set;
import java.util.TreeSet;

/**
 * The control kinds the pipelines read, parsed once at the door: a malformed command is
 * dead-lettered with what is wrong, so no operator ever fails on one.
 */
public final class ControlRules {
    private ControlRules() {}

    /**
     * Every kind a Treso job reads, and those reserved for the forecast. A kind outside it is
     * refused: a typo (LOW_BALANCE_TRESHOLD) would otherwise be accepted and silently ignored. A
     * newer producer's new kind waits in the dead-letter topic for {@code dlq replay}.
     */
    static final Set<String> KINDS =
            Set.of(
                    ThresholdRule.KIND,
                    AccountConfig.KIND,
                    VarianceControl.STORE_CONFIG,
                    VarianceControl.PROMOTION,
                    VarianceRule.KIND,
                    MatchingRules.KIND,
                    MatchAction.KIND,
                    BankCategories.KIND,
                    "ALERT_ACK",
                    io.treso.jobs.forecast.VatRule.KIND,
                    io.treso.jobs.forecast.Scenario.KIND);

    /** What is wrong with the command, or null. */
    public static String problem(ControlCommand c) {
        if (!KINDS.contains(c.getKind())) {
            return "unknown control kind '"
                    + c.getKind()
                    + "'; known kinds: "
                    + String.join(", ", new TreeSet<>(KINDS));
        }
        if (c.getTimeZone() != null && !isZone(c.getTimeZone())) {
            // Whatever the kind: a zone that is no zone is a typo, never something to ignore.
            return c.getKind()
                    + " "
                    + c.getScope()
                    + ": time_zone \""
                    + c.getTimeZone()
                    + "\" is not a zone id (e.g. Europe/Paris)";
        }
        try {
            ThresholdRule.check(c);
            ThresholdRule.of(c);
            MatchingRules.of(c);
            MatchAction.of(c);
            VarianceControl.of(c);
            AccountConfig.of(c);
            BankCategories.of(c);
            io.treso.jobs.forecast.Scenario.of(c);
            io.treso.jobs.forecast.VatRule.of(c);
            return null;
        } catch (RuntimeException e) {
            return c.getKind() + " " + c.getScope() + ": " + e.getMessage();
        }
    }

    private static boolean isZone(String id) {
        try {
            java.time.ZoneId.of(id);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }
}
