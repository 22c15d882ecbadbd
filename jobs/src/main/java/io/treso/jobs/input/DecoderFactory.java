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
        return () ->
                raw -> {
                    String line = new String(raw.payload, StandardCharsets.UTF_8);
                    if (line.indexOf(NOT_UTF8) >= 0) {
                        // The file reader turned bytes that are not UTF-8 into U+FFFD: booking the
                        // record would keep a reference or a name the bank never sent.
                        throw new io.treso.connectors.replay.EventFormatException(
                                "the line is not valid UTF-8 (a byte sequence at character "
                                        + line.indexOf(NOT_UTF8)
                                        + " could not be decoded)");
                    }
                    // Parsed already in this chain (replay's line numbering): the same line, so the
                    // same record; a line that failed there is parsed again for its reason.
                    if (raw.parsed instanceof org.apache.avro.specific.SpecificRecord r) return r;
                    return EventJson.parseLine(line);
                };
    }

    /** What the UTF-8 readers put in place of bytes that are not UTF-8. */
    char NOT_UTF8 = '\uFFFD';
}
