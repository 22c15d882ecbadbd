package io.treso.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.ForecastPoint;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The forecast on the boards: base points at 7, 14, 28 and 91 days, accounts masked. */
class ForecastReadingsTest {
    static ForecastPoint point(String scope, String scenario, String date) {
        return ForecastPoint.newBuilder()
                .setScope(scope)
                .setDate(LocalDate.parse(date))
                .setCurrency("EUR")
                .setInflowMinor(0)
                .setOutflowMinor(0)
                .setProjectedBalanceMinor(500_000)
                .setLowMinor(450_000)
                .setHighMinor(560_000)
                .setScenarioId(scenario)
                .setAsOf(Instant.parse("2026-06-14T22:00:00Z"))
                .build();
    }

    @Test
    void baseAtTheOffsetsDrawnOnly() {
        ForecastReadings.Reading r =
                ForecastReadings.of(point("FR7630006000011234567890189", "base", "2026-06-21"))
                        .orElseThrow();
        assertEquals("7", r.offset());
        assertEquals(500_000, r.projected());
        assertEquals(110_000, r.band());
        assertTrue(!r.scope().contains("3000600001123456"), "masked: " + r.scope());
        assertEquals(
                "91",
                ForecastReadings.of(point("currency:EUR", "base", "2026-09-13"))
                        .orElseThrow()
                        .offset());
        assertEquals(
                "currency:EUR",
                ForecastReadings.of(point("currency:EUR", "base", "2026-07-12"))
                        .orElseThrow()
                        .scope());
        assertTrue(
                ForecastReadings.of(point("currency:EUR", "base", "2026-06-22")).isEmpty(),
                "day 8");
        assertTrue(
                ForecastReadings.of(point("currency:EUR", "slow", "2026-06-21")).isEmpty(),
                "a scenario");
    }
}
