package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.CashAlert;
import io.treso.event.ControlCommand;
import io.treso.event.ForecastPoint;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forecast's book without Flink: the bank's side (lines and closes in each account's order)
 * meets the other streams' daily snapshot, and the result must not depend on which came first.
 */
class ForecastBookTest {
    static final String ACCOUNT = "FR76";
    static final long DAY = 86_400_000L;
    static final long T0 = Instant.parse("2026-03-16T00:00:00Z").toEpochMilli();
    static final int D0 = (int) LocalDate.parse("2026-03-16").toEpochDay();

    static ForecastEvent close(int day, long balance) {
        ForecastEvent e = event(ForecastEvent.Kind.CLOSE, T0 + (day + 1) * DAY, "close-" + day);
        e.account = ACCOUNT;
        e.amountMinor = balance;
        return e;
    }

    static ForecastEvent bill(String doc, int dueDay, long amount, long at) {
        ForecastEvent e = event(ForecastEvent.Kind.OBLIGATION, at, doc);
        e.counterparty = "Acme Packaging SARL";
        e.label = "PAYABLE";
        e.amountMinor = amount;
        e.otherMinor = -1;
        e.day = D0 + dueDay;
        e.status = "OPEN";
        return e;
    }

    static ForecastEvent line(int day, long amount, String counterparty, String reference) {
        ForecastEvent e =
                event(
                        ForecastEvent.Kind.BANK,
                        T0 + day * DAY + 36_000_000L,
                        "line-" + day + "-" + amount);
        e.account = ACCOUNT;
        e.counterparty = counterparty;
        e.label = reference;
        e.amountMinor = amount;
        e.day = D0 + day;
        return e;
    }

    static ForecastEvent threshold(long minor, long margin) {
        ForecastEvent e = event(ForecastEvent.Kind.THRESHOLD, T0 - DAY, "threshold");
        e.account = ACCOUNT;
        e.otherMinor = minor;
        e.marginMinor = margin;
        e.amountMinor = 1;
        return e;
    }

    static ForecastEvent event(ForecastEvent.Kind kind, long time, String id) {
        ForecastEvent e = new ForecastEvent();
        e.kind = kind;
        e.time = time;
        e.id = id;
        e.currency = "EUR";
        return e;
    }

    /** The book with the account known, a first close, and a bill due on day 5 known on day 1. */
    static ForecastBook book() {
        ForecastBook b = new ForecastBook();
        b.apply(threshold(100_000, 10_000));
        b.apply(close(0, 500_000));
        b.views.clear();
        b.apply(bill("BILL-1", 5, 300_000, T0 + DAY + 1));
        return b;
    }

    static long outflowOn(List<ForecastPoint> points, String scope, int day) {
        return points.stream()
                .filter(
                        p ->
                                p.getScope().equals(scope)
                                        && p.getDate().equals(LocalDate.ofEpochDay(D0 + day)))
                .mapToLong(ForecastPoint::getOutflowMinor)
                .sum();
    }

    @Test
    void aBillThePaymentOfWhichTheCloseHasSeenIsInTheBalanceNotTheForecast() {
        ForecastBook b = book();
        DaySnapshot s = b.snapshot(D0 + 2, T0 + 3 * DAY, List.of(), 3);
        b.apply(line(2, -300_000, "Acme Packaging SARL", "BILL-1"));
        b.apply(close(2, 200_000));
        ForecastBook.Result r = b.combine(b.waiting(ACCOUNT).remove(0), s);
        assertEquals(0, outflowOn(r.points(), ACCOUNT, 5), "paid before the close");
        // Paid only after the next close was taken: that close still expects it.
        ForecastBook c = book();
        DaySnapshot s2 = c.snapshot(D0 + 2, T0 + 3 * DAY, List.of(), 3);
        c.apply(close(2, 500_000));
        c.apply(line(3, -300_000, "Acme Packaging SARL", "BILL-1"));
        assertEquals(
                300_000,
                outflowOn(c.combine(c.waiting(ACCOUNT).remove(0), s2).points(), ACCOUNT, 5));
    }

    @Test
    void aPaidStatusArrivingBeforeTheBanksCloseChangesNothingTheCloseSees() {
        List<List<ForecastPoint>> runs = new java.util.ArrayList<>();
        for (boolean paidStatusFirst : new boolean[] {false, true}) {
            ForecastBook b = book();
            // Three bills, each paid two days late: Acme's next is expected two days late too.
            for (int k = 0; k < 3; k++) {
                b.apply(bill("BILL-A" + k, 2 + k, 10_000 + k, T0 + DAY + 1));
                b.apply(line(4 + k, -10_000 - k, "Acme Packaging SARL", "BILL-A" + k));
            }
            b.apply(bill("BILL-2", 12, 100_000, T0 + 6 * DAY + 1));
            b.apply(close(7, 500_000));
            DaySnapshot s = b.snapshot(D0 + 7, T0 + 8 * DAY, List.of(), 3);
            if (paidStatusFirst) {
                // The accounting tool's PAID statuses come in before the bank's close does.
                for (int k = 0; k < 3; k++) {
                    ForecastEvent paid = bill("BILL-A" + k, 2 + k, 10_000 + k, T0 + 9 * DAY);
                    paid.status = "PAID";
                    b.apply(paid);
                }
            }
            runs.add(b.combine(b.waiting(ACCOUNT).remove(0), s).points());
        }
        assertEquals(100_000, outflowOn(runs.get(0), ACCOUNT, 14), "due on 12, paid 2 days late");
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void aLineThatCameBeforeItsBillSettlesItAsIfItHadComeAfter() {
        ForecastBook first = new ForecastBook();
        first.apply(threshold(100_000, 10_000));
        first.apply(close(0, 500_000));
        first.apply(line(2, -300_000, "ACME PACKAGING SARL", "VIREMENT"));
        first.apply(bill("BILL-1", 5, 300_000, T0 + DAY + 1));
        ForecastBook second = book();
        second.apply(line(2, -300_000, "ACME PACKAGING SARL", "VIREMENT"));
        assertEquals(first.settled.get("BILL-1").line, second.settled.get("BILL-1").line);
        assertEquals(first.delays(9, D0 + 9), second.delays(9, D0 + 9));
        assertEquals(D0 + 2, first.settled.get("BILL-1").day, "paid 3 days before it was due");
    }

    @Test
    void aShortfallNamesWhatDrivesItAndClearsOnlyPastTheMargin() {
        ForecastBook b = book();
        b.apply(close(1, 350_000));
        DaySnapshot s = b.snapshot(D0 + 1, T0 + 2 * DAY, List.of(), 3);
        ForecastBook.Result r = b.combine(b.waiting(ACCOUNT).remove(0), s);
        CashAlert a = r.alerts().get(0);
        assertEquals(ForecastBook.SHORTFALL, a.getType());
        assertEquals("FIRING", a.getState().name());
        assertEquals("CRITICAL", a.getSeverity().name(), "4 days ahead");
        assertTrue(
                a.getMessage()
                        .contains(
                                "on 21 Mar 2026; driven by Acme Packaging SARL 3,000.00 EUR on 21 Mar 2026"),
                a.getMessage());
        // The bill paid: 105,000 is above the threshold but within its margin, so it stays open.
        b.apply(line(5, -300_000, "Acme Packaging SARL", "BILL-1"));
        b.apply(close(5, 105_000));
        DaySnapshot s5 = b.snapshot(D0 + 5, T0 + 6 * DAY, List.of(), 3);
        assertTrue(
                b.combine(b.waiting(ACCOUNT).remove(b.waiting(ACCOUNT).size() - 1), s5)
                        .alerts()
                        .isEmpty());
        b.apply(close(6, 200_000));
        DaySnapshot s6 = b.snapshot(D0 + 6, T0 + 7 * DAY, List.of(), 3);
        List<CashAlert> resolved =
                b.combine(b.waiting(ACCOUNT).remove(b.waiting(ACCOUNT).size() - 1), s6).alerts();
        assertEquals("RESOLVED", resolved.get(0).getState().name());
        assertEquals(a.getAlertId(), resolved.get(0).getAlertId());
        // Resolved as it fired: the boards count firing alerts by severity.
        assertEquals("CRITICAL", resolved.get(0).getSeverity().name());
    }

    @Test
    void lineTimesBeforeACombinedStatementAreForgotten() {
        ForecastBook b = book();
        for (int d = 1; d <= 3; d++) b.apply(line(d, -1_000 * d, "Shop " + d, "x"));
        ForecastEvent c = close(3, 400_000);
        c.otherMinor = T0 + 3 * DAY;
        c.entries = 1;
        b.apply(c);
        assertEquals(3, b.booked.get(ACCOUNT).size());
        DaySnapshot s = b.snapshot(D0 + 3, T0 + 4 * DAY, List.of(), 3);
        BankView v = b.waiting(ACCOUNT).get(0);
        assertTrue(b.ready(v, false), "its one line is in");
        b.combine(b.waiting(ACCOUNT).remove(0), s);
        assertEquals(
                List.of(T0 + 3 * DAY + 36_000_000L), List.copyOf(b.booked.get(ACCOUNT).keySet()));
    }

    @Test
    void theCurrencyPathOfOneAccountIsItsPath() {
        ForecastBook b = book();
        b.apply(close(1, 700_000));
        DaySnapshot s = b.snapshot(D0 + 1, T0 + 2 * DAY, List.of(), 3);
        List<ForecastPoint> points = b.combine(b.waiting(ACCOUNT).remove(0), s).points();
        assertEquals(2 * CashForecast.HORIZON_DAYS, points.size());
        for (int d = 2; d < 20; d++) {
            assertEquals(outflowOn(points, ACCOUNT, d), outflowOn(points, "currency:EUR", d));
        }
        assertFalse(points.stream().anyMatch(p -> !p.getScenarioId().equals(ForecastBook.BASE)));
    }

    @Test
    void theBaseCurrencyPathComesWhenEveryAccountHasClosedTheDayWhicheverReportsLast() {
        List<List<ForecastPoint>> runs = new java.util.ArrayList<>();
        for (boolean usdFirst : new boolean[] {true, false}) {
            ForecastBook b = book();
            ForecastEvent fx = event(ForecastEvent.Kind.FX, T0, "fx");
            fx.currency = "USD";
            fx.status = "EUR";
            fx.label = "0.9";
            b.apply(fx);
            ForecastEvent usd = close(0, 100_000);
            usd.account = "GB33";
            usd.currency = "USD";
            b.apply(usd);
            b.views.get("GB33").clear();
            DaySnapshot s = b.snapshot(D0 + 1, T0 + 2 * DAY, List.of(), 3);
            ForecastEvent eurClose = close(1, 700_000), usdClose = close(1, 100_000);
            usdClose.account = "GB33";
            usdClose.currency = "USD";
            List<ForecastPoint> points = new java.util.ArrayList<>();
            for (ForecastEvent c :
                    usdFirst ? List.of(usdClose, eurClose) : List.of(eurClose, usdClose)) {
                b.apply(c);
                List<ForecastPoint> got = b.combine(b.waiting(c.account).remove(0), s).points();
                boolean last = c == (usdFirst ? eurClose : usdClose);
                assertEquals(
                        last,
                        got.stream().anyMatch(p -> p.getScope().equals("base:EUR")),
                        "the base path waits for the last account of the day");
                points.addAll(got.stream().filter(p -> p.getScope().startsWith("base:")).toList());
            }
            // 700,000 EUR less the bill, plus 100,000 USD at 0.9.
            assertEquals(
                    700_000 - 300_000 + 90_000,
                    points.stream()
                            .filter(p -> p.getDate().equals(LocalDate.ofEpochDay(D0 + 10)))
                            .findFirst()
                            .orElseThrow()
                            .getProjectedBalanceMinor());
            runs.add(points);
        }
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void scenariosAreCheckedAtTheDoor() {
        assertEquals(
                8_000,
                Scenario.of(command(Map.of("scenario_id", "s", "type", "SALES", "factor", "0.8")))
                        .orElseThrow()
                        .factorBps);
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Scenario.of(
                                command(
                                        Map.of(
                                                "scenario_id",
                                                "s",
                                                "type",
                                                "SALES",
                                                "factor",
                                                "lots"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> Scenario.of(command(Map.of("scenario_id", "base", "type", "OFF"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> Scenario.of(command(Map.of("scenario_id", "s", "type", "WHAT"))));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Scenario.of(
                                command(
                                        Map.of(
                                                "scenario_id",
                                                "s",
                                                "type",
                                                "EXTRA",
                                                "date",
                                                "2026-05-01",
                                                "amount_minor",
                                                "12.50"))));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Scenario.of(command(Map.of("type", "OFF"))));
        assertEquals("params.scenario_id is required", e.getMessage());
    }

    @Test
    void aScenarioEndsWithOffAndALaterVersionReplacesAnEarlierOne() {
        Scenario v1 = SalesSeriesTest.rule(Scenario.Type.SALES, "*", 8_000, 0);
        Scenario v2 = SalesSeriesTest.rule(Scenario.Type.SALES, "*", 5_000, 0);
        v2.version = 2;
        Scenario off = SalesSeriesTest.rule(Scenario.Type.OFF, "*", 0, 0);
        off.effectiveAt = 100;
        assertEquals(
                5_000, ScenarioRules.inForce(List.of(v1, v2), 50).salesFactorBps("store-1", D0));
        assertTrue(ScenarioRules.inForce(List.of(v1, v2, off), 100).isEmpty());
    }

    static ControlCommand command(Map<String, String> params) {
        return ControlCommand.newBuilder()
                .setEventId("c")
                .setOccurredAt(Instant.EPOCH)
                .setKind(Scenario.KIND)
                .setScope("*")
                .setVersion(1)
                .setEffectiveAt(Instant.EPOCH)
                .setCurrency("EUR")
                .setParams(params)
                .build();
    }

    static ForecastEvent vatRule() {
        ForecastEvent e = event(ForecastEvent.Kind.VAT, T0 - DAY, "vat");
        e.vat =
                VatRule.of(
                                ControlCommand.newBuilder()
                                        .setEventId("vat")
                                        .setOccurredAt(Instant.ofEpochMilli(T0 - DAY))
                                        .setKind(VatRule.KIND)
                                        .setScope("FR")
                                        .setVersion(1)
                                        .setEffectiveAt(Instant.ofEpochMilli(T0 - DAY))
                                        .setCurrency("EUR")
                                        .setParams(
                                                Map.of(
                                                        "regime", "MONTHLY",
                                                        "due_day", "19",
                                                        "payee", "DGFIP"))
                                        .build())
                        .orElseThrow();
        return e;
    }

    @Test
    void aVatReturnIsPlannedOnItsBankDayAndLeavesOnceTheTaxOfficeIsPaid() throws Exception {
        ForecastBook b = book();
        b.apply(vatRule());
        SalesSeries shop = SalesSeries.of("store-1|STRIPE", "EUR");
        shop.capture(D0 + 1, 60_000, 10_000);
        shop.closeThrough(D0 + 15);
        // 2026-03 is due on Sunday 19 April: TARGET pays it on Monday the 20th.
        int apr20 = (int) LocalDate.parse("2026-04-20").toEpochDay() - D0;
        DaySnapshot s = b.snapshot(D0 + 15, T0 + 16 * DAY, List.of(shop), 3);
        b.apply(close(15, 900_000));
        ForecastBook.Result r = b.combine(b.waiting(ACCOUNT).remove(0), s);
        assertEquals(10_000, outflowOn(r.points(), ACCOUNT, apr20));
        assertEquals(
                10_000,
                b.vatPositions(D0 + 15, T0 + 16 * DAY, List.of(shop)).get(0).getBalanceMinor());
        assertTrue(
                b.vatPositions(D0 + 15, T0 + 16 * DAY, List.of(shop)).isEmpty(),
                "published again unchanged");

        // The state survives a checkpoint whole.
        for (ForecastBook x : List.of(b)) {
            byte[] once = bytes(ForecastBookSerializer.INSTANCE, x);
            assertArrayEquals(
                    once,
                    bytes(
                            ForecastBookSerializer.INSTANCE,
                            ForecastBookSerializer.INSTANCE.deserialize(
                                    new org.apache.flink.core.memory.DataInputDeserializer(once))));
        }
        byte[] series = bytes(SalesSeriesSerializer.INSTANCE, shop);
        assertArrayEquals(
                series,
                bytes(
                        SalesSeriesSerializer.INSTANCE,
                        SalesSeriesSerializer.INSTANCE.deserialize(
                                new org.apache.flink.core.memory.DataInputDeserializer(series))));
        byte[] rule = bytes(ForecastEventSerializer.INSTANCE, vatRule());
        assertEquals(
                "DGFIP",
                ForecastEventSerializer.INSTANCE.deserialize(
                                new org.apache.flink.core.memory.DataInputDeserializer(rule))
                        .vat
                        .payee);

        // Not paid on its day: expected the next (the book restored from its own bytes).
        ForecastBook unpaid =
                ForecastBookSerializer.INSTANCE.deserialize(
                        new org.apache.flink.core.memory.DataInputDeserializer(
                                bytes(ForecastBookSerializer.INSTANCE, b)));
        unpaid.apply(close(apr20, 900_000));
        DaySnapshot u = unpaid.snapshot(D0 + apr20, T0 + (apr20 + 1) * DAY, List.of(shop), 3);
        assertEquals(
                10_000,
                vatOn(unpaid.combine(unpaid.waiting(ACCOUNT).remove(0), u).points(), apr20 + 1));

        // Paid on the 20th: the next close no longer plans it, and a tax office is no supplier.
        b.apply(line(apr20, -10_000, "DGFIP", "TVA 2026-03"));
        b.apply(line(apr20, -10_000, "DGFIP", "TVA 2026-03")); // delivered twice, paid once
        b.apply(close(apr20, 890_000));
        DaySnapshot t = b.snapshot(D0 + apr20, T0 + (apr20 + 1) * DAY, List.of(shop), 3);
        ForecastBook.Result paid = b.combine(b.waiting(ACCOUNT).remove(0), t);
        assertEquals(0, vatOn(paid.points(), apr20 + 1), "the return is paid");
        assertEquals(1, b.debits.get(ACCOUNT + "|dgfip").days.size(), "one payment");
    }

    static long vatOn(List<ForecastPoint> points, int day) {
        return points.stream()
                .filter(
                        p ->
                                p.getScope().equals(ACCOUNT)
                                        && p.getDate().equals(LocalDate.ofEpochDay(D0 + day)))
                .mapToLong(p -> p.getOutflowByKind().getOrDefault("VAT", 0L))
                .sum();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static byte[] bytes(org.apache.flink.api.common.typeutils.TypeSerializer s, Object v)
            throws Exception {
        org.apache.flink.core.memory.DataOutputSerializer out =
                new org.apache.flink.core.memory.DataOutputSerializer(256);
        s.serialize(v, out);
        return out.getCopyOfBuffer();
    }
}
