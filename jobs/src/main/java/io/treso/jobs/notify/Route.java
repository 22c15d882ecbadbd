package io.treso.jobs.notify;

import io.treso.event.CashAlert;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.apache.flink.util.Preconditions;

/**
 * A destination for some alerts: CRITICAL liquidity to one channel, reconciliation chores to
 * another. Empty type or severity sets match every alert; routes are tried in their configured
 * order and the first that matches takes the alert.
 */
public final class Route implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the webhook expects: Slack Block Kit, or the alerts as JSON. */
    public enum Format {
        SLACK,
        JSON
    }

    public final String name;
    public final Format format;
    public final Set<String> types;
    public final Set<String> severities;
    public final Webhook webhook;

    public Route(
            String name,
            Format format,
            Set<String> types,
            Set<String> severities,
            Webhook webhook) {
        Preconditions.checkArgument(name.matches("[a-z0-9][a-z0-9_-]*"), "route name %s", name);
        this.name = name;
        this.format = Preconditions.checkNotNull(format);
        this.types = Set.copyOf(types);
        this.severities = Set.copyOf(severities);
        this.webhook = Preconditions.checkNotNull(webhook);
    }

    public boolean matches(CashAlert a) {
        return (types.isEmpty() || types.contains(a.getType()))
                && (severities.isEmpty() || severities.contains(a.getSeverity().name()));
    }

    /** The first route of {@code routes} that takes {@code a}, or null when none does. */
    public static Route of(List<Route> routes, CashAlert a) {
        for (Route r : routes) {
            if (r.matches(a)) return r;
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " (" + format + " to " + webhook + ")";
    }
}
