package io.treso.jobs.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.CashPosition;
import io.treso.event.FxRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsolidationTest {
    static CashPosition pos(String scope, String ccy, long minor) {
        return CashPosition.newBuilder()
                .setScope(scope)
                .setCurrency(ccy)
                .setBalanceMinor(minor)
                .setAsOf(Instant.parse("2026-03-16T10:00:00Z"))
                .build();
    }

    static FxRate rate(String ccy, String rate, String at) {
        return FxRate.newBuilder()
                .setEventId("fx" + at)
                .setOccurredAt(Instant.parse(at))
                .setCurrency(ccy)
                .setBaseCurrency("EUR")
                .setRate(rate)
                .build();
    }

    @Test
    void convertsWithHalfEvenRounding() {
        // 0.05 USD at 0.5 = 0.025 EUR -> 0.02 (HALF_EVEN), 0.15 -> 0.075 -> 0.08
        assertEquals(2, Consolidation.convert(5, "USD", new BigDecimal("0.5"), "EUR"));
        assertEquals(8, Consolidation.convert(15, "USD", new BigDecimal("0.5"), "EUR"));
        // A zero-decimal currency: 1000 JPY at 0.0062 = 6.20 EUR
        assertEquals(620, Consolidation.convert(1000, "JPY", new BigDecimal("0.0062"), "EUR"));
    }

    @Test
    void sumsPerCurrencyAndInBase() {
        var accounts =
                List.of(pos("a", "EUR", 10_000), pos("b", "EUR", 5_000), pos("c", "USD", 10_000));
        assertEquals(15_000, Consolidation.perCurrency(accounts, "EUR").getBalanceMinor());
        var base =
                Consolidation.inBase(
                        accounts,
                        Map.of("USD", rate("USD", "0.92", "2026-03-16T16:00:00Z")),
                        "EUR");
        assertEquals(15_000 + 9_200, base.orElseThrow().getBalanceMinor());
    }

    @Test
    void noBaseTotalWhileACurrencyHasNoRate() {
        var accounts = List.of(pos("a", "EUR", 10_000), pos("c", "USD", 10_000));
        assertTrue(Consolidation.inBase(accounts, Map.of(), "EUR").isEmpty());
    }

    @Test
    void theLatestRateByEventTimeWinsWhateverTheArrivalOrder() {
        FxRate older = rate("USD", "0.90", "2026-03-16T16:00:00Z");
        FxRate newer = rate("USD", "0.95", "2026-03-17T16:00:00Z");
        assertTrue(Consolidation.isNewer(newer, older));
        assertTrue(!Consolidation.isNewer(older, newer));
    }
}
