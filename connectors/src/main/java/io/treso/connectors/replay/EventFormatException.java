package io.treso.connectors.replay;

/** A replay line that cannot become a canonical event; the message says why, for a person. */
public final class EventFormatException extends RuntimeException {
    public EventFormatException(String message) {
        super(message, null, false, false);
    }
}
