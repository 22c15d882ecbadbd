package io.treso.jobs.metrics;

import io.treso.event.ForecastPoint;
import io.treso.jobs.alert.Alerts;
import io.treso.jobs.forecast.ForecastBook;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the boards draw of a forecast: the base path's projected balance and band width at 7, 14, 28
 * and 91 days out, per scope. Plain Java, so the mapping is tested without Flink; accounts are
 * masked as everywhere else.
 */
public final class ForecastReadings {
    /** The day offsets drawn. */
    public static final Set<Long> OFFSETS = Set.of(7L, 14L, 28L, 91L);

    /** One reading: a scope, its currency, the offset in days, the balance and band width. */
    public record Reading(
            String scope, String currency, String offset, long projected, long band) {}

    private ForecastReadings() {}

    /** The reading of {@code p}, if it is a base point at one of the offsets drawn. */
    public static Optional<Reading> of(ForecastPoint p) {
        if (!ForecastBook.BASE.equals(p.getScenarioId())) return Optional.empty();
        LocalDate made = p.getAsOf().minusMillis(1).atZone(ZoneOffset.UTC).toLocalDate();
        long offset = ChronoUnit.DAYS.between(made, p.getDate());
        if (!OFFSETS.contains(offset)) return Optional.empty();
        String scope = scope(p.getScope());
        return Optional.of(
                new Reading(
                        scope,
                        p.getCurrency(),
                        String.valueOf(offset),
                        p.getProjectedBalanceMinor(),
                        Math.subtractExact(p.getHighMinor(), p.getLowMinor())));
    }

    /** A scope as the boards show it: accounts masked, consolidated scopes as they are. */
    static String scope(String scope) {
        return scope.contains(":") ? scope : Alerts.mask(scope);
    }

    /** The metric names, as Flink registers them under the {@code treso} group. */
    static final List<String> KEYS = List.of("scope", "currency", "offset");
}
