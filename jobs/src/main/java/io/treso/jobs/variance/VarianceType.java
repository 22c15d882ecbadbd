package io.treso.jobs.variance;

/**
 * The detectors. FORECAST_VARIANCE (actual positions against the 13-week forecast) plugs in beside
 * them: one more type here, a bucket family fed with (forecast, actual) by the forecast pipeline, a
 * judge beside {@link ScopeVariance#onBucketEnd}'s, and the same settings, episode state and
 * FIRING/RESOLVED hysteresis.
 */
public enum VarianceType {
    SALES_DROP,
    SALES_SPIKE,
    REFUND_SPIKE,
    FEE_SPIKE,
    UNUSUAL_DEBIT,
    OUTFLOW_SPIKE
}
