package io.treso.jobs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.CashPosition;
import io.treso.jobs.metrics.PositionReadings.Metric;
import io.treso.jobs.metrics.PositionReadings.Reading;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionReadingsTest {
    private static CashPosition position(
            String scope, String ccy, long balance, Long bank, long transit) {
        return CashPosition.newBuilder()
                .setScope(scope)
                .setCurrency(ccy)
                .setBalanceMinor(balance)
                .setBankReportedBalanceMinor(bank)
                .setInTransitMinor(transit)
                .setInTransitEstimated(false)
                .setAsOf(Instant.parse("2026-04-01T00:00:00Z"))
                .build();
    }

    @Test
    void anAccountShowsItsBalanceAndTheBanksMasked() {
        List<Reading> r =
                PositionReadings.of(
                        position("FR7630006000011234567890189", "EUR", 12_345, 12_000L, 0));
        assertEquals(
                List.of(
                        new Reading(Metric.ACCOUNT_BALANCE, List.of("FR76…0189", "EUR"), 12_345),
                        new Reading(Metric.BANK_BALANCE, List.of("FR76…0189", "EUR"), 12_000)),
                r);
        assertEquals(
                1,
                PositionReadings.of(position("GB33BUKB20201555555555", "USD", 5, null, 0)).size());
    }

    @Test
    void consolidatedTransitPspFlowAndAgingScopesBecomeLabels() {
        assertEquals(
                List.of(new Reading(Metric.CURRENCY_TOTAL, List.of("USD"), -7)),
                PositionReadings.of(position("currency:USD", "USD", -7, null, 0)));
        assertEquals(
                List.of(new Reading(Metric.BASE_TOTAL, List.of("EUR"), 99)),
                PositionReadings.of(position("base:EUR", "EUR", 99, null, 0)));
        assertEquals(
                List.of(new Reading(Metric.IN_TRANSIT, List.of("STRIPE", "store-2", "EUR"), 4_000)),
                PositionReadings.of(position("transit:STRIPE/store-2/EUR", "EUR", 0, null, 4_000)));
        assertEquals(
                List.of(new Reading(Metric.PSP_OWED, List.of("ADYEN", "store-1", "EUR"), -246)),
                PositionReadings.of(position("psp:ADYEN/store-1/EUR", "EUR", -246, null, 0)));
        assertEquals(
                List.of(new Reading(Metric.DAY_FLOW, List.of("FR76…0189", "EUR", "TAX"), -11)),
                PositionReadings.of(
                        position("flow:FR7630006000011234567890189:TAX", "EUR", -11, null, 0)));
        assertEquals(
                List.of(new Reading(Metric.RECEIVABLES, List.of("FR76…0189", "EUR", "31-60"), 8)),
                PositionReadings.of(
                        position(
                                "receivables:FR7630006000011234567890189:31-60",
                                "EUR",
                                8,
                                null,
                                0)));
    }

    @Test
    void aScopeTheBoardsDoNotKnowOrAMalformedOneShowsNothing() {
        assertTrue(PositionReadings.of(position("forecast:FR76", "EUR", 1, null, 0)).isEmpty());
        assertTrue(PositionReadings.of(position("psp:ADYEN", "EUR", 1, null, 0)).isEmpty());
        assertTrue(PositionReadings.of(position("flow:nocategory", "EUR", 1, null, 0)).isEmpty());
    }

    @Test
    void everyMetricHasLabelsAndAMinorUnitName() {
        for (Metric m : Metric.values()) {
            assertTrue(m.keys.length > 0, m.name());
            assertTrue(m.metricName.endsWith("_minor"), m.metricName);
        }
    }
}
