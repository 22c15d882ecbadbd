package io.treso.jobs.input;

import io.treso.connectors.replay.EventJson;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/** Builds the decoder on the task, since registry clients and Avro readers do not serialise. */
@FunctionalInterface
public interface DecoderFactory extends Serializable {
    InputGate.Decoder create();

    /** Replay files: one JSON object per line. */
    static DecoderFactory jsonLines() {
        return () -> raw -> EventJson.parseLine(new String(raw.payload, StandardCharsets.UTF_8));
    }
}
