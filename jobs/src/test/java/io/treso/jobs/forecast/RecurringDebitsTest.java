package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treso.jobs.forecast.RecurringDebits.Cadence;
import io.treso.jobs.forecast.RecurringDebits.Debit;
import io.treso.jobs.forecast.RecurringDebits.Recurrence;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecurringDebitsTest {
    static Debit d(String date, long amount) {
        return new Debit(LocalDate.parse(date), amount);
    }

    @Test
    void monthlyRentOnAboutTheSameDayIsRecurring() {
        Optional<Recurrence> r =
                RecurringDebits.detect(
                        List.of(
                                d("2026-03-02", -800_000), // a Monday after the 1st, a Sunday
                                d("2026-01-01", -800_000),
                                d("2026-02-02", -800_000),
                                d("2026-04-01", -800_000)));
        assertEquals(
                Optional.of(
                        new Recurrence(Cadence.MONTHLY, -800_000, LocalDate.parse("2026-05-01"))),
                r);
    }

    @Test
    void payrollAtMonthEndKeepsToTheLastDay() {
        Optional<Recurrence> r =
                RecurringDebits.detect(
                        List.of(
                                d("2026-01-31", -1_900_000),
                                d("2026-02-27", -1_910_000), // a Friday before the 28th
                                d("2026-03-31", -1_895_000)));
        assertEquals(Cadence.MONTHLY, r.orElseThrow().cadence());
        assertEquals(-1_900_000, r.orElseThrow().amountMinor(), "the median");
        assertEquals(LocalDate.parse("2026-04-30"), r.orElseThrow().next(), "the 31st of April");
    }

    @Test
    void aWeeklySubscription() {
        Optional<Recurrence> r =
                RecurringDebits.detect(
                        List.of(
                                d("2026-03-02", -4_900),
                                d("2026-03-09", -4_900),
                                d("2026-03-16", -4_900),
                                d("2026-03-24", -4_900)));
        assertEquals(
                Optional.of(new Recurrence(Cadence.WEEKLY, -4_900, LocalDate.parse("2026-03-31"))),
                r);
    }

    @Test
    void twoToTheCentAMonthApartAreMonthly() {
        assertEquals(
                Optional.of(
                        new Recurrence(Cadence.MONTHLY, -2_400_000, LocalDate.parse("2026-05-27"))),
                RecurringDebits.detect(
                        List.of(d("2026-03-27", -2_400_000), d("2026-04-27", -2_400_000))));
    }

    @Test
    void irregularOrVaryingOrTooFewIsNotRecurring() {
        assertEquals(
                Optional.empty(),
                RecurringDebits.detect(
                        List.of(
                                d("2026-01-05", -250_000),
                                d("2026-01-10", -250_000),
                                d("2026-01-29", -250_000),
                                d("2026-03-03", -250_000))),
                "gaps of 5, 19 and 33 days: a supplier paid when invoiced");
        assertEquals(
                Optional.empty(),
                RecurringDebits.detect(
                        List.of(
                                d("2026-01-01", -800_000),
                                d("2026-02-01", -950_000),
                                d("2026-03-01", -800_000))),
                "an amount 18.75 % off the median");
        assertEquals(
                Optional.empty(),
                RecurringDebits.detect(
                        List.of(d("2026-01-01", -800_000), d("2026-02-01", -800_100))),
                "two that differ by a cent are not a series");
        assertEquals(
                Optional.empty(),
                RecurringDebits.detect(List.of(d("2026-01-01", -4_900), d("2026-01-08", -4_900))),
                "two a week apart are not a weekly series");
        assertEquals(
                Optional.empty(),
                RecurringDebits.detect(List.of(d("2026-01-01", -800_000))),
                "one is not a series");
        assertEquals(
                Optional.empty(),
                RecurringDebits.detect(
                        List.of(
                                d("2026-01-01", -800_000),
                                d("2026-02-12", -800_000),
                                d("2026-03-01", -800_000))),
                "monthly gaps but the 12th is not the 1st");
    }
}
