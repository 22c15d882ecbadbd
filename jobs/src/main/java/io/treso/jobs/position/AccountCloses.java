package io.treso.jobs.position;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.DailyPosition;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;

/**
 * An account's daily closing balances, in the account's own time zone (its ACCOUNT_CONFIG, UTC
 * without one), taken on the booking timeline the LOW_BALANCE walk follows rather than from the
 * positions as they were emitted: a day closes once the bank time passes its local midnight, at the
 * balance of every line booked before it. Positions carry the arrival order of lines (a late line
 * joins whatever came before it); these closes do not, so replay at any parallelism and Kafka
 * agree. A line booked in a day already closed revises that day and the days after it, within
 * {@link DailyCloses#WINDOW_DAYS}.
 */
final class AccountCloses {
    private static final long NONE = Long.MIN_VALUE;

    private final AccountState s;
    private final PositionOutput out;
    private final Collection<ThresholdRule> rules;
    private final BusinessCalendar calendar;

    AccountCloses(
            AccountState s,
            PositionOutput out,
            Collection<ThresholdRule> rules,
            BusinessCalendar calendar) {
        this.s = s;
        this.out = out;
        this.rules = rules;
        this.calendar = calendar;
    }

    /** The anchor: days close from the local day its period starts on. */
    void start(long anchorStart) {
        s.closing = true;
        s.closedDay = day(anchorStart) - 1;
        s.recentCloses = new long[0];
        s.recentBankCloses = new long[0];
    }

    /**
     * Closes every day whose local midnight is at or before {@code t} at the walked balance: call
     * it before a line booked at {@code t} is walked, and with the bank time once the walk is done.
     */
    void closeThrough(long t) {
        if (!s.closing) {
            // State saved before daily closes existed: the series starts where the walk stands.
            start(s.evaluatedUntil);
        }
        while (endOf(s.closedDay + 1) <= t) {
            s.closedDay++;
            long bank =
                    s.bankReportedAt > 0 && day(s.bankReportedAt - 1) == s.closedDay
                            ? s.bankReportedBalance
                            : NONE;
            s.recentCloses = appended(s.recentCloses, s.evaluatedBalance);
            s.recentBankCloses = appended(s.recentBankCloses, bank);
            emit(s.recentCloses.length - 1);
        }
    }

    /** A line booked at {@code bookedAt}, walked late: the closed days from its own day move. */
    void revise(long bookedAt, long amount) {
        int first = Math.max(0, index(day(bookedAt)));
        for (int i = first; i < s.recentCloses.length && s.closing; i++) {
            s.recentCloses[i] = Math.addExact(s.recentCloses[i], amount);
            emit(i);
        }
    }

    /** A statement's closing balance for a day already closed: that day's close says it. */
    void bankClosed(long periodEnd, long closing) {
        int i = index(day(periodEnd - 1));
        if (i >= 0 && i < s.recentCloses.length && s.recentBankCloses[i] != closing) {
            s.recentBankCloses[i] = closing;
            emit(i);
        }
    }

    private long day(long instant) {
        return calendar.dateOf(Instant.ofEpochMilli(instant)).toEpochDay();
    }

    private long endOf(long day) {
        return calendar.startOf(LocalDate.ofEpochDay(day + 1)).toEpochMilli();
    }

    /** Where {@code day} is (or would be) among the kept closes: negative before them. */
    private int index(long day) {
        long first = s.closedDay - s.recentCloses.length + 1;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, day - first));
    }

    private static long[] appended(long[] kept, long v) {
        long[] next =
                kept.length < DailyCloses.WINDOW_DAYS
                        ? Arrays.copyOf(kept, kept.length + 1)
                        : Arrays.copyOfRange(kept, 1, kept.length + 1);
        next[next.length - 1] = v;
        return next;
    }

    private void emit(int i) {
        long day = s.closedDay - (s.recentCloses.length - 1L - i);
        long bank = s.recentBankCloses[i];
        long end = endOf(day);
        DailyPosition.Builder d =
                DailyPosition.newBuilder()
                        .setScope(s.accountId)
                        .setCurrency(s.currency)
                        .setDate(LocalDate.ofEpochDay(day))
                        .setZone(calendar.zone().getId())
                        .setClosingBalanceMinor(s.recentCloses[i])
                        .setBankReportedBalanceMinor(bank == NONE ? null : bank)
                        .setInTransitMinor(0)
                        .setInTransitEstimated(false)
                        .setClosedAt(Instant.ofEpochMilli(end));
        ThresholdRule.inForce(rules, end - 1)
                .ifPresent(r -> d.setLowBalanceThresholdMinor(r.thresholdMinor));
        out.dailyClose(d.build());
    }
}
