package io.treso.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {
    final BusinessCalendar cal = BusinessCalendar.target(ZoneId.of("Europe/Paris"));

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void weekendsAndHolidaysAreNotBusinessDays() {
        assertTrue(cal.isBusinessDay(d("2026-04-02")));
        assertFalse(cal.isBusinessDay(d("2026-04-03")), "Good Friday");
        assertFalse(cal.isBusinessDay(d("2026-04-04")), "Saturday");
        assertFalse(cal.isBusinessDay(d("2026-04-06")), "Easter Monday");
    }

    @Test
    void businessDaysSkipTheEasterWeekend() {
        assertEquals(d("2026-04-07"), cal.plusBusinessDays(d("2026-04-02"), 1));
        assertEquals(d("2026-04-08"), cal.plusBusinessDays(d("2026-04-02"), 2));
        assertEquals(d("2026-04-07"), cal.onOrAfter(d("2026-04-03")));
    }

    @Test
    void daysBecomeInstantsInTheScopesZone() {
        assertEquals("2026-03-15T23:00:00Z", cal.startOf(d("2026-03-16")).toString());
        assertEquals("2026-03-29T22:00:00Z", cal.startOf(d("2026-03-30")).toString(), "after DST");
    }

    @Test
    void targetHolidaysHoldInEveryYearAcrossNewYear() {
        // Thursday 24 December 2026 + 1 business day: Christmas, St Stephen's, the weekend and
        // New Year's Day 2027 (a Friday) are closed, so Monday 4 January.
        assertEquals(d("2026-12-28"), cal.plusBusinessDays(d("2026-12-24"), 1));
        assertEquals(d("2027-01-04"), cal.plusBusinessDays(d("2026-12-31"), 1));
        assertFalse(cal.isBusinessDay(d("2027-01-01")));
        assertFalse(cal.isBusinessDay(d("2027-03-26")), "Good Friday 2027");
        assertFalse(cal.isBusinessDay(d("2027-03-29")), "Easter Monday 2027");
        assertFalse(cal.isBusinessDay(d("2030-04-22")), "Easter Monday 2030");
        assertEquals(6, cal.businessDaysBetween(d("2026-12-23"), d("2027-01-04")));
    }

    @Test
    void aUsdAccountInNewYorkClosesOnUsFederalHolidays() {
        BusinessCalendar ny = BusinessCalendar.forCurrency("USD", ZoneId.of("America/New_York"));
        assertEquals("US", ny.id());
        assertFalse(ny.isBusinessDay(d("2026-11-26")), "Thanksgiving 2026");
        assertFalse(ny.isBusinessDay(d("2027-11-25")), "Thanksgiving 2027");
        // 4 July 2026 is a Saturday: observed on Friday the 3rd.
        assertFalse(ny.isBusinessDay(d("2026-07-03")), "Independence Day, observed");
        assertFalse(ny.isBusinessDay(d("2027-07-05")), "4 July 2027 is a Sunday: Monday");
        assertTrue(ny.isBusinessDay(d("2026-04-03")), "Good Friday is no US federal holiday");
        assertEquals(d("2026-11-27"), ny.plusBusinessDays(d("2026-11-25"), 1));
        assertEquals("2026-11-27T05:00:00Z", ny.startOf(d("2026-11-27")).toString());
    }

    @Test
    void aGbpAccountInLondonClosesOnEnglishBankHolidays() {
        BusinessCalendar london = BusinessCalendar.forCurrency("GBP", ZoneId.of("Europe/London"));
        assertFalse(london.isBusinessDay(d("2026-05-04")), "Early May bank holiday");
        assertFalse(london.isBusinessDay(d("2026-08-31")), "Summer bank holiday (England)");
        assertTrue(london.isBusinessDay(d("2026-05-01")), "1 May is no English holiday");
    }

    @Test
    void unknownCalendarsAreRefusedAtTheDoorAndNoneMeansWeekendsOnly() {
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> BusinessCalendar.of("ATLANTIS", ZoneOffset.UTC));
        assertTrue(e.getMessage().contains("ATLANTIS"), e.getMessage());
        BusinessCalendar none = BusinessCalendar.of("none", ZoneOffset.UTC);
        assertTrue(none.isBusinessDay(d("2026-12-25")));
        assertEquals(BusinessCalendar.NONE, BusinessCalendar.defaultFor("XAF"));
        assertEquals(
                BusinessCalendar.of("target", ZoneOffset.UTC),
                BusinessCalendar.target(ZoneOffset.UTC));
    }
}
