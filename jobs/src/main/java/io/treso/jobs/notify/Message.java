package io.treso.jobs.notify;

import io.treso.event.CashAlert;
import java.util.List;
import java.util.Map;

/**
 * One message to a webhook: the alerts of one group, a digest of several groups folded because they
 * were due together, or a reminder of a group still firing.
 *
 * @param firedAt for a RESOLVED alert, when its episode fired (alert id → epoch ms), if known
 */
public record Message(Kind kind, List<CashAlert> alerts, Map<String, Long> firedAt) {
    public enum Kind {
        GROUP,
        DIGEST,
        REMINDER
    }

    public Message {
        alerts = List.copyOf(alerts);
        firedAt = Map.copyOf(firedAt);
    }

    /** The delivery keys this message carries: {@code alert_id|STATE}. Reminders carry none. */
    public List<String> keys() {
        return kind == Kind.REMINDER ? List.of() : alerts.stream().map(Outbox::key).toList();
    }
}
