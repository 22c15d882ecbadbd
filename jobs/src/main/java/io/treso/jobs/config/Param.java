package io.treso.jobs.config;

import java.io.Serializable;
import java.util.Map;
import java.util.function.Function;

/**
 * One typed configuration key with its default and a sentence for the config reference. Keys are
 * declared once, in {@link TresoOptions}; nothing else in the code spells a key.
 */
public final class Param<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final T defaultValue;
    private final String description;
    private final SerializableParser<T> parser;

    /** A parser that survives job-graph serialisation. */
    public interface SerializableParser<T> extends Function<String, T>, Serializable {}

    Param(String key, T defaultValue, String description, SerializableParser<T> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The value in {@code values}, else the default; a malformed value names its key. */
    public T from(Map<String, String> values) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "config " + key + " has a malformed value '" + raw + "': " + e.getMessage(), e);
        }
    }
}
