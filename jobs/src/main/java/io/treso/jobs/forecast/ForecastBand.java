package io.treso.jobs.forecast;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.apache.flink.util.Preconditions;

/**
 * The p10–p90 band around a projected balance, from the models' own one-day errors rather than a
 * fixed percentage: each model's mean absolute error becomes a standard deviation (×√(π/2), as for
 * normal errors); the errors of independent days and of independent models add in variance, so the
 * band widens with the square root of the horizon.
 */
public final class ForecastBand {
    /** The 90th percentile of the standard normal: p10 and p90 lie this many σ from p50. */
    static final BigDecimal Z90 = new BigDecimal("1.2816");

    /** σ per unit of mean absolute error, for normal errors: √(π/2). */
    static final BigDecimal SIGMA_PER_MAE = new BigDecimal("1.2533");

    private ForecastBand() {}

    /**
     * Half the band's width {@code h} days out (p90 − p50 = p50 − p10), minor units, rounded half
     * up, for models whose one-day mean absolute errors are {@code maes}.
     */
    public static long halfWidth(long[] maes, int h) {
        Preconditions.checkArgument(h >= 1, "the horizon is 1 day or more: %s", h);
        BigDecimal variance = BigDecimal.ZERO;
        for (long mae : maes) {
            Preconditions.checkArgument(mae >= 0, "an error is never negative: %s", mae);
            BigDecimal sigma = SIGMA_PER_MAE.multiply(BigDecimal.valueOf(mae));
            variance = variance.add(sigma.multiply(sigma));
        }
        variance = variance.multiply(BigDecimal.valueOf(h));
        return Z90.multiply(variance.sqrt(MathContext.DECIMAL64))
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
    }
}
