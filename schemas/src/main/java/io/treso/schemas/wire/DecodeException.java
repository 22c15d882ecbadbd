package io.treso.schemas.wire;

/**
 * A record could not be decoded. PERMANENT failures (bad bytes, unknown schema id, contract
 * violations) go to the dead-letter topic with their reason; TRANSIENT ones (registry unreachable)
 * must fail the task so it restarts from the last checkpoint, and are never dead-lettered: a good
 * bank line in the dead-letter topic is money gone missing.
 */
public final class DecodeException extends RuntimeException {
    /** Whether retrying can help. */
    public enum Failure {
        PERMANENT,
        TRANSIENT
    }

    private final Failure failure;
    private final String reason;

    private DecodeException(Failure failure, String reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.failure = failure;
        this.reason = reason;
    }

    public static DecodeException permanent(String reason, String detail) {
        return new DecodeException(Failure.PERMANENT, reason, detail, null);
    }

    public static DecodeException permanent(String reason, String detail, Throwable cause) {
        return new DecodeException(Failure.PERMANENT, reason, detail, cause);
    }

    public static DecodeException transientFailure(String detail, Throwable cause) {
        return new DecodeException(Failure.TRANSIENT, "REGISTRY_UNAVAILABLE", detail, cause);
    }

    public Failure failure() {
        return failure;
    }

    public boolean isPermanent() {
        return failure == Failure.PERMANENT;
    }

    /** A stable code for the dead-letter record: BAD_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, ... */
    public String reason() {
        return reason;
    }

    /** The message without the reason prefix. */
    public String detail() {
        String m = getMessage();
        return m.substring(reason.length() + 2);
    }
}
