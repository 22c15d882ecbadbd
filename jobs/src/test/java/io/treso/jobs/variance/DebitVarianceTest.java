package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

                        @Override
                        public boolean paidAccount(String account) {
                            return paidAccounts.contains(account);
                        }

                        @Override
                        public void putPaidAccount(String account) {
                            paidAccounts.add(account);
                        }
                    });
    final Set<String> paidAccounts = new HashSet<>();
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** The learned model alone: new payees only above a floor no test debit reaches. */
    VarianceSettings settings =
            VarianceControls.of(
                            List.of(
                                    ScopeVarianceTest.rule(
                                            "r", "*", 0, Map.of("new_payee_floor", "1000000000"))))
                    .settings(ACCOUNT, 0);

    Long balance;
    int n;

    Optional<CashAlert> debit(String counterparty, long amount) {
        n++;
        return debit(
                BankTransaction.newBuilder()
                        .setEventId(ACCOUNT + ":B" + n)
                        .setBookedAt(Instant.parse("2026-03-16T10:00:00Z").plusSeconds(3600L * n))
                        .setAccountId(ACCOUNT)
                        .setAmountMinor(-amount)
                        .setCurrency("EUR")
                        .setStatus(BankEntryStatus.BOOKED)
                        .setCounterpartyName(counterparty)
                        .build());
    }

    Optional<CashAlert> debit(BankTransaction t) {
        return judge.judge(t, settings, new DebitVariance.AccountFacts(PARIS, balance));
    }

    Optional<CashAlert> payment(
            String name, String iban, long amount, String localTime, String reference) {
        n++;
        return debit(
                BankTransaction.newBuilder()
                        .setEventId(ACCOUNT + ":P" + n)
                        .setBookedAt(
                                java.time.LocalDate.parse("2026-04-21")
                                        .atTime(java.time.LocalTime.parse(localTime))
                                        .atZone(PARIS)
                                        .toInstant())
                        .setAccountId(ACCOUNT)
                        .setAmountMinor(-amount)
                        .setCurrency("EUR")
                        .setStatus(BankEntryStatus.BOOKED)
                        .setCounterpartyName(name)
                        .setCounterpartyAccount(iban)
                        .setReference(reference)
                        .build());
    }

    @Test
    void aNewPayeeAboveBothFloorsAlertsFromTheFirstDebitWithItsAggravatingFacts() {
        settings = VarianceSettings.DEFAULTS;
        Optional<CashAlert> a =
                payment(
                        "Nordwind Trading GmbH",
                        "DE89 3704 0044 0532 0130 00",
                        2_950_000,
                        "03:12",
                        "URGENT TRANSFER");
        assertTrue(a.isPresent(), "no history at all, and still judged");
        String m = a.get().getMessage();
        assertTrue(m.startsWith("Debit of 29,500.00 EUR to Nordwind Trading GmbH (DE89…3000)"), m);
        assertTrue(m.contains("a new payee"), m);
        assertTrue(m.contains("booked at 03:12 (Europe/Paris), outside 07:00–20:00"), m);
        assertTrue(m.contains("its reference says \"URGENT TRANSFER\""), m);
        assertEquals("5000.00", a.get().getThresholdValue());
        assertEquals(null, a.get().getZScore(), "no history: no z to report");
        // Paid once, the payee is known: the same amount again is judged by the learned model.
        assertTrue(payment("Nordwind Trading GmbH", null, 2_950_000, "03:30", "URGENT").isEmpty());
        // Known by its account under another name: not new.
        assertTrue(
                payment("NORDWIND TRADING", "DE89370400440532013000", 2_950_000, "10:00", null)
                        .isEmpty());
    }

    @Test
    void belowEitherFloorOrOnlyAggravatingNothingFires() {
        settings = VarianceSettings.DEFAULTS;
        assertTrue(payment("Petite Imprimerie", null, 90_000, "03:00", "URGENT").isEmpty());
        balance = 100_000_000L; // 1,000,000.00 EUR: 10 % is 100,000.00
        assertTrue(payment("Atlas Freight Ltd", null, 2_950_000, "14:00", null).isEmpty());
        Optional<CashAlert> large = payment("Helios Conseil", null, 15_000_000, "00:00", null);
        assertTrue(large.isPresent(), "above 10 % of the balance");
        assertEquals("100000.00", large.get().getThresholdValue());
        assertTrue(!large.get().getMessage().contains("outside"), "a date-only booking");
    }

    void usualMonth() {
        debit("Payroll", 2_400_000);
        debit("Immo Gestion SA", 800_000);
        for (int i = 0; i < 4; i++) debit("Acme Packaging", 120_000 + 5_000 * i);
        debit("URSSAF", 600_000);
        debit("Google Ads", 90_000);
    }

    @Test
    void belowTheNewPayeeFloorANewCounterpartyFarAboveTheAccountsUsualLargeDebits() {
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
    void aThinCounterpartyPaidAsMuchBeforeIsNotUnusualAmongSmallDebits() {
        debit("Payroll", 3_600_000);
        for (int i = 0; i < 40; i++) debit("CB Shop " + (i % 4), 20_000 + 500 * i);
        assertTrue(debit("Payroll", 3_600_000).isEmpty(), "last month's payroll again");
        assertTrue(debit("Payroll", 9_000_000).isPresent(), "two and a half times it is not");
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
