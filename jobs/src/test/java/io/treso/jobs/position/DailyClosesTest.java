package io.treso.jobs.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed closes: the day's latest, carried days, midnight positions, revisions, flows. */
class DailyClosesTest {
    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static CashPosition position(String scope, String asOf, long balance) {
        return CashPosition.newBuilder()
                .setScope(scope)
                .setCurrency("EUR")
                .setBalanceMinor(balance)
                .setBankReportedBalanceMinor(null)
                .setInTransitMinor(0)
                .setInTransitEstimated(false)
                .setAsOf(Instant.parse(asOf))
                .build();
    }

    private static String show(List<DailyPosition> closes) {
        StringBuilder b = new StringBuilder();
        for (DailyPosition d : closes) {
            b.append(d.getDate()).append('=').append(d.getClosingBalanceMinor()).append(' ');
        }
        return b.toString().strip();
    }

    @Test
    void aDayClosesOnItsLatestPositionAndQuietDaysCarryIt() {
        DailyCloses c = new DailyCloses(DailyCloses.book("psp:STRIPE/store-1", "EUR"));
        assertEquals(
                at("2026-03-02T00:00:00Z"),
                c.add(position("psp:STRIPE/store-1", "2026-03-01T10:00:00Z", 100)));
        c.add(position("psp:STRIPE/store-1", "2026-03-01T15:00:00Z", 150));
        c.add(position("psp:STRIPE/store-1", "2026-03-03T09:00:00Z", 90));
        assertEquals("2026-03-01=150", show(c.close(at("2026-03-02T00:00:00Z"))));
        assertTrue(c.continues());
        assertEquals("2026-03-02=150", show(c.close(at("2026-03-03T00:00:00Z"))));
        List<DailyPosition> third = c.close(at("2026-03-04T00:00:00Z"));
        assertEquals("2026-03-03=90", show(third));
        assertEquals(Instant.parse("2026-03-04T00:00:00Z"), third.get(0).getClosedAt());
        assertEquals(LocalDate.parse("2026-03-03"), third.get(0).getDate());
        assertEquals("UTC", third.get(0).getZone());
    }

    @Test
    void aPositionAtMidnightClosesTheDayBeforeAndALateOneRevisesItsDay() {
        DailyCloses c = new DailyCloses(DailyCloses.book("receivables:FR76:current", "EUR"));
        assertEquals(
                at("2026-03-02T00:00:00Z"),
                c.add(position("receivables:FR76:current", "2026-03-02T00:00:00Z", 500)));
        assertEquals("2026-03-01=500", show(c.close(at("2026-03-02T00:00:00Z"))));
        assertEquals("2026-03-02=500", show(c.close(at("2026-03-03T00:00:00Z"))));
        // A position for the 2nd arrives after it closed: the 2nd is closed again, and carried on.
        c.add(position("receivables:FR76:current", "2026-03-02T18:00:00Z", 650));
        assertEquals("2026-03-02=650 2026-03-03=650", show(c.close(at("2026-03-04T00:00:00Z"))));
    }

    @Test
    void aFlowScopeIsAlreadyDailyAndCarriesNothing() {
        DailyCloses c = new DailyCloses(DailyCloses.book("flow:FR76:PAYROLL", "EUR"));
        c.add(position("flow:FR76:PAYROLL", "2026-03-02T00:00:00Z", -19_000_00));
        assertEquals("2026-03-01=-1900000", show(c.close(at("2026-03-02T00:00:00Z"))));
        assertFalse(c.continues());
        assertEquals("", show(c.close(at("2026-03-03T00:00:00Z"))));
    }

    @Test
    void nothingClosesBeforeTheFirstPosition() {
        DailyCloses c = new DailyCloses(DailyCloses.book("psp:STRIPE/store-1", "EUR"));
        assertEquals("", show(c.close(at("2026-03-02T00:00:00Z"))));
        assertFalse(c.continues());
    }

    /**
     * The same positions, arriving before their day closes or days after it (as an account's
     * position dated by a late statement does), give the same final close for every day.
     */
    @Test
    void theFinalClosesDoNotDependOnWhenPositionsArrive() {
        List<CashPosition> all =
                List.of(
                        position("receivables:FR76:current", "2026-03-01T10:00:00Z", 100),
                        position("receivables:FR76:current", "2026-03-02T00:00:00Z", 120),
                        position("receivables:FR76:current", "2026-03-03T16:00:00Z", 90),
                        position("receivables:FR76:current", "2026-03-04T00:00:00Z", 80),
                        position("receivables:FR76:current", "2026-03-05T12:00:00Z", 300));
        java.util.Map<String, String> inTime = new java.util.TreeMap<>();
        DailyCloses a = new DailyCloses(DailyCloses.book("receivables:FR76:current", "EUR"));
        all.forEach(a::add);
        for (int d = 2; d <= 7; d++) {
            keep(inTime, a.close(at(String.format("2026-03-%02dT00:00:00Z", d))));
        }
        java.util.Map<String, String> late = new java.util.TreeMap<>();
        DailyCloses b = new DailyCloses(DailyCloses.book("receivables:FR76:current", "EUR"));
        b.add(all.get(0));
        for (int d = 2; d <= 7; d++) {
            if (d == 5) b.add(all.get(1)); // three days late
            if (d == 6) {
                b.add(all.get(4)); // in time
                b.add(all.get(3)); // two days late, after a later one
                b.add(all.get(2));
            }
            keep(late, b.close(at(String.format("2026-03-%02dT00:00:00Z", d))));
        }
        assertEquals(inTime, late);
        assertEquals(
                "{2026-03-01=120, 2026-03-02=120, 2026-03-03=80, 2026-03-04=80, 2026-03-05=300, 2026-03-06=300}",
                inTime.toString());
    }

    private static void keep(java.util.Map<String, String> last, List<DailyPosition> closes) {
        for (DailyPosition d : closes) {
            last.put(d.getDate().toString(), String.valueOf(d.getClosingBalanceMinor()));
        }
    }
}
