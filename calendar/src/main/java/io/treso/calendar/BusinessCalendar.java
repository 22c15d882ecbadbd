package io.treso.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The business days of a scope: weekends plus the public and bank holidays of a maintained holiday
 * calendar (Jollyday), for any year, in the scope's time zone. Payout schedules, grace periods and
 * windows count these days, never calendar days.
 *
 * <p>A calendar is named by an id: {@code TARGET} (the euro system's TARGET2 closing days), an ISO
 * 3166 country code ({@code US}, {@code GB}, {@code FR}, {@code DE}, about 90 more), optionally
 * with a subdivision ({@code GB-ENG}, {@code US-NY}), or {@code NONE} (weekends only). Where a
 * holiday is observed on another day (a US holiday on a Sunday), the observed day is closed.
 */
public final class BusinessCalendar implements Serializable {
    private static final long serialVersionUID = 2L;

    /** TARGET2 closing days: what euro payments settle on. */
    public static final String TARGET = "TARGET";

    /** Weekends only. */
    public static final String NONE = "NONE";

    /** The year loaded to check that a calendar exists: any year does; never the wall clock. */
    private static final int PROBE_YEAR = 2026;

    /** Holidays per calendar id and year, shared by every instance of a JVM. */
    private static final Map<String, Set<LocalDate>> HOLIDAYS = new ConcurrentHashMap<>();

    private final String id;
    private final ZoneId zone;

    /**
     * The last year's holidays this instance looked up: a deadline or a window walks a few days of
     * one year, and the shared map's key (id and year, concatenated) cost more than the lookup.
     */
    private transient volatile YearHolidays last;

    private record YearHolidays(int year, Set<LocalDate> days) {}

    private BusinessCalendar(String id, ZoneId zone) {
        this.id = id;
        this.zone = zone;
    }

    /**
     * The calendar {@code id} in {@code zone}. Throws IllegalArgumentException naming the id when
     * the holiday library has no such calendar.
     */
    public static BusinessCalendar of(String id, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        String normal = normalise(id);
        if (!normal.equals(NONE)) {
            holidays(normal, PROBE_YEAR); // an unknown id fails here, at the door
        }
        return new BusinessCalendar(normal, zone);
    }

    /** TARGET in {@code zone}: the euro system's closing days. */
    public static BusinessCalendar target(ZoneId zone) {
        return of(TARGET, zone);
    }

    /**
     * The calendar a currency settles on, where nothing says otherwise: EUR on TARGET, USD on the
     * US federal holidays, GBP on England and Wales's bank holidays, others on weekends only.
     */
    public static String defaultFor(String currency) {
        return switch (currency == null ? "" : currency) {
            case "EUR" -> TARGET;
            case "USD" -> "US";
            case "GBP" -> "GB-ENG";
            case "CHF" -> "CH";
            case "CAD" -> "CA";
            case "AUD" -> "AU";
            case "JPY" -> "JP";
            case "SEK" -> "SE";
            case "DKK" -> "DK";
            case "NOK" -> "NO";
            case "PLN" -> "PL";
            default -> NONE;
        };
    }

    /** The default calendar of {@code currency} in {@code zone}. */
    public static BusinessCalendar forCurrency(String currency, ZoneId zone) {
        return of(defaultFor(currency), zone);
    }

    private static String normalise(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a calendar id is required");
        }
        return id.trim().toUpperCase(Locale.ROOT).replace('_', '-');
    }

    private static Set<LocalDate> holidays(String id, int year) {
        return HOLIDAYS.computeIfAbsent(id + "|" + year, k -> load(id, year));
    }

    /**
     * Jollyday's first loads are not thread-safe: calendars loaded at once from several threads
     * (two slots of one TaskManager starting) failed as unknown. One load at a time; once cached,
     * lookups take no lock.
     */
    private static synchronized Set<LocalDate> load(String id, int year) {
        String[] parts = id.toLowerCase(Locale.ROOT).split("-");
        HolidayManager manager;
        try {
            manager = HolidayManager.getInstance(ManagerParameters.create(parts[0]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "unknown calendar '"
                            + id
                            + "': use TARGET, NONE or an ISO country code such as US, GB-ENG, FR",
                    e);
        }
        String[] subdivision = new String[parts.length - 1];
        System.arraycopy(parts, 1, subdivision, 0, subdivision.length);
        Set<LocalDate> days = new HashSet<>();
        for (Holiday h : manager.getHolidays(Year.of(year), subdivision)) {
            if (h.getType() == HolidayType.OBSERVANCE) continue;
            days.add(h.getObservedDate().orElse(h.getDate()));
        }
        return Set.copyOf(days);
    }

    public String id() {
        return id;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean isBusinessDay(LocalDate day) {
        DayOfWeek d = day.getDayOfWeek();
        return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && !isHoliday(day);
    }

    public boolean isHoliday(LocalDate day) {
        if (id.equals(NONE)) return false;
        YearHolidays h = last;
        if (h == null || h.year() != day.getYear()) {
            h = new YearHolidays(day.getYear(), holidays(id, day.getYear()));
            last = h;
        }
        return h.days().contains(day);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessCalendar c && c.id.equals(id) && c.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, zone);
    }

    @Override
    public String toString() {
        return id + "@" + zone;
    }
}
