package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule ladder as a pure function: a credit and its candidates in, a decision out. */
class CreditRulesTest {
    static final long DAY = LocalDate.parse("2026-03-16").toEpochDay();
    final List<TrackedPayout> open = new ArrayList<>();
    final CreditRules rules =
            new CreditRules(
                    "FR76",
                    (from, to, day) ->
                            from.equals("USD") && to.equals("EUR") ? new BigDecimal("0.9") : null,
                    List.of(),
                    new CreditRules.Receivables() {
                        @Override
                        public boolean byReference(BankEntry c, MatchingRules r, Match m) {
                            return false;
                        }

                        @Override
                        public boolean byAmount(BankEntry c, MatchingRules r, Match m) {
                            return false;
                        }
                    });
    final CreditRules.Candidates candidates =
            new CreditRules.Candidates() {
                @Override
                public List<TrackedPayout> namable(String ref, long t) {
                    return open.stream().filter(p -> p.liveAt(t)).toList();
                }

                @Override
                public List<TrackedPayout> inWindow(BankEntry c, MatchingRules r) {
                    return open.stream().filter(p -> p.liveAt(c.decideAt)).toList();
                }
            };

    TrackedPayout payout(String id, String psp, long net, String currency) {
        TrackedPayout p = new TrackedPayout();
        p.payoutId = id;
        p.psp = psp;
        p.storeId = "store-1";
        p.currency = currency;
        p.netMinor = net;
        p.arrivalDay = DAY;
        p.descriptor = psp + " " + id;
        p.firstSeenAt = 0;
        open.add(p);
        return p;
    }

    static BankEntry credit(long amount, String reference, String counterparty) {
        BankEntry c = new BankEntry();
        c.eventId = "FR76:b1";
        c.bookedAt = 1_000;
        c.bookedDay = DAY;
        c.decideAt = 2_000;
        c.amountMinor = amount;
        c.currency = "EUR";
        c.reference = reference;
        c.counterparty = counterparty;
        return c;
    }

    String decide(BankEntry c) {
        Match m = new Match();
        rules.decide(c, candidates, MatchingRules.defaults(), m);
        return m.status
                + " "
                + m.rule
                + " "
                + Arrays.toString(m.payoutIds)
                + " "
                + m.confidence
                + " "
                + m.category;
    }

    @Test
    void theLadderStrongestFirst() {
        payout("po_AAAAAAAAAA", "STRIPE", 10_000, "EUR");
        payout("po_BBBBBBBBBB", "PAYPAL", 10_000, "EUR");
        payout("po_CCCCCCCCCC", "STRIPE", 4_000, "EUR");
        payout("po_DDDDDDDDDD", "STRIPE", 6_000, "EUR");
        assertEquals(
                "MATCHED reference [po_AAAAAAAAAA] 100 PSP_PAYOUT",
                decide(credit(10_000, "STRIPE po_AAAAAAAAAA", "STRIPE")),
                "the reference wins over an equal amount");
        assertEquals(
                "AMBIGUOUS amount-exact [po_AAAAAAAAAA, po_BBBBBBBBBB] 33 null",
                decide(credit(10_000, "VIREMENT", "ACME")),
                "two equal amounts nothing tells apart");
        assertEquals(
                "MATCHED amount-exact [po_BBBBBBBBBB] 89 PSP_PAYOUT",
                decide(credit(10_000, "PAYPAL TRANSFER", "PAYPAL EUROPE")),
                "the payer names the PSP: picked, but a person confirms it");
        assertEquals(
                "CATEGORISED category:default-loan [] 90 LOAN",
                decide(credit(10_000, "DEBLOCAGE PRET", "Banque Populaire")),
                "a loan of a payout's amount is still a loan");
        assertEquals("UNMATCHED none [] 0 null", decide(credit(12_345, "X", "Y")));
    }

    @Test
    void aConvertedPayoutMatchesWithinTheTolerance() {
        payout("po_USDUSDUSDU", "AMAZON_PAY", 100_000, "USD");
        // 100,000 USD cents at 0.9 is 90,000; 89,800 is within 0.5 %. 70, +10 for naming the
        // PSP, +5 for arriving on the booking day.
        assertEquals(
                "MATCHED amount-fx [po_USDUSDUSDU] 85 PSP_PAYOUT",
                decide(credit(89_800, "AMAZON", "BANK"))
                        .replace(" (money only: no orders to check)", ""));
    }

    @Test
    void onlyAnExactReferencedNetIsDecisive() {
        TrackedPayout p = payout("po_AAAAAAAAAA", "STRIPE", 10_000, "EUR");
        Match m = new Match();
        assertEquals(
                p,
                rules.decisive(
                        credit(10_000, "po_AAAAAAAAAA", "S"),
                        candidates,
                        MatchingRules.defaults(),
                        m));
        assertNull(
                rules.decisive(
                        credit(9_000, "po_AAAAAAAAAA", "S"),
                        candidates,
                        MatchingRules.defaults(),
                        new Match()));
        assertNull(
                rules.decisive(
                        credit(10_000, "TRANSFER", "S"),
                        candidates,
                        MatchingRules.defaults(),
                        new Match()));
    }
}
