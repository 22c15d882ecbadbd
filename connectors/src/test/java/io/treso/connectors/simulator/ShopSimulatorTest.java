package io.treso.connectors.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.PayoutEvent;
import io.treso.schemas.ContractCheck;
import io.treso.schemas.EventType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShopSimulatorTest {
    @Test
    void theSameSeedGivesTheSameEvents() {
        var a = ShopSimulator.run(SimulatorConfig.of(11, 10, 3));
        var b = ShopSimulator.run(SimulatorConfig.of(11, 10, 3));
        var c = ShopSimulator.run(SimulatorConfig.of(12, 10, 3));
        assertEquals(a.events(), b.events());
        assertNotEquals(a.events(), c.events());
    }

    @Test
    void salesGrowAsAskedAndNothingElseMoves() {
        var flat = ShopSimulator.run(SimulatorConfig.of(5, 60, 2));
        var growing = ShopSimulator.run(SimulatorConfig.of(5, 60, 2).withGrowth(20));
        java.time.Instant month =
                SimulatorConfig.DEFAULT_START
                        .plusDays(30)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
        long[] f = captures(flat.events(), month), g = captures(growing.events(), month);
        // 20 % a month: the second month sells about 1.2^1 times the first's 1.2^0.5 average.
        double ratio = (double) g[1] / g[0] / ((double) f[1] / f[0]);
        assertTrue(ratio > 1.1 && ratio < 1.35, "growth ratio " + ratio);
        assertEquals(
                flat.events().stream().filter(e -> e instanceof io.treso.event.Obligation).count(),
                growing.events().stream()
                        .filter(e -> e instanceof io.treso.event.Obligation)
                        .count());
    }

    /** Captured orders before and after {@code split}. */
    static long[] captures(
            List<org.apache.avro.specific.SpecificRecord> events, java.time.Instant split) {
        long[] n = new long[2];
        for (var e : events) {
            if (e instanceof io.treso.event.OrderEvent o
                    && o.getKind() == io.treso.event.OrderKind.CAPTURED) {
                n[o.getOccurredAt().isBefore(split) ? 0 : 1]++;
            }
        }
        return n;
    }

    @Test
    void everyEventKeepsTheContract() {
        var sim = ShopSimulator.run(SimulatorConfig.of(5, 30, 3));
        for (var e : sim.events()) {
            assertEquals(java.util.Optional.empty(), ContractCheck.violation(e), e.toString());
        }
    }

    @Test
    void theTruthAddsUp() {
        var sim = ShopSimulator.run(SimulatorConfig.of(5, 30, 3));
        SimulationTruth truth = sim.truth();
        // Expected balance = opening + every distinct delivered booked line.
        Map<String, Long> balances = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Map<String, Long> firstOpening = new HashMap<>();
        for (var e : sim.events()) {
            if (e instanceof BankTransaction t && seen.add(t.getEventId())) {
                balances.merge(t.getAccountId(), t.getAmountMinor(), Long::sum);
            }
            if (e instanceof BankStatement s) {
                firstOpening.putIfAbsent(s.getAccountId(), s.getOpeningBalanceMinor());
            }
        }
        for (var a : truth.accounts) {
            assertEquals(a.openingBalanceMinor, firstOpening.get(a.accountId));
            assertEquals(
                    a.expectedBalanceMinor,
                    a.openingBalanceMinor + balances.get(a.accountId),
                    a.accountId);
        }
        for (String type :
                new String[] {
                    "LOW_BALANCE",
                    "BALANCE_BREAK",
                    "STATEMENT_UNBALANCED",
                    "MISSING_DEPOSIT",
                    "DUPLICATE_PAYMENT",
                    "UNUSUAL_DEBIT",
                    "SALES_DROP",
                    "REFUND_SPIKE",
                    "PAYOUT_AMOUNT_MISMATCH"
                }) {
            assertEquals(1, truth.planted(type).size(), type);
        }
        assertTrue(truth.duplicateDeliveries > 0);
        assertTrue(
                truth.settlements.stream()
                                .filter(s -> s.label.equals("AMBIGUOUS_BY_DESIGN"))
                                .count()
                        == 6,
                "three pairs of same-amount credits nothing tells apart");
    }

    @Test
    void payoutsCarryTheirLinesAndTheIdentityHoldsButWherePlanted() {
        var sim = ShopSimulator.run(SimulatorConfig.of(5, 30, 3));
        String broken = sim.truth().planted("PAYOUT_AMOUNT_MISMATCH").get(0).ids.get(0);
        int checked = 0;
        for (var e : sim.events()) {
            if (e instanceof PayoutEvent p && !p.getLines().isEmpty()) {
                long identity =
                        p.getGrossMinor()
                                - p.getFeeMinor()
                                - p.getRefundMinor()
                                + p.getAdjustmentMinor();
                long lines = p.getLines().stream().mapToLong(l -> l.getNetMinor()).sum();
                assertEquals(identity, lines, p.getPayoutId());
                assertEquals(
                        !p.getPayoutId().equals(broken),
                        identity == p.getNetMinor(),
                        p.getPayoutId());
                checked++;
            }
        }
        assertTrue(checked > 50, "payouts checked: " + checked);
        assertTrue(sim.events().stream().anyMatch(e -> EventType.of(e) == EventType.FX));
    }
}
