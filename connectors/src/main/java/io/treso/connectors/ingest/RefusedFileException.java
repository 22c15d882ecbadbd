package io.treso.connectors.ingest;

/**
 * A source file that cannot be trusted as it is: a balance that does not add up, an amount finer
 * than its currency, a field missing. The whole file is refused; nothing of it is published.
 */
public final class RefusedFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedFileException(String reason) {
        super(reason);
    }
}
