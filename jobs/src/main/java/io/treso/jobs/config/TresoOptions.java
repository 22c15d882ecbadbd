package io.treso.jobs.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of the jobs, typed, with its default. Values come from a map (command
 * options, a properties file, environment variables): {@link #get(Param)} reads one.
 */
public final class TresoOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Param<String> BASE_CURRENCY =
            new Param<>(
                    "treso.base-currency",
                    "EUR",
                    "Currency of the consolidated base position.",
                    s -> s);
    public static final Param<Duration> DEDUP_HORIZON =
            new Param<>(
                    "treso.dedup.horizon",
                    Duration.ofDays(35),
                    "How long ids of orders, payouts, obligations and FX rates are remembered (event time). An older record is dead-lettered as BEYOND_DEDUP_HORIZON.",
                    Duration::parse);
    public static final Param<Duration> BANK_RETENTION =
            new Param<>(
                    "treso.bank.retention",
                    Duration.ofDays(400),
                    "How long bank line and statement ids are remembered, measured on statement coverage. An older line raises STALE_BANK_LINE for review.",
                    Duration::parse);
    public static final Param<Duration> MAX_SKEW =
            new Param<>(
                    "treso.input.max-skew",
                    Duration.ofDays(7),
                    "A record more than this ahead of the highest event time already read from its partition or file is IMPLAUSIBLE_TIMESTAMP.",
                    Duration::parse);
    public static final Param<Duration> OUT_OF_ORDERNESS =
            new Param<>(
                    "treso.watermark.out-of-orderness",
                    Duration.ofHours(2),
                    "How far event time may go back within a partition before the watermark passes it.",
                    Duration::parse);
    public static final Param<Integer> STATEMENT_GRACE_DAYS =
            new Param<>(
                    "treso.statement.grace-business-days",
                    1,
                    "A statement whose lines are not all in is checked once the account's bank time passes its period end plus this many business days.",
                    Integer::parseInt);
    public static final Param<Integer> TRANSIT_GRACE_DAYS =
            new Param<>(
                    "treso.transit.grace-business-days",
                    1,
                    "Until reconciliation runs, a payout leaves cash in transit this many business days after its expected arrival (flagged ESTIMATED).",
                    Integer::parseInt);

    public static final Param<Duration> VARIANCE_BUCKET =
            new Param<>(
                    "treso.variance.bucket",
                    Duration.ofHours(1),
                    "The variance pipeline's tumbling bucket: whole hours dividing a day. Rule windows (VARIANCE_RULE) are sums of buckets.",
                    TresoOptions::bucket);

    private static Duration bucket(String text) {
        Duration d = Duration.parse(text);
        if (d.toMinutes() % 60 != 0 || d.isZero() || d.isNegative() || 24 % d.toHours() != 0) {
            throw new IllegalArgumentException(
                    "treso.variance.bucket must be whole hours dividing a day, got " + text);
        }
        return d;
    }

    public static final Param<Integer> METRICS_MAX_SERIES =
            new Param<>(
                    "treso.metrics.max-series",
                    500,
                    "The most label sets (accounts, stores, PSPs, scopes) one treso_* metric registers per subtask. Beyond it a scope is left out of the metrics, never out of the outputs, and the job logs it once.",
                    TresoOptions::positive);

    public static final Param<Integer> FORECAST_PAYOUT_LAG_DAYS =
            new Param<>(
                    "treso.forecast.payout-lag-days",
                    3,
                    "Days from capture to bank the forecast assumes for a store and PSP until it has learned their lag from three payouts.",
                    TresoOptions::positive);

    private static Integer positive(String text) {
        int n = Integer.parseInt(text.trim());
        if (n <= 0) throw new IllegalArgumentException("must be positive, got " + text);
        return n;
    }

    public static final List<Param<?>> ALL =
            List.of(
                    BASE_CURRENCY,
                    DEDUP_HORIZON,
                    BANK_RETENTION,
                    MAX_SKEW,
                    OUT_OF_ORDERNESS,
                    STATEMENT_GRACE_DAYS,
                    TRANSIT_GRACE_DAYS,
                    VARIANCE_BUCKET,
                    METRICS_MAX_SERIES,
                    FORECAST_PAYOUT_LAG_DAYS);

    private final HashMap<String, String> values;

    public TresoOptions(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key.startsWith("treso.") && ALL.stream().noneMatch(p -> p.key().equals(key))) {
                throw new IllegalArgumentException("unknown config key " + key);
            }
        }
        this.values = new HashMap<>(values);
    }

    public static TresoOptions defaults() {
        return new TresoOptions(Map.of());
    }

    public <T> T get(Param<T> param) {
        return param.from(values);
    }
}
