package io.treso.jobs.position;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.DailyPosition;
import io.treso.event.DeadLetter;
import io.treso.event.StatementKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** An account's daily closes follow the booking timeline, whatever order lines arrive in. */
class AccountClosesTest {
    static final String ACCOUNT = "DE89370400440532013000";
    static final Instant MON = Instant.parse("2026-03-16T00:00:00Z");

    final List<DailyPosition> closes = new ArrayList<>();
    final List<ThresholdRule> rules = new ArrayList<>();
    final AccountBook book =
            new AccountBook(
                    new InMemoryAccountStore(),
                    new PositionOutput() {
                        @Override
                        public void position(CashPosition p) {}

                        @Override
                        public void alert(CashAlert a) {}

                        @Override
                        public void refused(DeadLetter d) {}

                        @Override
                        public void wakeAt(long eventTime) {}

                        @Override
                        public void dailyClose(DailyPosition d) {
                            closes.add(d);
                        }
                    },
                    1,
                    Duration.ofDays(400).toMillis(),
                    BusinessCalendar.target(ZoneOffset.UTC),
                    Long.MAX_VALUE);

    static Instant at(int day, int hour) {
        return MON.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
    }

    static BankTransaction line(String id, int day, int hour, long amount, String statement) {
        return BankTransaction.newBuilder()
                .setEventId(id)
                .setBookedAt(at(day, hour))
                .setAccountId(ACCOUNT)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setStatus(BankEntryStatus.BOOKED)
                .setStatementId(statement)
                .build();
    }

    /** A statement from the start of {@code from} to the end of {@code to}. */
    static BankStatement statement(int from, int to, long seq, long opening, long closing, int n) {
        return BankStatement.newBuilder()
                .setEventId("S" + seq)
                .setAccountId(ACCOUNT)
                .setKind(StatementKind.END_OF_DAY)
                .setStatementId("S" + seq)
                .setSequence(seq)
                .setPeriodStart(at(from, 0))
                .setPeriodEnd(at(to + 1, 0))
                .setCurrency("EUR")
                .setOpeningBalanceMinor(opening)
                .setClosingBalanceMinor(closing)
                .setEntryCount(n)
                .setEntrySumMinor(closing - opening)
                .build();
    }

    void apply(Object event) {
        if (event instanceof BankStatement s) book.onStatement(s, rules);
        else book.onBankLine((BankTransaction) event, rules);
    }

    /** The last close of each day: what a compacted topic or the replay file keeps. */
    Map<String, String> finalCloses() {
        Map<String, String> last = new TreeMap<>();
        for (DailyPosition d : closes) {
            last.put(
                    d.getDate().toString(),
                    d.getClosingBalanceMinor()
                            + " bank "
                            + d.getBankReportedBalanceMinor()
                            + " floor "
                            + d.getLowBalanceThresholdMinor());
        }
        return last;
    }

    /**
     * Monday to Thursday; the bank reports Tuesday and Wednesday together, and its Thursday closing
     * is 1.00 off ours (a line it never sent).
     */
    static List<Object> week() {
        return List.of(
                statement(0, 0, 1, 10_000_00, 10_300_00, 2),
                line("a", 0, 9, 500_00, "S1"),
                line("b", 0, 15, -200_00, "S1"),
                line("c", 1, 0, -1_000_00, "S2"), // at midnight: Tuesday's, not Monday's
                line("d", 2, 23, 50_00, "S2"),
                statement(1, 2, 2, 10_300_00, 9_350_00, 2),
                line("e", 3, 10, -4_000_00, "S3"),
                statement(3, 3, 3, 9_350_00, 5_349_00, 1));
    }

    @Test
    void eachDayClosesAtItsMidnightWithTheBanksClosingBesideIt() {
        rules.add(threshold(6_000_00, Instant.parse("2026-03-18T12:00:00Z")));
        week().forEach(this::apply);
        assertEquals(
                "{2026-03-16=1030000 bank 1030000 floor null,"
                        + " 2026-03-17=930000 bank null floor null,"
                        + " 2026-03-18=935000 bank 935000 floor 600000,"
                        + " 2026-03-19=535000 bank 534900 floor 600000}",
                finalCloses().toString());
        // Monday closed at the opening when the statement came first; its lines revised it.
        assertEquals(
                List.of(
                        "2026-03-16=1000000",
                        "2026-03-16=1050000",
                        "2026-03-16=1030000",
                        "2026-03-17=930000",
                        "2026-03-18=935000",
                        "2026-03-19=535000"),
                closes.stream().map(d -> d.getDate() + "=" + d.getClosingBalanceMinor()).toList());
        assertEquals(Instant.parse("2026-03-17T00:00:00Z"), closes.get(0).getClosedAt());
    }

    @Test
    void theFinalClosesDoNotDependOnArrivalOrder() {
        week().forEach(this::apply);
        Map<String, String> inOrder = finalCloses();
        for (int seed = 1; seed <= 40; seed++) {
            AccountClosesTest other = new AccountClosesTest();
            List<Object> events = new ArrayList<>(week());
            Object anchor = events.remove(0); // the first statement anchors the account
            Collections.shuffle(events, new Random(seed));
            other.apply(anchor);
            events.forEach(other::apply);
            assertEquals(inOrder, other.finalCloses(), "arrival order " + seed + ": " + events);
        }
    }

    @Test
    void aLateLineRevisesItsDayAndTheDaysAfter() {
        List<Object> events = new ArrayList<>(week());
        Object late = events.remove(2); // Monday 15:00, -200.00
        events.forEach(this::apply);
        int before = closes.size();
        apply(late);
        assertEquals(
                List.of(
                        "2026-03-16=1030000",
                        "2026-03-17=930000",
                        "2026-03-18=935000",
                        "2026-03-19=535000"),
                closes.subList(before, closes.size()).stream()
                        .map(d -> d.getDate() + "=" + d.getClosingBalanceMinor())
                        .toList());
    }

    static ThresholdRule threshold(long minor, Instant effective) {
        return ThresholdRule.of(
                        ControlCommand.newBuilder()
                                .setEventId("t1")
                                .setOccurredAt(effective)
                                .setKind("LOW_BALANCE_THRESHOLD")
                                .setScope(ACCOUNT)
                                .setVersion(1)
                                .setEffectiveAt(effective)
                                .setThresholdMinor(minor)
                                .setParams(Map.of("margin_minor", "0"))
                                .build())
                .orElseThrow();
    }
}
