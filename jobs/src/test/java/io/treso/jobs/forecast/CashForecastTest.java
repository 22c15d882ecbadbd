package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.jobs.forecast.CashForecast.Item;
import io.treso.jobs.forecast.CashForecast.Kind;
import io.treso.jobs.forecast.CashForecast.Point;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CashForecastTest {
    static final LocalDate AS_OF = LocalDate.parse("2026-04-10");

    static Item item(String date, long amount, Kind kind, String label) {
        return new Item(LocalDate.parse(date), amount, kind, label);
    }

    static final List<Item> ITEMS =
            List.of(
                    item("2026-04-08", 5_000_00, Kind.RECEIVABLE, "INV-7 (late)"),
                    item("2026-04-14", 12_000_00, Kind.PAYOUT, "Amazon settlement"),
                    item("2026-04-30", -19_000_00, Kind.RECURRING, "payroll"),
                    item("2026-04-30", -800_00, Kind.RECURRING, "rent"),
                    item("2026-05-20", -10_488_75, Kind.VAT, "VAT 2026-04"),
                    item("2026-09-01", -99_000_00, Kind.PAYABLE, "beyond the horizon"));

    @Test
    void eachDayAddsItsItemsToTheBalanceAndTheBandWidens() {
        List<Point> p = CashForecast.project(AS_OF, 20_000_00, ITEMS, new long[] {1_000}, 91);
        assertEquals(91, p.size());
        assertEquals(LocalDate.parse("2026-04-11"), p.get(0).date());
        assertEquals(25_000_00, p.get(0).projectedMinor(), "the late receivable on day 1");
        assertEquals(37_000_00, p.get(3).projectedMinor(), "the settlement on the 14th");
        Point payday = p.get(19);
        assertEquals(LocalDate.parse("2026-04-30"), payday.date());
        assertEquals(19_800_00, payday.outflowMinor());
        assertEquals(17_200_00, payday.projectedMinor());
        assertEquals(6_711_25, p.get(90).projectedMinor(), "the VAT; September is past day 91");
        assertEquals(1_606, p.get(0).highMinor() - p.get(0).projectedMinor());
        assertTrue(
                p.get(90).projectedMinor() - p.get(90).lowMinor()
                        > p.get(6).projectedMinor() - p.get(6).lowMinor());
    }

    @Test
    void theCrossingNamesItsDayAndItsThreeLargestOutflows() {
        List<Point> p = CashForecast.project(AS_OF, 20_000_00, ITEMS, new long[] {100_000}, 91);
        var median = CashForecast.firstCrossing(AS_OF, p, ITEMS, 10_000_00, false).orElseThrow();
        assertEquals(LocalDate.parse("2026-05-20"), median.date());
        assertEquals(
                List.of("payroll", "VAT 2026-04", "rent"),
                median.drivers().stream().map(Item::label).toList());
        // p10 on day 21: 17,200.00 − 1.2816 × 1.2533 × 1,000.00 × √21 = 9,839.15.
        var p10 = CashForecast.firstCrossing(AS_OF, p, ITEMS, 10_000_00, true).orElseThrow();
        assertEquals(LocalDate.parse("2026-05-01"), p10.date(), "the p10 path crosses first");
        assertEquals(List.of("payroll", "rent"), p10.drivers().stream().map(Item::label).toList());
        assertTrue(CashForecast.firstCrossing(AS_OF, p, ITEMS, 0, false).isEmpty());
    }
}
