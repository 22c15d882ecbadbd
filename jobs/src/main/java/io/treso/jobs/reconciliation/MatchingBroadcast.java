package io.treso.jobs.reconciliation;

import io.treso.event.ControlCommand;
import io.treso.event.FxRate;

/** What every account's matching operator sees: exchange rates and RECON_RULE commands. */
public final class MatchingBroadcast {
    public FxRate fx;
    public ControlCommand control;

    public MatchingBroadcast() {}

    public static MatchingBroadcast of(FxRate fx) {
        MatchingBroadcast b = new MatchingBroadcast();
        b.fx = fx;
        return b;
    }

    public static MatchingBroadcast of(ControlCommand control) {
        MatchingBroadcast b = new MatchingBroadcast();
        b.control = control;
        return b;
    }
}
