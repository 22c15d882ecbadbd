package io.treso.jobs.forecast;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Recurring debits found in an account's history with one counterparty: rent and payroll each
 * month, a subscription each week. A series recurs when it has at least {@link #MIN_OCCURRENCES}
 * debits, every gap fits one cadence, and every amount is within {@link #AMOUNT_TOLERANCE_PERCENT}
 * % of their median; or, monthly, when two debits are the same to the cent. An irregular series is
 * never called recurring: a forecast would invent money.
 */
public final class RecurringDebits {
    public static final int MIN_OCCURRENCES = 3;
    public static final int AMOUNT_TOLERANCE_PERCENT = 10;

    /**
     * Two debits to the cent about a month apart, on about the same day, are monthly already: rent
     * and salaries show themselves in their second month, and waiting for a third would leave a
     * month's payroll out of the forecast.
     */
    public static final int MIN_EXACT_MONTHLY = 2;

    /** How often a recurring debit comes. */
    public enum Cadence {
        /** Every 6 to 8 days. */
        WEEKLY,
        /** Every 27 to 34 days, on about the same day of the month (± 3 days). */
        MONTHLY
    }

    /** One debit: the day it was booked and its amount (negative: money out). */
    public record Debit(LocalDate date, long amountMinor) {}

    /** A recurring debit: its cadence, the amount to expect (the median) and the next date. */
    public record Recurrence(Cadence cadence, long amountMinor, LocalDate next) {}

    /**
     * A counterparty paid about every {@code gapDays} days by amounts that vary (a supplier): the
     * mean amount, the mean absolute deviation from it, and the next date.
     */
    public record Regular(long gapDays, long amountMinor, long deviationMinor, LocalDate next) {}

    /** The most days between payments that still make a supplier regular. */
    public static final int MAX_REGULAR_GAP_DAYS = 35;

    private RecurringDebits() {}

    /**
     * The regular cadence of {@code history} (any order): at least {@link #MIN_OCCURRENCES} debits
     * whose mean gap is 3 to {@link #MAX_REGULAR_GAP_DAYS} days; empty otherwise. For what {@link
     * #detect} refuses because the amounts vary: expected on average, not to the cent.
     */
    public static Optional<Regular> regular(List<Debit> history) {
        if (history.size() < MIN_OCCURRENCES) return Optional.empty();
        List<Debit> d = new ArrayList<>(history);
        d.sort(Comparator.comparing(Debit::date));
        long span = ChronoUnit.DAYS.between(d.get(0).date(), d.get(d.size() - 1).date());
        long gap = SeasonalSmoothing.divide(span, d.size() - 1);
        if (gap < 3 || gap > MAX_REGULAR_GAP_DAYS) return Optional.empty();
        long sum = 0;
        for (Debit x : d) sum = Math.addExact(sum, x.amountMinor());
        long mean = SeasonalSmoothing.divide(sum, d.size());
        long deviation = 0;
        for (Debit x : d) deviation = Math.addExact(deviation, Math.abs(x.amountMinor() - mean));
        return Optional.of(
                new Regular(
                        gap,
                        mean,
                        SeasonalSmoothing.divide(deviation, d.size()),
                        d.get(d.size() - 1).date().plusDays(gap)));
    }

    /** The recurrence of {@code history} (any order), or empty when it does not recur. */
    public static Optional<Recurrence> detect(List<Debit> history) {
        if (history.size() < MIN_EXACT_MONTHLY) return Optional.empty();
        List<Debit> d = new ArrayList<>(history);
        d.sort(Comparator.comparing(Debit::date));
        if (history.size() < MIN_OCCURRENCES
                && d.stream().map(Debit::amountMinor).distinct().count() > 1) {
            return Optional.empty();
        }
        long median = median(d);
        for (Debit x : d) {
            long off = Math.abs(Math.subtractExact(x.amountMinor(), median));
            if (Math.multiplyExact(off, 100L)
                    > Math.multiplyExact(Math.abs(median), (long) AMOUNT_TOLERANCE_PERCENT)) {
                return Optional.empty();
            }
        }
        LocalDate last = d.get(d.size() - 1).date();
        if (d.size() >= MIN_OCCURRENCES && everyGapWithin(d, 6, 8)) {
            return Optional.of(new Recurrence(Cadence.WEEKLY, median, last.plusDays(7)));
        }
        if (everyGapWithin(d, 27, 34) && sameDayOfMonth(d)) {
            int day = d.get(0).date().getDayOfMonth();
            LocalDate month = last.plusMonths(1);
            return Optional.of(
                    new Recurrence(
                            Cadence.MONTHLY,
                            median,
                            month.withDayOfMonth(Math.min(day, month.lengthOfMonth()))));
        }
        return Optional.empty();
    }

    private static boolean everyGapWithin(List<Debit> d, int min, int max) {
        for (int i = 1; i < d.size(); i++) {
            long gap = ChronoUnit.DAYS.between(d.get(i - 1).date(), d.get(i).date());
            if (gap < min || gap > max) return false;
        }
        return true;
    }

    /** Days of the month within ± 3 of the first's (the 31st and a 30-day month's 30th agree). */
    private static boolean sameDayOfMonth(List<Debit> d) {
        int first = d.get(0).date().getDayOfMonth();
        for (Debit x : d) {
            int want = Math.min(first, x.date().lengthOfMonth());
            if (Math.abs(x.date().getDayOfMonth() - want) > 3) return false;
        }
        return true;
    }

    private static long median(List<Debit> d) {
        long[] a = d.stream().mapToLong(Debit::amountMinor).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : SeasonalSmoothing.divide(a[n / 2 - 1] + a[n / 2], 2);
    }
}
