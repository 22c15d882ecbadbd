package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.ControlCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bank line gets a category: Treso's defaults, and rules given as BANK_CATEGORY. */
class BankCategoriesTest {
    static final String ACCOUNT = "FR7630006000011234567890189";
    final List<BankCategories> configured = new ArrayList<>();

    static ControlCommand command(String scope, long version, Map<String, String> params) {
        return ControlCommand.newBuilder()
                .setEventId("control:BANK_CATEGORY:" + scope + ":" + version)
                .setOccurredAt(Instant.EPOCH)
                .setKind(BankCategories.KIND)
                .setScope(scope)
                .setVersion(version)
                .setEffectiveAt(Instant.ofEpochMilli(version))
                .setParams(params)
                .build();
    }

    String category(String counterparty, String reference, long amount) {
        var c =
                BankCategories.categorise(
                        configured, ACCOUNT, Long.MAX_VALUE, counterparty, reference, amount);
        return c == null ? null : c.category();
    }

    @Test
    void defaultsReadFrenchEnglishAndGermanWordingsWithOrWithoutAccents() {
        assertEquals("LOAN", category("Banque Populaire", "DEBLOCAGE PRÊT 4521", 10_000_000));
        assertEquals("LOAN", category("Sparkasse", "Darlehen Auszahlung", 5_000_000));
        assertEquals("CAPITAL", category("M. Dupont", "APPORT EN COMPTE COURANT", 2_000_000));
        assertEquals("TAX", category("URSSAF Ile-de-France", "COTIS 03/2026", -420_000));
        assertEquals("TAX", category("DGFIP", "TVA MARS", -1_048_875));
        assertEquals("PAYROLL", category("Payroll", "SALARIES MARCH", -1_200_000));
        assertEquals("PAYROLL", category("Lohnbuero", "Gehälter April", -900_000));
        assertEquals("RENT", category("Immo Gestion SA", "LOYER AVRIL", -400_000));
        assertEquals("BANK_FEES", category("Deutsche Bank", "Kontoführungsgebühr", -1_500));
        assertEquals("BANK_FEES", category("Bank fees", "ACCOUNT FEES", -1_500));
        assertEquals(
                "INTERNAL_TRANSFER", category("Treso SAS", "VIREMENT INTERNE EUR-USD", -500_000));
        assertEquals("PSP_PAYOUT", category("STRIPE", "STRIPE po_1", 12_000));
        assertNull(category("ACME Corp", "INV 2231", 50_000), "nothing says what it is");
        assertNull(category("PARENT CO", "QUARANTINE", 50_000), "words, not fragments");
    }

    @Test
    void aPspPayoutOrACustomerReceiptIsStillToBeMatchedOthersAreExplained() {
        var psp = BankCategories.categorise(List.of(), ACCOUNT, 0, "PAYPAL EUROPE", "X", 5_000);
        assertFalse(psp.explains());
        var loan = BankCategories.categorise(List.of(), ACCOUNT, 0, "Bank", "LOAN DRAWDOWN", 5_000);
        assertTrue(loan.explains());
        assertEquals("default-loan", loan.rule());
    }

    @Test
    void theAccountsRulesComeFirstThenAllAccountsThenTheDefaults() {
        configured.add(
                BankCategories.of(
                                command(
                                        "*",
                                        1,
                                        Map.of(
                                                "rule.1",
                                                "category=CAPITAL;pattern=HOLDING;in=counterparty;sign=credit")))
                        .orElseThrow());
        configured.add(
                BankCategories.of(
                                command(
                                        ACCOUNT,
                                        2,
                                        Map.of(
                                                "rule.2", "category=OTHER;pattern=HOLDING",
                                                "rule.10",
                                                        "category=CUSTOMER_RECEIPT;pattern=INV \\d+")))
                        .orElseThrow());
        assertEquals("OTHER", category("Treso Holding", "x", 100), "the account's own first");
        assertEquals("CUSTOMER_RECEIPT", category("ACME", "INV 2231", 100));
        assertEquals(
                "CAPITAL",
                BankCategories.categorise(
                                configured, "GB33", Long.MAX_VALUE, "Treso Holding", "", 100)
                        .category(),
                "another account: the rules for all");
        assertEquals("LOAN", category("Bank", "LOAN", 100), "then the defaults");
        configured.add(
                BankCategories.of(command(ACCOUNT, 3, Map.of("defaults", "false"))).orElseThrow());
        assertNull(category("Bank", "LOAN", 100), "defaults turned off");
        assertEquals(
                "LOAN",
                BankCategories.categorise(configured, ACCOUNT, 2, "Bank", "LOAN", 100).category(),
                "the rules in force at the line's time");
    }

    @Test
    void malformedRulesAreRefusedWithWhatIsWrong() {
        for (var bad :
                List.of(
                        Map.of("rule.1", "category=LOANS;pattern=X"),
                        Map.of("rule.1", "category=LOAN"),
                        Map.of("rule.1", "category=LOAN;pattern=(unclosed"),
                        Map.of("rule.1", "category=LOAN;pattern=X;sign=maybe"),
                        Map.of("rule.x", "category=LOAN;pattern=X"),
                        Map.of("colour", "blue"),
                        Map.of("defaults", "perhaps"))) {
            var e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> BankCategories.of(command(ACCOUNT, 1, bad)),
                            bad.toString());
            assertTrue(e.getMessage().startsWith("BANK_CATEGORY"), e.getMessage());
        }
    }
}
