package io.treso.connectors.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.util.Preconditions;

/**
 * The deliveries already published, so a redelivered webhook is answered without publishing again.
 * Bounded (least recently seen go first) and in memory: past it, or after a restart, the events'
 * own ids still make the job count a redelivery once.
 */
final class DeliveryLog {
    private final Map<String, Boolean> seen;

    DeliveryLog(int capacity) {
        Preconditions.checkArgument(capacity > 0, "the delivery log needs room");
        this.seen =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > capacity;
                    }
                };
    }

    synchronized boolean contains(String delivery) {
        return seen.get(delivery) != null;
    }

    /** Recorded only once Kafka has the delivery's events: a 503'd one is not "seen". */
    synchronized void published(String delivery) {
        seen.put(delivery, Boolean.TRUE);
    }
}
