package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.treso.jobs.forecast.VatCalendar.Period;
import io.treso.jobs.forecast.VatCalendar.Regime;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class VatCalendarTest {
    static LocalDate day(String d) {
        return LocalDate.parse(d);
    }

    @Test
    void quartersAcrossTheQuarterEnd() {
        VatCalendar q = new VatCalendar(Regime.QUARTERLY, 20);
        assertEquals(
                new Period(day("2026-01-01"), day("2026-03-31"), day("2026-04-20"), "2026-Q1"),
                q.periodOf(day("2026-03-31")));
        assertEquals(
                new Period(day("2026-04-01"), day("2026-06-30"), day("2026-07-20"), "2026-Q2"),
                q.periodOf(day("2026-04-01")));
        assertEquals("2026-Q4", q.periodOf(day("2026-12-31")).id());
        assertEquals(day("2027-01-20"), q.periodOf(day("2026-11-15")).due(), "into the next year");
    }

    @Test
    void monthsAndADueDayThatAMonthLacks() {
        VatCalendar m = new VatCalendar(Regime.MONTHLY, 31);
        assertEquals(
                new Period(day("2026-01-01"), day("2026-01-31"), day("2026-02-28"), "2026-01"),
                m.periodOf(day("2026-01-17")));
        assertEquals(day("2026-03-31"), m.periodOf(day("2026-02-28")).due());
        assertThrows(IllegalArgumentException.class, () -> new VatCalendar(Regime.MONTHLY, 0));
    }
}
