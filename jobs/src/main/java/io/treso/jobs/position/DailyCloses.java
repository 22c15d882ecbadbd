package io.treso.jobs.position;

import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The daily closing series of one scope, from its positions: a day's close is its latest position,
 * or, when nothing changed that day, the previous close carried forward (but a {@code flow:} scope
 * is already one value per day, so a day without flow has no close). Days are UTC days, as the PSP
 * ledger's and the flows' are. A position dated exactly at midnight closes the day before (the
 * pipelines emit a day's end at the next midnight). Positions may arrive after their day closed (an
 * account's position dated by its statement): the day is closed again, with the days that carried
 * it, as the same key (scope, date); the latest record of a key is the close. So the final closes
 * do not depend on arrival order, and replay at any parallelism equals Kafka.
 */
public final class DailyCloses {
    static final long DAY = 86_400_000L;

    /**
     * How many closed days a late position may still revise: the dedup horizon's 35 days and more.
     */
    public static final int WINDOW_DAYS = 62;

    private final DailyBook book;

    public DailyCloses(DailyBook book) {
        this.book = book;
    }

    /** A new scope's book. */
    public static DailyBook book(String scope, String currency) {
        DailyBook b = new DailyBook();
        b.scope = scope;
        b.currency = currency;
        return b;
    }

    /** The UTC day a position belongs to. */
    public static long dayOf(long asOf) {
        return Math.floorDiv(asOf - 1, DAY);
    }

    /** The midnight that closes {@code day}. */
    public static long closeOf(long day) {
        return (day + 1) * DAY;
    }

    /**
     * Whether this class makes the scope's daily series: {@code psp:} and the PSP totals ({@code
     * psp-captured:}, {@code psp-refunded:}, {@code psp-gross:}, {@code psp-fees:}), {@code
     * receivables:}, {@code payables:} and {@code flow:} scopes, whose producers report once per
     * day at its midnight, in event-time order. Accounts close on their booking timeline instead
     * ({@link AccountCloses}): their positions follow the arrival order of lines. The consolidated
     * and {@code transit:} scopes have no series: their producers emit a position per input,
     * several at one event time, in an order that differs between runs at parallelism 2; a close
     * taken from them would too.
     */
    public static boolean hasSeries(String scope) {
        return scope.startsWith("psp")
                || scope.startsWith("receivables:")
                || scope.startsWith("payables:")
                || scope.startsWith("flow:");
    }

    /** Whether days without a position carry the previous close. */
    public static boolean carries(String scope) {
        return !scope.startsWith("flow:");
    }

    /** Keeps a position as its day's latest; returns the time its day closes. */
    public long add(CashPosition p) {
        long at = p.getAsOf().toEpochMilli();
        long day = dayOf(at);
        DailyBook.Day d = new DailyBook.Day();
        d.day = day;
        d.balanceMinor = p.getBalanceMinor();
        d.bankReportedMinor = p.getBankReportedBalanceMinor();
        d.inTransitMinor = p.getInTransitMinor();
        d.inTransitEstimated = p.getInTransitEstimated();
        d.asOf = at;
        book.open = merged(book.open, d);
        return closeOf(day);
    }

    /**
     * {@code d} into {@code days} (sorted by day): it replaces its day's entry unless that one is
     * later (a tie goes to the one that arrived last: one upstream task per scope).
     */
    private static DailyBook.Day[] merged(DailyBook.Day[] days, DailyBook.Day d) {
        List<DailyBook.Day> out = new ArrayList<>(List.of(days));
        int i = 0;
        while (i < out.size() && out.get(i).day < d.day) i++;
        if (i < out.size() && out.get(i).day == d.day) {
            DailyBook.Day old = out.get(i);
            if (old.carried || old.asOf <= d.asOf) out.set(i, d);
        } else {
            out.add(i, d);
        }
        return out.toArray(new DailyBook.Day[0]);
    }

    /**
     * Closes every day that ends at or before {@code t} (a midnight). A day's close is its own
     * latest position, else (when the scope carries) the close before it. Days closed earlier that
     * a late position changes, and the days after them that carried, are closed again. Returns what
     * changed, oldest first.
     */
    public List<DailyPosition> close(long t) {
        long ending = dayOf(t);
        long from = Long.MAX_VALUE;
        List<DailyBook.Day> open = new ArrayList<>(List.of(book.open));
        DailyBook.Day[] closed = book.closed;
        java.util.Map<Long, DailyBook.Day> emitted = new java.util.HashMap<>();
        for (DailyBook.Day d : closed) emitted.put(d.day, d);
        while (!open.isEmpty() && open.get(0).day <= ending) {
            DailyBook.Day d = open.remove(0);
            if (d.day < windowStart()) continue; // older than the days kept: too late to revise
            closed = merged(closed, d);
            from = Math.min(from, d.day);
        }
        book.open = open.toArray(new DailyBook.Day[0]);
        long last = Math.max(ending, book.lastClosedDay);
        if (ending > book.lastClosedDay) {
            from =
                    Math.min(
                            from,
                            book.lastClosedDay == Long.MIN_VALUE ? ending : book.lastClosedDay + 1);
        }
        List<DailyPosition> out = new ArrayList<>();
        if (from != Long.MAX_VALUE) {
            List<DailyBook.Day> days = new ArrayList<>(List.of(closed));
            DailyBook.Day carry = book.base;
            int i = 0;
            for (long day = from; day <= last; day++) {
                while (i < days.size() && days.get(i).day < day) {
                    if (!days.get(i).carried) carry = days.get(i);
                    i++;
                }
                DailyBook.Day before =
                        i < days.size() && days.get(i).day == day ? days.get(i) : null;
                DailyBook.Day now;
                if (before != null && !before.carried) {
                    now = before;
                } else if (carry != null && carries(book.scope)) {
                    now = carry.as(day, true);
                } else {
                    continue;
                }
                if (before == null) days.add(i, now);
                else days.set(i, now);
                if (!now.sameAs(emitted.get(day))) out.add(daily(now, day));
            }
            closed = days.toArray(new DailyBook.Day[0]);
        }
        book.lastClosedDay = last;
        book.closed = trimmed(closed);
        return out;
    }

    /** Closed days kept for revision: the window, plus the base the first of them carry. */
    private DailyBook.Day[] trimmed(DailyBook.Day[] closed) {
        long start = windowStart();
        int k = 0;
        while (k < closed.length && closed[k].day < start) {
            if (!closed[k].carried) book.base = closed[k];
            k++;
        }
        return k == 0 ? closed : java.util.Arrays.copyOfRange(closed, k, closed.length);
    }

    private long windowStart() {
        return book.lastClosedDay == Long.MIN_VALUE
                ? Long.MIN_VALUE
                : book.lastClosedDay - WINDOW_DAYS + 1;
    }

    /** Whether a timer should close the next day too: the series goes on while it carries. */
    public boolean continues() {
        if (!carries(book.scope)) return false;
        if (book.base != null) return true;
        for (DailyBook.Day d : book.closed) if (!d.carried) return true;
        return false;
    }

    private DailyPosition daily(DailyBook.Day d, long day) {
        return DailyPosition.newBuilder()
                .setScope(book.scope)
                .setCurrency(book.currency)
                .setDate(LocalDate.ofEpochDay(day))
                .setZone("UTC")
                .setClosingBalanceMinor(d.balanceMinor)
                .setBankReportedBalanceMinor(d.bankReportedMinor)
                .setInTransitMinor(d.inTransitMinor)
                .setInTransitEstimated(d.inTransitEstimated)
                .setClosedAt(Instant.ofEpochMilli(closeOf(day)))
                .build();
    }
}
