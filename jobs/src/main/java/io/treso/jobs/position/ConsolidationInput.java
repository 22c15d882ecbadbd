package io.treso.jobs.position;

import io.treso.event.CashPosition;
import io.treso.event.FxRate;

/** An account position or an FX rate, on the one stream consolidation reads. */
public final class ConsolidationInput {
    public CashPosition position;
    public FxRate rate;

    public ConsolidationInput() {}

    public static ConsolidationInput of(CashPosition position) {
        ConsolidationInput in = new ConsolidationInput();
        in.position = position;
        return in;
    }

    public static ConsolidationInput of(FxRate rate) {
        ConsolidationInput in = new ConsolidationInput();
        in.rate = rate;
        return in;
    }
}
