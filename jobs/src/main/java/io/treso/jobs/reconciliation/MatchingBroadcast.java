package io.treso.jobs.reconciliation;

import io.treso.event.ControlCommand;
import io.treso.event.FxRate;

/**
 * What every account's matching operator sees: exchange rates, obligations and RECON_RULE commands.
 */
public final class MatchingBroadcast {
    public FxRate fx;
    public ControlCommand control;
    public ObligationFacts obligation;

    public MatchingBroadcast() {}

    public static MatchingBroadcast of(FxRate fx) {
        MatchingBroadcast b = new MatchingBroadcast();
        b.fx = fx;
        return b;
    }

    public static MatchingBroadcast of(ObligationFacts obligation) {
        MatchingBroadcast b = new MatchingBroadcast();
        b.obligation = obligation;
        return b;
    }

    public static MatchingBroadcast of(ControlCommand control) {
        MatchingBroadcast b = new MatchingBroadcast();
        b.control = control;
        return b;
    }
}
