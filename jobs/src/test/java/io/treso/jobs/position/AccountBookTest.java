package io.treso.jobs.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.StatementKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountBookTest {
    static final String ACCOUNT = "FR7630006000011234567890189";
    // Monday 2026-03-16 .. Friday 2026-03-20 are business days.
    static final Instant MON = Instant.parse("2026-03-16T00:00:00Z");

    InMemoryAccountStore store;
    List<CashPosition> positions;
    List<CashAlert> alerts;
    final List<io.treso.event.DeadLetter> refused = new ArrayList<>();
    AccountBook book;
    List<ThresholdRule> rules;
    int lineNo;

    @BeforeEach
    void setUp() {
        store = new InMemoryAccountStore();
        positions = new ArrayList<>();
        alerts = new ArrayList<>();
        rules = new ArrayList<>();
        book =
                new AccountBook(
                        store,
                        new PositionOutput() {
                            @Override
                            public void position(CashPosition p) {
                                positions.add(p);
                            }

                            @Override
                            public void wakeAt(long eventTime) {
                                throw new AssertionError("the watermark is at the end of time");
                            }

                            @Override
                            public void alert(CashAlert a) {
                                alerts.add(a);
                            }

                            @Override
                            public void refused(io.treso.event.DeadLetter d) {
                                refused.add(d);
                            }
                        },
                        1,
                        Duration.ofDays(400).toMillis(),
                        BusinessCalendar.target(ZoneOffset.UTC),
                        Long.MAX_VALUE);
    }

    static Instant day(int d, int hour) {
        return MON.plus(Duration.ofDays(d)).plus(Duration.ofHours(hour));
    }

    BankTransaction line(int d, int hour, long amount, String statementId) {
        lineNo++;
        return BankTransaction.newBuilder()
                .setEventId(ACCOUNT + ":L" + lineNo)
                .setBookedAt(day(d, hour))
                .setAccountId(ACCOUNT)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setStatus(BankEntryStatus.BOOKED)
                .setStatementId(statementId)
                .build();
    }

    static BankStatement statement(int d, long seq, long opening, long sum, int count) {
        return BankStatement.newBuilder()
                .setEventId(ACCOUNT + ":S" + seq)
                .setAccountId(ACCOUNT)
                .setKind(StatementKind.END_OF_DAY)
                .setStatementId("S" + seq)
                .setSequence(seq)
                .setPeriodStart(day(d, 0))
                .setPeriodEnd(day(d + 1, 0))
                .setCurrency("EUR")
                .setOpeningBalanceMinor(opening)
                .setClosingBalanceMinor(opening + sum)
                .setEntryCount(count)
                .setEntrySumMinor(sum)
                .build();
    }

    long balance() {
        return positions.get(positions.size() - 1).getBalanceMinor();
    }

    void threshold(long threshold, long margin, Instant effective, long version) {
        ThresholdRule.of(
                        ControlCommand.newBuilder()
                                .setEventId("c" + version)
                                .setOccurredAt(effective)
                                .setKind("LOW_BALANCE_THRESHOLD")
                                .setScope(ACCOUNT)
                                .setVersion(version)
                                .setEffectiveAt(effective)
                                .setThresholdMinor(threshold)
                                .setParams(Map.of("margin_minor", Long.toString(margin)))
                                .build())
                .ifPresent(rules::add);
    }

    @Test
    void thePositionStartsAtTheFirstEndOfDayOpening() {
        book.onBankLine(line(0, 9, 500, "S1"), rules);
        assertTrue(positions.isEmpty(), "no position before the anchor");
        book.onStatement(statement(0, 1, 10_000, 500, 1), rules);
        assertEquals(10_500, balance());
        book.onBankLine(line(1, 9, -200, "S2"), rules);
        assertEquals(10_300, balance());
    }

    @Test
    void aLineOrStatementInAnotherCurrencyIsRefusedNeverBooked() {
        book.onStatement(statement(0, 1, 10_000, 0, 0), rules);
        BankTransaction usd =
                BankTransaction.newBuilder(line(1, 9, 5_000, "S2")).setCurrency("USD").build();
        book.onBankLine(usd, rules);
        assertEquals(10_000, balance(), "5,000 USD is not 5,000 EUR");
        assertEquals(1, refused.size());
        assertEquals("CURRENCY_MISMATCH", refused.get(0).getReason());
        assertEquals(usd.getEventId(), refused.get(0).getEventId());
        assertTrue(
                refused.get(0).getDetail().contains("is in USD, but account FR76…0189 keeps EUR"),
                refused.get(0).getDetail());
        book.onStatement(
                BankStatement.newBuilder(statement(1, 2, 10_000, 0, 0)).setCurrency("GBP").build(),
                rules);
        assertEquals(2, refused.size(), "a statement too");
        book.onBankLine(line(1, 10, 700, "S2"), rules);
        assertEquals(10_700, balance(), "and the account goes on");
    }

    @Test
    void linesBeforeTheAnchorPeriodAreInsideTheOpening() {
        book.onBankLine(line(-3, 9, 999, null), rules);
        book.onStatement(statement(0, 1, 10_000, 0, 0), rules);
        assertEquals(10_000, balance());
        assertEquals(1, store.state().linesCoveredByOpening);
    }

    @Test
    void pendingLinesNeverMoveTheBookedBalance() {
        book.onStatement(statement(0, 1, 10_000, 0, 0), rules);
        BankTransaction pending =
                BankTransaction.newBuilder(line(1, 9, 700, null))
                        .setStatus(BankEntryStatus.PENDING)
                        .build();
        book.onBankLine(pending, rules);
        assertEquals(10_000, balance());
    }

    @Test
    void aStatementThatAgreesRaisesNothingAndFoldsTheLedger() {
        book.onStatement(statement(0, 1, 10_000, 300, 2), rules);
        book.onBankLine(line(0, 9, 100, "S1"), rules);
        book.onBankLine(line(0, 10, 200, "S1"), rules);
        assertTrue(alerts.isEmpty(), alerts.toString());
        assertEquals(0, store.ledgerSize(), "checked lines fold into the base");
        assertEquals(10_300, store.state().base);
    }

    @Test
    void aLateLineOfAnEarlierDayIsNotABreak() {
        book.onStatement(statement(0, 1, 10_000, 100, 1), rules);
        // Day 1's statement and line arrive before day 0's line.
        book.onStatement(statement(1, 2, 10_100, 50, 1), rules);
        book.onBankLine(line(1, 9, 50, "S2"), rules);
        book.onBankLine(line(0, 9, 100, "S1"), rules);
        assertTrue(alerts.isEmpty(), alerts.toString());
        assertEquals(10_150, balance());
    }

    @Test
    void aStatementNeverResetsThePosition() {
        book.onStatement(statement(0, 1, 10_000, 0, 0), rules);
        book.onBankLine(line(1, 9, 100, "S2"), rules);
        // The bank says 10_000 + 150 but only 100 arrived: our balance stays ours.
        book.onStatement(statement(1, 2, 10_000, 150, 1), rules);
        assertEquals(10_100, balance());
    }

    @Test
    void aMissingLineRaisesBalanceBreakAtTheDeadlineAndResolvesWhenItArrives() {
        book.onStatement(statement(0, 1, 10_000, 0, 0), rules);
        book.onBankLine(line(1, 9, 100, "S2"), rules);
        book.onStatement(statement(1, 2, 10_000, 125, 2), rules); // one line of 25 missing
        assertTrue(alerts.isEmpty(), "not before the grace period");
        book.onStatement(statement(2, 3, 10_125, 0, 0), rules); // bank time: Thursday 00:00
        book.onStatement(statement(3, 4, 10_125, 0, 0), rules); // bank time: Friday 00:00
        assertEquals(1, alerts.size(), alerts.toString());
        CashAlert fired = alerts.get(0);
        assertEquals("BALANCE_BREAK", fired.getType());
        assertEquals("FIRING", fired.getState().name());
        assertEquals("101.00", fired.getObservedValue());
        assertEquals("101.25", fired.getThresholdValue());
        assertTrue(fired.getMessage().contains("S2"), fired.getMessage());
        assertEquals(day(2, 0), fired.getDetectedAt());

        book.onBankLine(line(1, 10, 25, "S2"), rules); // the lost line turns up
        book.onStatement(statement(4, 5, 10_125, 0, 0), rules);
        assertEquals(2, alerts.size(), alerts.toString());
        assertEquals("RESOLVED", alerts.get(1).getState().name());
        assertEquals(fired.getAlertId(), alerts.get(1).getAlertId());
        assertEquals(10_125, balance());
    }

    /** Day 1: 12_000 → 9_500 → 9_400 → 10_400 → 9_900 → 11_000 → 9_900. */
    List<BankTransaction> hysteresisDay() {
        return List.of(
                line(1, 9, -2_500, "S2"),
                line(1, 10, -100, "S2"),
                line(1, 11, 1_000, "S2"),
                line(1, 12, -500, "S2"),
                line(1, 13, 1_100, "S2"),
                line(1, 14, -1_100, "S2"));
    }

    @Test
    void lowBalanceHasHysteresis() {
        threshold(10_000, 1_000, MON.minusSeconds(1), 1);
        book.onStatement(statement(0, 1, 12_000, 0, 0), rules);
        hysteresisDay().forEach(l -> book.onBankLine(l, rules));
        assertTrue(alerts.isEmpty(), "judged once the bank's statement covers the lines");
        book.onStatement(statement(1, 2, 12_000, -2_100, 6), rules);
        // FIRING at 9_500; nothing at 9_400, 10_400 (below threshold + margin) or 9_900;
        // RESOLVED at 11_000 = threshold + margin; a new episode at 9_900.
        assertEquals(3, alerts.size(), alerts.toString());
        assertEquals("FIRING", alerts.get(0).getState().name());
        assertEquals("RESOLVED", alerts.get(1).getState().name());
        assertEquals("FIRING", alerts.get(2).getState().name());
        assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
        assertNotEquals(alerts.get(0).getAlertId(), alerts.get(2).getAlertId());
        assertEquals(day(1, 9), alerts.get(0).getDetectedAt());
        assertEquals(day(1, 13), alerts.get(1).getDetectedAt());
        assertEquals(day(1, 14), alerts.get(2).getDetectedAt());
        assertEquals("95.00", alerts.get(0).getObservedValue());
    }

    @Test
    void linesAfterTheirStatementGiveTheSameAlerts() {
        threshold(10_000, 1_000, MON.minusSeconds(1), 1);
        book.onStatement(statement(0, 1, 12_000, 0, 0), rules);
        book.onStatement(statement(1, 2, 12_000, -2_100, 6), rules);
        hysteresisDay().forEach(l -> book.onBankLine(l, rules));
        assertEquals(3, alerts.size(), alerts.toString());
        assertEquals(day(1, 9), alerts.get(0).getDetectedAt());
        assertEquals(day(1, 13), alerts.get(1).getDetectedAt());
        assertEquals(day(1, 14), alerts.get(2).getDetectedAt());
    }

    @Test
    void theThresholdInForceAtTheLinesEventTimeApplies() {
        threshold(10_000, 0, MON.minusSeconds(1), 1);
        threshold(20_000, 0, day(2, 0), 2);
        book.onStatement(statement(0, 1, 15_000, 0, 0), rules);
        book.onBankLine(line(1, 9, 0, "S2"), rules);
        book.onStatement(statement(1, 2, 15_000, 0, 1), rules);
        assertTrue(alerts.isEmpty(), "v1 (10_000) is in force on day 1");
        book.onBankLine(line(2, 9, 0, "S3"), rules);
        book.onStatement(statement(2, 3, 15_000, 0, 1), rules);
        assertEquals(1, alerts.size(), "v2 (20_000) is in force on day 2");
        assertEquals("200.00", alerts.get(0).getThresholdValue());
        assertEquals(day(2, 9), alerts.get(0).getDetectedAt());
    }

    @Test
    void aThresholdChangeReEvaluatesAtOnce() {
        threshold(10_000, 0, MON.minusSeconds(1), 1);
        book.onStatement(statement(0, 1, 15_000, 0, 0), rules);
        assertTrue(alerts.isEmpty());
        threshold(16_000, 0, day(1, 12), 2);
        book.onRuleChange(ACCOUNT, day(1, 12).toEpochMilli(), rules);
        assertEquals(1, alerts.size());
        assertEquals(day(1, 12), alerts.get(0).getDetectedAt());
        threshold(14_000, 500, day(1, 13), 3);
        book.onRuleChange(ACCOUNT, day(1, 13).toEpochMilli(), rules);
        assertEquals(2, alerts.size());
        assertEquals("RESOLVED", alerts.get(1).getState().name());
    }

    @Test
    void intradayReportsNeverAdvanceBankTimeNorAnchor() {
        BankStatement intraday =
                BankStatement.newBuilder(statement(0, 1, 10_000, 0, 0))
                        .setKind(StatementKind.INTRADAY)
                        .build();
        book.onStatement(intraday, rules);
        assertTrue(store.state() == null || !store.state().anchored);
        assertTrue(positions.isEmpty());
    }

    @Test
    void aLineOlderThanTheRetentionRaisesAReviewAlertAndIsNotBooked() {
        book.onStatement(statement(0, 1, 10_000, 0, 0), rules);
        BankTransaction ancient =
                BankTransaction.newBuilder(line(0, 9, 5_000, null))
                        .setBookedAt(MON.minus(Duration.ofDays(500)))
                        .build();
        book.onBankLine(ancient, rules);
        assertEquals(1, alerts.size());
        assertEquals("STALE_BANK_LINE", alerts.get(0).getType());
        assertEquals(10_000, balance());
    }
}
