package io.treso.jobs.reconciliation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * The RECON_RULEs an operator applies: the seeds read before data flowed, plus the commands that
 * arrived on the broadcast since. The list is rebuilt only when a command arrives (or after a
 * restore), because the operators ask for it on every record.
 */
final class LiveRules implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<MatchingRules> seeds;
    private transient List<MatchingRules> all;

    LiveRules(List<MatchingRules> seeds) {
        this.seeds = new ArrayList<>(seeds);
    }

    /** Keeps a RECON_RULE from the broadcast; other broadcasts are not this class's business. */
    void onBroadcast(MatchingBroadcast in, BroadcastState<String, MatchingRules> state)
            throws Exception {
        if (in.control == null) return;
        var rule = MatchingRules.of(in.control);
        if (rule.isPresent()) {
            state.put(in.control.getEventId(), rule.get());
            all = null;
        }
    }

    /** The rules in force for {@code account} at {@code time}. */
    MatchingRules inForce(
            ReadOnlyBroadcastState<String, MatchingRules> state, String account, long time)
            throws Exception {
        if (all == null) {
            all = new ArrayList<>(seeds);
            for (var e : state.immutableEntries()) all.add(e.getValue());
        }
        return MatchingRules.inForce(all, account, time);
    }
}
