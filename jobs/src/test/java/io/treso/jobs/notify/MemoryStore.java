package io.treso.jobs.notify;

import io.treso.event.CashAlert;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** The outbox's state in memory, for tests. */
final class MemoryStore implements Outbox.Store {
    final Map<String, Long> delivered = new HashMap<>();
    final Map<String, CashAlert> waiting = new LinkedHashMap<>();
    final Map<String, Long> arrived = new HashMap<>();
    final Map<String, Long> readyAt = new HashMap<>();
    final Map<String, CashAlert> firing = new HashMap<>();
    final Map<String, Long> lastSent = new HashMap<>();

    public boolean delivered(String key) {
        return delivered.containsKey(key);
    }

    public void markDelivered(String key, long at) {
        delivered.put(key, at);
    }

    public Map<String, CashAlert> waiting() {
        return new LinkedHashMap<>(waiting);
    }

    public void addWaiting(String key, CashAlert alert, long arrivedAt) {
        waiting.put(key, alert);
        arrived.put(key, arrivedAt);
    }

    public Long oldestArrival() {
        return waiting.keySet().stream().map(arrived::get).min(Long::compare).orElse(null);
    }

    public void removeWaiting(String key) {
        waiting.remove(key);
        arrived.remove(key);
    }

    public Map<String, Long> readyAt() {
        return new HashMap<>(readyAt);
    }

    public void setReadyAt(String group, Long at) {
        if (at == null) readyAt.remove(group);
        else readyAt.put(group, at);
    }

    public Map<String, CashAlert> firing() {
        return new HashMap<>(firing);
    }

    public void setFiring(String id, CashAlert a) {
        if (a == null) firing.remove(id);
        else firing.put(id, a);
    }

    public Long lastSent(String group) {
        return lastSent.get(group);
    }

    public void setLastSent(String group, long at) {
        lastSent.put(group, at);
    }
}
