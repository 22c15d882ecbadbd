package io.treso.connectors.ingest;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * Decimal amounts from files to {@code long} minor units of their currency. Trailing zeros are
 * fine; a real digit beyond the currency's minor unit is refused, never rounded away.
 */
public final class MinorUnits {
    private MinorUnits() {}

    public static long of(BigDecimal amount, String currency) throws RefusedFileException {
        int digits = digits(currency);
        // Bounded before any plain rendering: 1E+999999999 written out is a gigabyte.
        if (amount.signum() != 0 && amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
            throw new RefusedFileException("amount " + shown(amount) + " is too large");
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > digits) {
            throw new RefusedFileException(
                    "amount "
                            + shown(amount)
                            + " "
                            + currency
                            + " has more decimals than "
                            + currency
                            + " allows ("
                            + digits
                            + ")");
        }
        try {
            return stripped.movePointRight(digits).longValueExact();
        } catch (ArithmeticException e) {
            throw new RefusedFileException("amount " + shown(amount) + " is too large");
        }
    }

    /** More integer digits than any {@code long} of minor units can hold. */
    private static final int MAX_INTEGER_DIGITS = 19;

    /** Longest amount text quoted back in a refusal. */
    private static final int MAX_SHOWN = 40;

    /** An amount as the file wrote it, short enough for a one-line refusal. */
    private static String shown(BigDecimal amount) {
        return clipped(
                Math.abs((long) amount.scale()) <= MAX_SHOWN
                        ? amount.toPlainString()
                        : amount.toString());
    }

    private static String clipped(String text) {
        return text.length() <= MAX_SHOWN
                ? text
                : text.substring(0, MAX_SHOWN) + "... (" + text.length() + " characters)";
    }

    /** Parses a decimal string (dot separator) and converts it. */
    public static long of(String amount, String currency) throws RefusedFileException {
        if (amount == null || amount.isBlank()) {
            throw new RefusedFileException("an amount is missing");
        }
        try {
            return of(new BigDecimal(amount.trim()), currency);
        } catch (NumberFormatException e) {
            throw new RefusedFileException("\"" + clipped(amount) + "\" is not an amount");
        }
    }

    /**
     * Parses a decimal string (dot separator) and converts it; a refusal names {@code where} (the
     * statement, entry or line) before the reason.
     */
    public static long of(String amount, String currency, String where)
            throws RefusedFileException {
        try {
            return of(amount, currency);
        } catch (RefusedFileException e) {
            throw new RefusedFileException(where + ": " + e.getMessage());
        }
    }

    /** The currency's minor-unit digits; unknown codes and metals are refused. */
    public static int digits(String currency) throws RefusedFileException {
        if (currency == null || currency.length() != 3) {
            throw new RefusedFileException("\"" + currency + "\" is not an ISO 4217 currency code");
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            if (digits < 0) {
                throw new RefusedFileException(currency + " has no minor unit");
            }
            return digits;
        } catch (IllegalArgumentException e) {
            throw new RefusedFileException("\"" + currency + "\" is not an ISO 4217 currency code");
        }
    }

    /** A minor-unit amount as a decimal with its currency, for messages: "-1250.00 EUR". */
    public static String format(long minor, String currency) {
        int digits;
        try {
            digits = digits(currency);
        } catch (RefusedFileException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency;
    }
}
