package io.treso.jobs.notify;

import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one route has to send, and when, in Alertmanager's model: alerts of one group (type and
 * scope) that arrive within the group wait go out as one message; at most one message per minimum
 * interval; groups due together beyond that are folded into digests; a group still firing is
 * reminded after the repeat interval. Each (alert id, state) is sent once: delivered keys are
 * remembered, and a repeat from the topic (a restart re-reads from its checkpoint) is dropped.
 * Plain Java: the Flink function keeps the {@link Store} in keyed state.
 */
public final class Outbox {
    /** The most alerts in one group message: each takes three Slack blocks, of 50. */
    public static final int MAX_GROUP = 12;

    /** The most alerts a digest lists. */
    public static final int MAX_DIGEST = 60;

    /** The route's state. */
    public interface Store {
        boolean delivered(String key);

        void markDelivered(String key, long at);

        Map<String, CashAlert> waiting();

        void addWaiting(String key, CashAlert alert, long arrivedAt);

        /** When the longest-waiting alert arrived, or null when none waits. */
        Long oldestArrival();

        void removeWaiting(String key);

        Map<String, Long> readyAt();

        void setReadyAt(String group, Long at);

        /** FIRING alerts not yet resolved, by alert id. */
        Map<String, CashAlert> firing();

        void setFiring(String alertId, CashAlert alert);

        Long lastSent(String group);

        void setLastSent(String group, long at);
    }

    private final Store store;
    private final NotifySettings settings;

    public Outbox(Store store, NotifySettings settings) {
        this.store = store;
        this.settings = settings;
    }

    public static String key(CashAlert a) {
        return a.getAlertId() + "|" + a.getState();
    }

    public static String group(CashAlert a) {
        return a.getType() + "|" + a.getScope();
    }

    /** Takes an alert; false when it was sent already (or is waiting). */
    public boolean offer(CashAlert a, long now) {
        String key = key(a);
        if (a.getState() == AlertState.UNKNOWN
                || store.delivered(key)
                || store.waiting().containsKey(key)) {
            return false;
        }
        store.addWaiting(key, a, now);
        String group = group(a);
        if (store.readyAt().get(group) == null) {
            store.setReadyAt(group, now + settings.groupWaitMillis);
        }
        return true;
    }

    /** The message to send at {@code now}, or null when nothing is due. */
    public Message next(long now) {
        Map<String, List<CashAlert>> due = new HashMap<>();
        Map<String, Long> readyAt = store.readyAt();
        for (CashAlert a : store.waiting().values()) {
            Long ready = readyAt.get(group(a));
            if (ready != null && ready <= now) {
                due.computeIfAbsent(group(a), g -> new ArrayList<>()).add(a);
            }
        }
        if (due.isEmpty()) return reminder(now);
        List<CashAlert> alerts = new ArrayList<>();
        if (due.size() == 1) {
            alerts.addAll(due.values().iterator().next());
            alerts.sort(ORDER);
            if (alerts.size() > MAX_GROUP) alerts = alerts.subList(0, MAX_GROUP);
            return new Message(Message.Kind.GROUP, alerts, firedAt(alerts));
        }
        // Several groups due at once: one digest, the most severe and oldest first.
        due.values().forEach(alerts::addAll);
        alerts.sort(BY_URGENCY);
        if (alerts.size() > MAX_DIGEST) alerts = alerts.subList(0, MAX_DIGEST);
        alerts = new ArrayList<>(alerts);
        alerts.sort(ORDER);
        return new Message(Message.Kind.DIGEST, alerts, firedAt(alerts));
    }

    /** The message reached the webhook: its states are delivered, its groups sent. */
    public void sent(Message m, long now) {
        Set<String> groups = new LinkedHashSet<>();
        for (CashAlert a : m.alerts()) {
            groups.add(group(a));
            if (m.kind() == Message.Kind.REMINDER) continue;
            store.markDelivered(key(a), now);
            store.removeWaiting(key(a));
            if (a.getState() == AlertState.FIRING
                    && a.getLifecycle() != io.treso.event.AlertLifecycle.ONE_SHOT) {
                store.setFiring(a.getAlertId(), a);
            } else if (a.getState() == AlertState.RESOLVED) {
                store.setFiring(a.getAlertId(), null);
            }
        }
        settle(groups, now);
    }

    /**
     * The webhook refused the message for good (a revoked URL): its states are given up, marked so
     * a repeat from the topic does not retry them, and the caller dead-letters them.
     */
    public void refused(Message m, long now) {
        Set<String> groups = new LinkedHashSet<>();
        for (CashAlert a : m.alerts()) {
            groups.add(group(a));
            if (m.kind() == Message.Kind.REMINDER) continue;
            store.markDelivered(key(a), -now);
            store.removeWaiting(key(a));
        }
        settle(groups, now);
    }

    private void settle(Set<String> groups, long now) {
        Set<String> waiting = new java.util.HashSet<>();
        store.waiting().values().forEach(a -> waiting.add(group(a)));
        for (String g : groups) {
            store.setLastSent(g, now);
            boolean more = waiting.contains(g);
            // What is left of a group (beyond a message's cap) stays due.
            if (!more) store.setReadyAt(g, null);
        }
    }

    /** When {@link #next} may have something: the earliest ready group or reminder, or null. */
    public Long wakeAt() {
        Long at = null;
        for (Long t : store.readyAt().values()) {
            if (t != null && (at == null || t < at)) at = t;
        }
        for (CashAlert a : store.firing().values()) {
            Long last = store.lastSent(group(a));
            if (last != null) {
                long t = last + settings.repeatMillis;
                if (at == null || t < at) at = t;
            }
        }
        return at;
    }

    private Message reminder(long now) {
        Map<String, List<CashAlert>> stale = new HashMap<>();
        for (CashAlert a : store.firing().values()) {
            Long last = store.lastSent(group(a));
            if (last != null && last + settings.repeatMillis <= now) {
                stale.computeIfAbsent(group(a), g -> new ArrayList<>()).add(a);
            }
        }
        if (stale.isEmpty()) return null;
        List<CashAlert> alerts = new ArrayList<>();
        stale.values().forEach(alerts::addAll);
        alerts.sort(ORDER);
        if (alerts.size() > MAX_DIGEST) alerts = alerts.subList(0, MAX_DIGEST);
        return new Message(Message.Kind.REMINDER, alerts, Map.of());
    }

    private Map<String, Long> firedAt(List<CashAlert> alerts) {
        Map<String, Long> out = new HashMap<>();
        for (CashAlert a : alerts) {
            if (a.getState() != AlertState.RESOLVED) continue;
            CashAlert fired = store.firing().get(a.getAlertId());
            if (fired != null) out.put(a.getAlertId(), fired.getDetectedAt().toEpochMilli());
        }
        return out;
    }

    /** In a message: by group, then as they happened, a FIRING before its RESOLVED. */
    static final Comparator<CashAlert> ORDER =
            Comparator.comparing(Outbox::group)
                    .thenComparing(CashAlert::getDetectedAt)
                    .thenComparing(a -> a.getState().ordinal())
                    .thenComparing(CashAlert::getAlertId);

    private static final Comparator<CashAlert> BY_URGENCY =
            Comparator.comparing((CashAlert a) -> -severityRank(a.getSeverity()))
                    .thenComparing(CashAlert::getDetectedAt)
                    .thenComparing(a -> a.getState().ordinal());

    private static int severityRank(Severity s) {
        return switch (s) {
            case CRITICAL -> 3;
            case WARNING -> 2;
            case INFO -> 1;
            default -> 0;
        };
    }
}
