package io.treso.connectors.kafka;

import io.treso.schemas.EventType;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Topic names, one per record type. The defaults ({@code treso.orders}, ...) are the same in code,
 * compose, Helm and docs; a prefix-free override per type is possible.
 */
public final class TresoTopics implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The input types that have a topic of their own. */
    public static final List<EventType> INPUTS =
            List.of(
                    EventType.ORDER,
                    EventType.PAYOUT,
                    EventType.BANK,
                    EventType.STATEMENT,
                    EventType.OBLIGATION,
                    EventType.FX,
                    EventType.CONTROL);

    private final EnumMap<EventType, String> names = new EnumMap<>(EventType.class);

    private TresoTopics(Map<EventType, String> overrides) {
        for (EventType t : EventType.values()) {
            if (t.defaultTopic() != null) {
                names.put(t, overrides.getOrDefault(t, t.defaultTopic()));
            }
        }
    }

    public static TresoTopics defaults() {
        return new TresoTopics(Map.of());
    }

    /** Every topic name with {@code suffix} appended: tests give each run its own topics. */
    public static TresoTopics withSuffix(String suffix) {
        Map<EventType, String> m = new EnumMap<>(EventType.class);
        for (EventType t : EventType.values()) {
            if (t.defaultTopic() != null) m.put(t, t.defaultTopic() + suffix);
        }
        return new TresoTopics(m);
    }

    /** The same inputs, with {@code suffix} added to every output topic: a fresh run's outputs. */
    public TresoTopics withOutputSuffix(String suffix) {
        Map<EventType, String> m = new EnumMap<>(EventType.class);
        names.forEach((t, name) -> m.put(t, t.isInput() ? name : name + suffix));
        return new TresoTopics(m);
    }

    public String of(EventType type) {
        String name = names.get(type);
        if (name == null) {
            throw new IllegalArgumentException(type + " has no topic of its own");
        }
        return name;
    }

    public EventType typeOf(String topic) {
        for (var e : names.entrySet()) {
            if (e.getValue().equals(topic)) return e.getKey();
        }
        throw new IllegalArgumentException("not a Treso topic: " + topic);
    }

    public List<String> inputTopics() {
        return INPUTS.stream().map(this::of).toList();
    }
}
