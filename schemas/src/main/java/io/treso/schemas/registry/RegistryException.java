package io.treso.schemas.registry;

/** A registry call failed. {@link #isTransient()} tells whether a retry may succeed. */
public class RegistryException extends RuntimeException {
    private final boolean transientFailure;
    private final int errorCode;

    public RegistryException(
            String message, int errorCode, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.transientFailure = transientFailure;
    }

    /** True when the registry could not be reached or answered 5xx: retry, never dead-letter. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** The Confluent error code (40403 schema not found, 409 incompatible, ...), or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the registry says the schema or subject does not exist. */
    public boolean isNotFound() {
        return errorCode == 40401 || errorCode == 40402 || errorCode == 40403;
    }
}
