package io.treso.jobs.variance;

/**
 * The detectors. A FORECAST_VARIANCE detector (actual positions against the 13-week forecast) plugs
 * in beside them: one more type, fed with windows of (forecast, actual) from the forecast pipeline,
 * judged by the same settings and the same {@link Episodes} hysteresis.
 */
public enum VarianceType {
    SALES_DROP,
    SALES_SPIKE,
    REFUND_SPIKE,
    FEE_SPIKE,
    UNUSUAL_DEBIT
}
