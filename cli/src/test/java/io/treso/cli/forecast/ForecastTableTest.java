package io.treso.cli.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.ForecastPoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 13-week table: weeks of seven days, flows by kind, the latest forecast only. */
class ForecastTableTest {
    static final LocalDate FIRST = LocalDate.parse("2026-06-15");

    static List<ForecastPoint> forecast(Instant asOf, String scenario, long opening, long daily) {
        List<ForecastPoint> points = new ArrayList<>();
        long balance = opening;
        for (int d = 0; d < 91; d++) {
            long out = d % 7 == 3 ? 50_000 : 0;
            balance += daily - out;
            points.add(
                    ForecastPoint.newBuilder()
                            .setScope("FR76")
                            .setDate(FIRST.plusDays(d))
                            .setCurrency("EUR")
                            .setInflowMinor(daily)
                            .setOutflowMinor(out)
                            .setProjectedBalanceMinor(balance)
                            .setLowMinor(balance - 1_000)
                            .setHighMinor(balance + 1_000)
                            .setScenarioId(scenario)
                            .setAsOf(asOf)
                            .setInflowByKind(Map.of("MODELED_SALES", daily))
                            .setOutflowByKind(out == 0 ? Map.of() : Map.of("PAYABLE", out))
                            .build());
        }
        return points;
    }

    @Test
    void weeksAddUpAndTheLatestForecastIsShown() {
        List<ForecastPoint> points =
                new ArrayList<>(forecast(Instant.parse("2026-06-13T22:00:00Z"), "base", 0, 1));
        points.addAll(forecast(Instant.parse("2026-06-14T22:00:00Z"), "base", 1_000_000, 10_000));
        points.addAll(forecast(Instant.parse("2026-06-14T22:00:00Z"), "slow", 1_000_000, 8_000));
        ForecastTable t = ForecastTable.of(points, "FR76", "base").orElseThrow();
        assertEquals(13, t.weeks().size());
        ForecastTable.Week w1 = t.weeks().get(0);
        assertEquals(1_000_000, w1.openingMinor());
        assertEquals(70_000, w1.inflows().get("MODELED_SALES"));
        assertEquals(50_000, w1.outflows().get("PAYABLE"));
        assertEquals(1_020_000, w1.closingMinor());
        assertEquals(w1.closingMinor(), t.weeks().get(1).openingMinor());
        assertEquals(1_000_000 + 13 * 20_000, t.weeks().get(12).closingMinor());
        StringWriter text = new StringWriter();
        t.print(new PrintWriter(text), ForecastTable.of(points, "FR76", "slow").orElseThrow());
        String out = text.toString();
        assertTrue(
                out.contains("+sales") && out.contains("-payables") && out.contains("closing slow"),
                out);
        assertTrue(out.contains(" 10,200 ") && out.contains("-140"), out);
        StringWriter csv = new StringWriter();
        t.printCsv(new PrintWriter(csv));
        assertTrue(
                csv.toString()
                        .startsWith(
                                "scope,scenario,currency,week,from,to,opening_minor,in_sales_minor,out_payables_minor,closing_minor"),
                csv.toString());
        assertTrue(ForecastTable.of(points, "FR76", "none").isEmpty());
        assertEquals(List.of("FR76"), ForecastTable.scopes(points));
    }
}
