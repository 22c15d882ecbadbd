package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DebitVarianceTest {
    static final String ACCOUNT = "FR7630006000011234567890189";

    final Map<String, DebitHistory> counterparties = new HashMap<>();
    final DebitHistory[] account = {null};
    final DebitVariance judge =
            new DebitVariance(
                    new DebitVariance.Store() {
                        @Override
                        public DebitHistory account() {
                            return account[0];
                        }

                        @Override
                        public void putAccount(DebitHistory h) {
                            account[0] = h;
                        }

                        @Override
                        public DebitHistory counterparty(String name) {
                            return counterparties.get(name);
                        }

                        @Override
                        public void putCounterparty(String name, DebitHistory h) {
                            counterparties.put(name, h);
                        }
                    });
    int n;

    Optional<CashAlert> debit(String counterparty, long amount) {
        n++;
        return judge.judge(
                BankTransaction.newBuilder()
                        .setEventId(ACCOUNT + ":B" + n)
                        .setBookedAt(Instant.parse("2026-03-16T10:00:00Z").plusSeconds(3600L * n))
                        .setAccountId(ACCOUNT)
                        .setAmountMinor(-amount)
                        .setCurrency("EUR")
                        .setStatus(BankEntryStatus.BOOKED)
                        .setCounterpartyName(counterparty)
                        .build(),
                VarianceSettings.DEFAULTS);
    }

    void usualMonth() {
        debit("Payroll", 2_400_000);
        debit("Immo Gestion SA", 800_000);
        for (int i = 0; i < 4; i++) debit("Acme Packaging", 120_000 + 5_000 * i);
        debit("URSSAF", 600_000);
        debit("Google Ads", 90_000);
    }

    @Test
    void aNewCounterpartyFarAboveTheAccountsUsualLargeDebits() {
        usualMonth();
        assertTrue(debit("Unknown Trading", 19_200_000).isEmpty(), "cold start: 9 debits");
        usualMonth();
        usualMonth();
        Optional<CashAlert> a = debit("Nordwind Trading GmbH", 19_200_000);
        assertTrue(a.isPresent());
        assertEquals("UNUSUAL_DEBIT", a.get().getType());
        assertEquals("ONE_SHOT", a.get().getLifecycle().name());
        assertEquals("192000.00", a.get().getObservedValue());
        assertTrue(
                a.get()
                        .getMessage()
                        .startsWith(
                                "Debit of 192,000.00 EUR to Nordwind Trading GmbH, a new counterparty, is 8.0x the account's usual large debits"),
                a.get().getMessage());
        // Judged unusual, it does not become usual: the next one like it is flagged too.
        assertTrue(debit("Atlas Freight Ltd", 19_200_000).isPresent());
        assertTrue(debit("Payroll", 2_500_000).isEmpty(), "a usual payroll");
    }

    @Test
    void aKnownCounterpartyIsJudgedOnItsOwnHistoryByMedianAndMad() {
        for (int m = 0; m < 3; m++) usualMonth();
        Optional<CashAlert> tenTimes = debit("Acme Packaging", 1_300_000);
        assertTrue(tenTimes.isPresent());
        assertTrue(
                tenTimes.get().getMessage().contains("x its usual"), tenTimes.get().getMessage());
        assertTrue(debit("Acme Packaging", 150_000).isEmpty(), "within its usual spread");
    }
}
