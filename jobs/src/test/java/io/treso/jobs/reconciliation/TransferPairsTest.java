package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A debit on one own account and a credit on another, paired as one transfer. */
class TransferPairsTest {
    static final long HOUR = Duration.ofHours(1).toMillis();
    static final FxRates EUR_USD =
            (from, to, day) ->
                    from.equals("EUR") && to.equals("USD") ? new BigDecimal("1.0850") : null;

    static TransferPairs.Leg leg(String id, String account, long at, long amount, String ccy) {
        TransferPairs.Leg l = new TransferPairs.Leg();
        l.eventId = id;
        l.accountId = account;
        l.bookedAt = at;
        l.decidedAt = at + 24 * HOUR;
        l.amountMinor = amount;
        l.currency = ccy;
        return l;
    }

    @Test
    void theNearestCreditOnAnotherAccountForTheSameMoneyPairs() {
        var debit = leg("FR:d", "FR", 100 * HOUR, -500_000, "EUR");
        var sameAccount = leg("FR:c", "FR", 101 * HOUR, 500_000, "EUR");
        var later = leg("DE:c2", "DE", 150 * HOUR, 500_000, "EUR");
        var nearer = leg("DE:c1", "DE", 102 * HOUR, 500_000, "EUR");
        var otherAmount = leg("DE:c3", "DE", 100 * HOUR, 499_999, "EUR");
        assertEquals(
                nearer,
                TransferPairs.pair(
                        debit, List.of(sameAccount, later, nearer, otherAmount), FxRates.NONE));
        var record = TransferPairs.record(debit, nearer);
        assertEquals("transfer:FR:d", record.getMatchId());
        assertEquals(List.of("FR:d", "DE:c1"), record.getBankEventIds());
        assertEquals("MATCHED", record.getStatus().name());
        assertEquals(debit.judgeAt(), record.getDecidedAt().toEpochMilli());
    }

    @Test
    void acrossCurrenciesAtTheDaysRateWithinHalfAPercent() {
        var debit = leg("FR:d", "FR", 100 * HOUR, -500_000, "EUR");
        // 5,000.00 EUR at 1.0850 is 5,425.00 USD; the bank's spread leaves 5,410.00.
        var usd = leg("GB:c", "GB", 104 * HOUR, 541_000, "USD");
        assertEquals(usd, TransferPairs.pair(debit, List.of(usd), EUR_USD));
        assertNull(TransferPairs.pair(debit, List.of(usd), FxRates.NONE), "no rate, no pair");
        var tooFar =
                leg("GB:c", "GB", 100 * HOUR + TransferPairs.WINDOW.toMillis() + 1, 542_500, "USD");
        assertNull(TransferPairs.pair(debit, List.of(tooFar), EUR_USD), "outside the window");
        var tooDifferent = leg("GB:c", "GB", 104 * HOUR, 530_000, "USD");
        assertNull(TransferPairs.pair(debit, List.of(tooDifferent), EUR_USD));
    }
}
