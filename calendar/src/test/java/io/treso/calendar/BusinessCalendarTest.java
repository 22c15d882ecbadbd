package io.treso.connectors.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {
    final BusinessCalendar cal = BusinessCalendar.target2026(ZoneId.of("Europe/Paris"));

    @Test
    void weekendsAndHolidaysAreNotBusinessDays() {
        assertTrue(cal.isBusinessDay(LocalDate.parse("2026-04-02")));
        assertFalse(cal.isBusinessDay(LocalDate.parse("2026-04-03")), "Good Friday");
        assertFalse(cal.isBusinessDay(LocalDate.parse("2026-04-04")), "Saturday");
        assertFalse(cal.isBusinessDay(LocalDate.parse("2026-04-06")), "Easter Monday");
    }

    @Test
    void businessDaysSkipTheEasterWeekend() {
        assertEquals(
                LocalDate.parse("2026-04-07"),
                cal.plusBusinessDays(LocalDate.parse("2026-04-02"), 1));
        assertEquals(
                LocalDate.parse("2026-04-08"),
                cal.plusBusinessDays(LocalDate.parse("2026-04-02"), 2));
        assertEquals(LocalDate.parse("2026-04-07"), cal.onOrAfter(LocalDate.parse("2026-04-03")));
    }

    @Test
    void daysBecomeInstantsInTheScopesZone() {
        assertEquals("2026-03-15T23:00:00Z", cal.startOf(LocalDate.parse("2026-03-16")).toString());
        assertEquals(
                "2026-03-29T22:00:00Z",
                cal.startOf(LocalDate.parse("2026-03-30")).toString(),
                "after DST");
    }
}
