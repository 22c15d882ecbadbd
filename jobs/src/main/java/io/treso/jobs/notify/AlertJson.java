package io.treso.jobs.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.treso.connectors.replay.EventJson;
import io.treso.event.CashAlert;

/**
 * A message for a generic webhook: the route, the kind, and the alerts as the contract's JSON (the
 * same fields as the replay outputs), with the same grouping and pacing as Slack's.
 */
final class AlertJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {}

    static String render(String route, Message m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("route", route);
        root.put("kind", m.kind().name());
        var alerts = root.putArray("alerts");
        for (CashAlert a : m.alerts()) alerts.add(EventJson.toJson(a));
        if (!m.firedAt().isEmpty()) {
            ObjectNode fired = root.putObject("fired_at");
            m.firedAt()
                    .forEach(
                            (id, t) -> fired.put(id, java.time.Instant.ofEpochMilli(t).toString()));
        }
        return root.toString();
    }
}
