package io.treso.jobs.reconciliation;

import java.math.BigDecimal;

/** Exchange rates as matching sees them: units of {@code to} per unit of {@code from} on a day. */
@FunctionalInterface
public interface FxRates {
    /** The rate on {@code epochDay} or the latest before it (up to a week), else null. */
    BigDecimal rate(String from, String to, long epochDay);

    FxRates NONE = (from, to, day) -> null;
}
