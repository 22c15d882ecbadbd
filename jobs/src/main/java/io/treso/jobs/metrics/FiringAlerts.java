package io.treso.jobs.metrics;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;

/**
 * The edges an alert makes on the boards. A STATEFUL alert fires once and resolves once, however
 * often a state is re-sent; a ONE_SHOT alert (a duplicate payment, an unusual debit) is only ever
 * fired: nothing acknowledges it yet, so it would stay "firing" for ever.
 */
public final class FiringAlerts {
    /** What an alert changes: a new firing episode, its end, or nothing. */
    public enum Edge {
        FIRED,
        RESOLVED,
        NONE
    }

    private FiringAlerts() {}

    /** The edge of {@code alert}, given whether its id was firing before it. */
    public static Edge edge(boolean wasFiring, CashAlert alert) {
        if (alert.getState() == AlertState.FIRING) return wasFiring ? Edge.NONE : Edge.FIRED;
        if (alert.getState() == AlertState.RESOLVED) return wasFiring ? Edge.RESOLVED : Edge.NONE;
        return Edge.NONE;
    }

    /** Whether a FIRED edge leaves the alert firing until a RESOLVED one. */
    public static boolean staysFiring(CashAlert alert) {
        return alert.getLifecycle() != AlertLifecycle.ONE_SHOT;
    }
}
