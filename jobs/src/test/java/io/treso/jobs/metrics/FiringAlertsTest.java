package io.treso.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import io.treso.jobs.metrics.FiringAlerts.Edge;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FiringAlertsTest {
    private static CashAlert alert(AlertState state, AlertLifecycle lifecycle) {
        return CashAlert.newBuilder()
                .setAlertId("a1")
                .setType("LOW_BALANCE")
                .setLifecycle(lifecycle)
                .setSeverity(Severity.CRITICAL)
                .setState(state)
                .setScope("FR76")
                .setDetectedAt(Instant.EPOCH)
                .setMessage("m")
                .build();
    }

    @Test
    void anEpisodeFiresOnceAndResolvesOnceHoweverOftenItsStatesAreSent() {
        CashAlert firing = alert(AlertState.FIRING, AlertLifecycle.STATEFUL);
        CashAlert resolved = alert(AlertState.RESOLVED, AlertLifecycle.STATEFUL);
        assertEquals(Edge.FIRED, FiringAlerts.edge(false, firing));
        assertEquals(Edge.NONE, FiringAlerts.edge(true, firing));
        assertEquals(Edge.RESOLVED, FiringAlerts.edge(true, resolved));
        assertEquals(Edge.NONE, FiringAlerts.edge(false, resolved));
        assertEquals(
                Edge.NONE,
                FiringAlerts.edge(false, alert(AlertState.UNKNOWN, AlertLifecycle.STATEFUL)));
    }

    @Test
    void aOneShotAlertIsFiredButNeverLeftFiring() {
        assertFalse(FiringAlerts.staysFiring(alert(AlertState.FIRING, AlertLifecycle.ONE_SHOT)));
        assertTrue(FiringAlerts.staysFiring(alert(AlertState.FIRING, AlertLifecycle.STATEFUL)));
    }
}
