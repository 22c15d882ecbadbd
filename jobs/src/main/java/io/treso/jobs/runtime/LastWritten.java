package io.treso.jobs.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Preconditions;

/**
 * A keyed value state whose last written values are kept in memory, for the keys most recently
 * used, where reading state back makes a copy (RocksDB deserialises the whole value on every read):
 * a value read and rewritten on every event is then deserialised once per key, not once per event.
 * Where state hands back the stored object itself (the heap backend) nothing is kept: reading is
 * free there, and a snapshot in progress may still be writing the object. Which of the two holds is
 * found by reading the first stored value twice.
 *
 * <p>Only for state that its own function alone writes: the kept value is the truth until the
 * function is rebuilt (a restore or a failover starts empty).
 *
 * <p>{@link #ofOneKey} also defers the writes, for a function whose stream has a single key: a
 * large value rewritten on every event is then serialised once per checkpoint, by {@link #flush}
 * from the function's {@code snapshotState}, which runs before the keyed state is snapshot and
 * where the backend's current key is still that one key (the only one any event or timer ever set).
 */
public final class LastWritten<V> {
    private final ValueState<V> state;
    private final Map<Object, V> kept;

    /** Whether writes wait for {@link #flush} (one key only). */
    private final boolean deferred;

    /** Whether reading state gives a copy; null until a stored value has been read. */
    private Boolean readsCopy;

    /** Deferred: the key whose kept value state does not have yet; null when state is current. */
    private Object unwritten;

    public LastWritten(ValueState<V> state, int keys) {
        this(state, keys, false);
    }

    /** For a function whose every event and timer has one and the same key: writes wait. */
    public static <V> LastWritten<V> ofOneKey(ValueState<V> state) {
        return new LastWritten<>(state, 1, true);
    }

    private LastWritten(ValueState<V> state, int keys, boolean deferred) {
        Preconditions.checkArgument(keys > 0, "keep at least one key");
        this.state = state;
        this.deferred = deferred;
        this.kept =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                        return size() > keys;
                    }
                };
    }

    /** The current key's value ({@code key} is the function's current key); null if none. */
    public V read(Object key) throws Exception {
        V v = kept.get(key);
        if (v != null) return v;
        v = state.value();
        if (v != null && readsCopy == null) readsCopy = state.value() != v;
        return v;
    }

    /** Writes the current key's value, and keeps it where reading would copy it. */
    public void write(Object key, V value) throws Exception {
        if (deferred && Boolean.TRUE.equals(readsCopy)) {
            // flush() writes under the backend's current key: right only if there is one key.
            Preconditions.checkState(
                    kept.isEmpty() || kept.containsKey(key),
                    "a deferred value has one key, not %s and %s",
                    kept.keySet(),
                    key);
            kept.put(key, value);
            unwritten = key;
            return;
        }
        state.update(value);
        if (Boolean.TRUE.equals(readsCopy)) kept.put(key, value);
    }

    /**
     * Writes a deferred value to state. Call it from {@code snapshotState}: a checkpoint must find
     * state current. Nothing to do when no write waits (heap, or nothing new since the last).
     */
    public void flush() throws Exception {
        if (unwritten == null) return;
        state.update(kept.get(unwritten));
        unwritten = null;
    }
}
