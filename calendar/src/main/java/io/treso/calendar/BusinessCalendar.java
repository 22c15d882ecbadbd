package io.treso.connectors.time;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;

/**
 * The business days of a scope: weekends plus configured holidays, in the scope's time zone. Payout
 * schedules, grace periods and windows count these days, never calendar days.
 */
public final class BusinessCalendar implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ZoneId zone;
    private final TreeSet<LocalDate> holidays;

    public BusinessCalendar(ZoneId zone, Set<LocalDate> holidays) {
        this.zone = zone;
        this.holidays = new TreeSet<>(holidays);
    }

    /** TARGET2-style holidays for 2026 (the simulator's and the demo's default). */
    public static BusinessCalendar target2026(ZoneId zone) {
        return new BusinessCalendar(
                zone,
                Set.of(
                        LocalDate.parse("2026-01-01"),
                        LocalDate.parse("2026-04-03"),
                        LocalDate.parse("2026-04-06"),
                        LocalDate.parse("2026-05-01"),
                        LocalDate.parse("2026-12-25"),
                        LocalDate.parse("2026-12-26")));
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isBusinessDay(LocalDate day) {
        DayOfWeek d = day.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !holidays.contains(day);
    }

    public boolean isHoliday(LocalDate day) {
        return holidays.contains(day);
    }

    /** The first business day on or after {@code day}. */
    public LocalDate onOrAfter(LocalDate day) {
        LocalDate d = day;
        while (!isBusinessDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** {@code n} business days after {@code day} (n ≥ 0); day itself need not be one. */
    public LocalDate plusBusinessDays(LocalDate day, int n) {
        LocalDate d = onOrAfter(day);
        for (int i = 0; i < n; i++) {
            d = onOrAfter(d.plusDays(1));
        }
        return d;
    }

    /**
     * Business days from {@code from} to {@code to}: 0 when both fall on the same business day (or
     * the non-business days before it), negative when {@code to} is earlier.
     */
    public int businessDaysBetween(LocalDate from, LocalDate to) {
        LocalDate a = onOrAfter(from), b = onOrAfter(to);
        int sign = 1;
        if (b.isBefore(a)) {
            LocalDate t = a;
            a = b;
            b = t;
            sign = -1;
        }
        int n = 0;
        while (a.isBefore(b)) {
            a = next(a);
            n++;
        }
        return sign * n;
    }

    /** The next business day strictly after {@code day}. */
    public LocalDate next(LocalDate day) {
        return onOrAfter(day.plusDays(1));
    }

    /** Start of {@code day} in this calendar's zone. */
    public Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    public LocalDate dateOf(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }
}
