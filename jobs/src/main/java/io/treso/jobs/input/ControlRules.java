package io.treso.jobs.input;

import io.treso.event.ControlCommand;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.position.ThresholdRule;
import io.treso.jobs.reconciliation.BankCategories;
import io.treso.jobs.reconciliation.MatchAction;
import io.treso.jobs.reconciliation.MatchingRules;
import io.treso.jobs.variance.VarianceControl;

/**
 * The control kinds the pipelines read, parsed once at the door: a malformed command is
 * dead-lettered with what is wrong, so no operator ever fails on one.
 */
final class ControlRules {
    private ControlRules() {}

    /** What is wrong with the command, or null. Unknown kinds pass: another job may read them. */
    static String problem(ControlCommand c) {
        try {
            ThresholdRule.of(c);
            MatchingRules.of(c);
            MatchAction.of(c);
            VarianceControl.of(c);
            AccountConfig.of(c);
            BankCategories.of(c);
            return null;
        } catch (RuntimeException e) {
            return c.getKind() + " " + c.getScope() + ": " + e.getMessage();
        }
    }
}
