package io.treso.jobs.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.ControlCommand;
import io.treso.jobs.reconciliation.MatchingRules;
import io.treso.jobs.reconciliation.OrderLedger;
import io.treso.jobs.reconciliation.OrderState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which calendar an account counts its business days in, for any year. */
class AccountCalendarsTest {
    static final String NY = "US33NYBANK0000000000001";

    static ControlCommand config(String account, String zone, String calendar, String at) {
        return ControlCommand.newBuilder()
                .setEventId("control:ACCOUNT_CONFIG:" + account + ":" + at)
                .setOccurredAt(Instant.parse(at))
                .setKind(AccountConfig.KIND)
                .setScope(account)
                .setVersion(1)
                .setEffectiveAt(Instant.parse(at))
                .setTimeZone(zone)
                .setParams(calendar == null ? Map.of() : Map.of("calendar", calendar))
                .build();
    }

    static long t(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void theCurrencyChoosesTheCalendarUntilAnAccountConfigSaysOtherwise() {
        var calendars =
                new AccountCalendars(
                        List.of(
                                AccountConfig.of(
                                                config(
                                                        NY,
                                                        "America/New_York",
                                                        null,
                                                        "2026-06-01T00:00:00Z"))
                                        .orElseThrow()));
        BusinessCalendar before = calendars.at(NY, "USD", t("2026-05-01T00:00:00Z"));
        assertEquals("US", before.id());
        assertEquals(ZoneId.of("UTC").normalized(), before.zone().normalized());
        BusinessCalendar after = calendars.at(NY, "USD", t("2026-07-01T00:00:00Z"));
        assertEquals("US", after.id(), "the currency's calendar, in the account's zone");
        assertEquals(ZoneId.of("America/New_York"), after.zone());
        assertEquals("TARGET", calendars.at("FR76X", "EUR", 0).id());
        assertEquals("GB-ENG", calendars.at("GB29X", "GBP", 0).id());
    }

    @Test
    void aUsdAccountCountsThanksgivingAndTheFourthOfJulyAsClosed() {
        var calendars =
                new AccountCalendars(
                        List.of(
                                AccountConfig.of(
                                                config(
                                                        NY,
                                                        "America/New_York",
                                                        "US",
                                                        "2026-01-01T00:00:00Z"))
                                        .orElseThrow()));
        BusinessCalendar us = calendars.at(NY, "USD", t("2026-11-25T12:00:00Z"));
        // A payout due Wednesday 25 November, two business days of grace: Thanksgiving does not
        // count, so the deposit is missing from Tuesday 1 December (TARGET would say Monday).
        LocalDate due = LocalDate.parse("2026-11-25");
        assertEquals(LocalDate.parse("2026-12-01"), us.plusBusinessDays(due, 3));
        assertEquals(
                LocalDate.parse("2026-11-30"),
                BusinessCalendar.target(ZoneId.of("UTC")).plusBusinessDays(due, 3));
        assertEquals(
                LocalDate.parse("2026-07-06"),
                us.plusBusinessDays(LocalDate.parse("2026-07-02"), 1));
    }

    @Test
    void aCaptureBeforeChristmasIsDueAfterNewYear2027() {
        OrderState s = new OrderState();
        s.psp = "STRIPE";
        s.currency = "EUR";
        s.capturedAt = t("2026-12-23T10:00:00Z");
        long deadline =
                OrderLedger.payoutDeadline(
                        s, MatchingRules.defaults(), AccountCalendars.forCurrency("EUR"));
        // 3 business days of schedule + 2 of grace + 1: 24, 28, 29, 30, 31 December and
        // Monday 4 January; 25-26 December and 1 January 2027 are TARGET holidays.
        assertEquals(t("2027-01-04T00:00:00Z"), deadline);
    }

    @Test
    void aBadZoneOrCalendarIsRefusedAtTheDoor() {
        var zone =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                AccountConfig.of(
                                        config(NY, "Mars/Phobos", null, "2026-01-01T00:00:00Z")));
        assertTrue(zone.getMessage().contains("Mars/Phobos"), zone.getMessage());
        var cal =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AccountConfig.of(config(NY, null, "NARNIA", "2026-01-01T00:00:00Z")));
        assertTrue(cal.getMessage().contains("NARNIA"), cal.getMessage());
    }
}
