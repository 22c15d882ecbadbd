package io.treso.jobs.position;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.StatementKind;
import io.treso.jobs.input.AccountInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The account function with its state and timers, one operator, no cluster. */
class AccountPositionFunctionHarnessTest {
    static final String ACCOUNT = "FR7630006000011234567890189";
    static final Instant T0 = Instant.parse("2026-03-16T00:00:00Z");

    static KeyedOneInputStreamOperatorTestHarness<String, AccountInput, CashPosition> harness(
            long endOfTime) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AccountPositionFunction(
                                        List.of(),
                                        List.of(),
                                        1,
                                        Duration.ofDays(400),
                                        endOfTime,
                                        10)),
                        AccountInput::accountId,
                        Types.STRING);
        h.open();
        return h;
    }

    static AccountInput statement() {
        return AccountInput.of(
                BankStatement.newBuilder()
                        .setEventId("s1")
                        .setAccountId(ACCOUNT)
                        .setKind(StatementKind.END_OF_DAY)
                        .setStatementId("S1")
                        .setSequence(1)
                        .setPeriodStart(T0)
                        .setPeriodEnd(T0.plusSeconds(86400))
                        .setCurrency("EUR")
                        .setOpeningBalanceMinor(10_000L)
                        .setClosingBalanceMinor(10_000L)
                        .setEntryCount(0)
                        .setEntrySumMinor(0)
                        .build());
    }

    static AccountInput line(String id, long amount) {
        return AccountInput.of(
                BankTransaction.newBuilder()
                        .setEventId(id)
                        .setBookedAt(T0.plusSeconds(90_000))
                        .setAccountId(ACCOUNT)
                        .setAmountMinor(amount)
                        .setCurrency("EUR")
                        .setStatus(BankEntryStatus.BOOKED)
                        .build());
    }

    static AccountInput threshold(long threshold, Instant effective) {
        return AccountInput.of(
                ControlCommand.newBuilder()
                        .setEventId("t" + threshold)
                        .setOccurredAt(effective)
                        .setKind("LOW_BALANCE_THRESHOLD")
                        .setScope(ACCOUNT)
                        .setVersion(threshold)
                        .setEffectiveAt(effective)
                        .setThresholdMinor(threshold)
                        .setParams(Map.of())
                        .build());
    }

    static List<CashAlert> alerts(
            KeyedOneInputStreamOperatorTestHarness<String, AccountInput, CashPosition> h) {
        var side = h.getSideOutput(AccountPositionFunction.ALERTS);
        return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
    }

    @Test
    void aRepeatedEventIdDoesNotMoveTheBalance() throws Exception {
        try (var h = harness(Long.MAX_VALUE)) {
            h.processElement(statement(), 1);
            h.processElement(line("b1", 500), 2);
            h.processElement(line("b1", 500), 3);
            List<CashPosition> out = h.extractOutputValues();
            assertEquals(10_500, out.get(out.size() - 1).getBalanceMinor());
            assertEquals(2, out.size());
        }
    }

    @Test
    void aBookingNotifiedFirstStillCountsForTheStatementThatListsItLater() throws Exception {
        try (var h = harness(Long.MAX_VALUE)) {
            h.processElement(statement(), 1);
            h.processElement(line("b1", 500), 2); // camt.054: no statement
            BankStatement day2 =
                    BankStatement.newBuilder(statement().statement)
                            .setEventId("s2")
                            .setStatementId("S2")
                            .setSequence(2)
                            .setPeriodStart(T0.plusSeconds(86_400))
                            .setPeriodEnd(T0.plusSeconds(172_800))
                            .setOpeningBalanceMinor(10_000L)
                            .setClosingBalanceMinor(10_400L) // the bank says 100 less
                            .setEntryCount(1)
                            .setEntrySumMinor(500)
                            .build();
            h.processElement(AccountInput.of(day2), 3);
            assertEquals(0, alerts(h).size(), "S2 waits for its line");
            BankTransaction again =
                    BankTransaction.newBuilder(line("b1", 500).bank).setStatementId("S2").build();
            h.processElement(AccountInput.of(again), 4); // camt.053 lists it
            assertEquals(
                    List.of("BALANCE_BREAK"), alerts(h).stream().map(a -> a.getType()).toList());
            h.processElement(AccountInput.of(again), 5); // a true repeat counts once
            List<CashPosition> out = h.extractOutputValues();
            assertEquals(10_500, out.get(out.size() - 1).getBalanceMinor());
        }
    }

    @Test
    void aThresholdChangeFiresWhenTheWatermarkReachesIt() throws Exception {
        try (var h = harness(Long.MAX_VALUE)) {
            h.processElement(statement(), 1);
            Instant effective = T0.plusSeconds(100_000);
            h.processElement(threshold(20_000, effective), 2);
            assertEquals(0, alerts(h).size());
            h.processWatermark(effective.toEpochMilli());
            assertEquals(1, alerts(h).size());
            assertEquals(effective, alerts(h).get(0).getDetectedAt());
        }
    }

    @Test
    void aTimerPastTheEndOfInputEmitsNothing() throws Exception {
        Instant effective = T0.plusSeconds(100_000);
        try (var h = harness(effective.toEpochMilli() - 1)) {
            h.processElement(statement(), 1);
            h.processElement(threshold(20_000, effective), 2);
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(0, alerts(h).size());
        }
    }

    @Test
    void aRuleBehindTheWatermarkAppliesFromTheWatermark() throws Exception {
        try (var h = harness(Long.MAX_VALUE)) {
            h.processElement(statement(), 1);
            long watermark = T0.plusSeconds(200_000).toEpochMilli();
            h.processWatermark(watermark);
            h.processElement(threshold(20_000, T0), 3);
            assertEquals(1, alerts(h).size(), "at once, without waiting for the watermark");
            assertEquals(watermark + 1, alerts(h).get(0).getDetectedAt().toEpochMilli());
        }
    }
}
