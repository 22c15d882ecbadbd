package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulationTruth;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.ForecastPoint;
import io.treso.event.StatementKind;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.schemas.EventType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast judged against what happened, on two shapes of business of 91 days (the default
 * simulation, with a tax bill known three weeks ahead and monthly VAT returns; and small shops
 * declaring VAT quarterly): forecasts from day 35 on must beat the seasonal-naive forecast by 20 %
 * at 7, 14 and 28 days (MASE ≤ 0.8), their p10–p90 band must hold the actual balance about as often
 * as it says, and the planted shortfall must be seen two weeks before the balance crosses, and
 * cleared by the loan that covers it.
 */
class ForecastQualityTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    static final int[] HORIZONS = {1, 7, 14, 28};
    static final int FROM_DAY = 35;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    record Run(
            String name,
            SimulatorConfig config,
            List<SpecificRecord> events,
            SimulationTruth truth,
            Path out) {}

    static Run base;
    static Run small;
    static Run slow;

    @BeforeAll
    static void replayTwoBusinesses() throws Exception {
        base =
                run(
                        "default",
                        SimulatorConfig.of(42, 91, 3).withShortfallFrom(50).withVat("MONTHLY"));
        small =
                run(
                        "small-shops",
                        SimulatorConfig.of(7, 91, 6)
                                .withProfile(SimulatorConfig.Profile.SMALL_SHOPS)
                                .withVat("QUARTERLY")
                                .withCardSpend());
        slow = run("slow-sales", base.config(), List.of(SLOW_SALES));
    }

    /** Sales × 0.8 for every store from day 50 (2026-05-05). */
    static final String SLOW_SALES =
            "{\"type\":\"control\",\"event_id\":\"scenario-slow\",\"occurred_at\":\"2026-03-15T23:00:00Z\",\"kind\":\"SCENARIO\",\"scope\":\"*\",\"version\":1,\"effective_at\":\"2026-03-15T00:00:00Z\",\"threshold_minor\":null,\"currency\":null,\"time_zone\":null,\"params\":{\"scenario_id\":\"slow-sales\",\"type\":\"SALES\",\"factor\":\"0.8\",\"from\":\"2026-05-05\"}}";

    static Run run(String name, SimulatorConfig config) throws Exception {
        return run(name, config, List.of());
    }

    static Run run(String name, SimulatorConfig config, List<String> first) throws Exception {
        var sim = ShopSimulator.run(config);
        Path events = dir.resolve(name + ".jsonl");
        List<String> lines = new ArrayList<>(first);
        sim.events().forEach(e -> lines.add(EventJson.toLine(e)));
        Files.write(events, lines);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Path out = dir.resolve(name);
        ReplayRuntime.run(env, events, out, TresoOptions.defaults());
        return new Run(name, config, sim.events(), sim.truth(), out);
    }

    @Test
    void beatsSeasonalNaiveByATwentyPercentAndTheBandHoldsTheActual() throws Exception {
        int in = 0, n = 0;
        System.out.printf(
                "%-12s %-28s %4s %5s %14s %14s %6s %7s%n",
                "profile", "account", "h", "n", "MAE", "naive MAE", "MASE", "in band");
        for (Run r : List.of(base, small)) {
            for (var a : r.truth().accounts) {
                List<ForecastAccuracy.Score> scores = score(r, a.accountId);
                for (ForecastAccuracy.Score s : scores) {
                    System.out.printf(
                            "%-12s %-28s %4d %5d %14s %14s %6s %6.0f%%%n",
                            r.name(),
                            a.accountId,
                            s.horizon(),
                            s.n(),
                            io.treso.jobs.alert.Alerts.money(s.maeMinor(), a.currency),
                            io.treso.jobs.alert.Alerts.money(s.naiveMaeMinor(), a.currency),
                            s.mase(),
                            s.coverage().doubleValue() * 100);
                    assertTrue(s.n() >= 15, r.name() + " " + a.accountId + " scored too few: " + s);
                    in += s.inBand();
                    n += s.n();
                    if (s.horizon() >= 7) {
                        assertTrue(
                                s.mase().compareTo(new BigDecimal("0.8")) <= 0,
                                r.name()
                                        + " "
                                        + a.accountId
                                        + " h="
                                        + s.horizon()
                                        + " MASE "
                                        + s.mase());
                    }
                }
            }
        }
        liveScoresEqualTheTestsScores();
        double coverage = (double) in / n;
        System.out.printf(
                "p10-p90 band held the actual balance on %.1f %% of %d (day, horizon) pairs%n",
                coverage * 100, n);
        assertTrue(coverage >= 0.70 && coverage <= 0.90, "band coverage " + coverage);
    }

    @Test
    void seesThePlantedShortfallTwoWeeksAheadAndClearsItWithTheLoan() throws Exception {
        SimulationTruth.Planted plant = base.truth().planted("PROJECTED_SHORTFALL").get(0);
        Instant issued = Instant.parse(plant.at), loan = Instant.parse(plant.until);
        List<CashAlert> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(base.out().resolve(ReplayRuntime.ALERTS))) {
            CashAlert a = (CashAlert) EventJson.fromOutputLine(EventType.ALERT, line);
            if (a.getScope().equals(plant.scope) && !a.getDetectedAt().isBefore(issued))
                alerts.add(a);
        }
        CashAlert seen =
                alerts.stream()
                        .filter(
                                a ->
                                        a.getType().equals(ForecastBook.SHORTFALL)
                                                && a.getState().name().equals("FIRING"))
                        .filter(
                                a ->
                                        a.getSeverity().name().equals("WARNING")
                                                || a.getSeverity().name().equals("CRITICAL"))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no PROJECTED_SHORTFALL after "
                                                        + issued
                                                        + ": "
                                                        + alerts));
        CashAlert low =
                alerts.stream()
                        .filter(
                                a ->
                                        a.getType().equals("LOW_BALANCE")
                                                && a.getState().name().equals("FIRING"))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("the planted dip raised no LOW_BALANCE"));
        long daysAhead =
                java.time.Duration.between(seen.getDetectedAt(), low.getDetectedAt()).toDays();
        System.out.printf(
                "PROJECTED_SHORTFALL at %s, %d days before LOW_BALANCE at %s: %s%n",
                seen.getDetectedAt(), daysAhead, low.getDetectedAt(), seen.getMessage());
        assertTrue(daysAhead >= 14, "seen only " + daysAhead + " days ahead");
        assertTrue(
                seen.getMessage().contains("Direction Generale des Finances"), seen.getMessage());
        CashAlert resolved =
                alerts.stream()
                        .filter(
                                a ->
                                        a.getAlertId().equals(seen.getAlertId())
                                                && a.getState().name().equals("RESOLVED"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("the shortfall never resolved"));
        System.out.printf("resolved at %s after the loan at %s%n", resolved.getDetectedAt(), loan);
        assertEquals(seen.getSeverity(), resolved.getSeverity(), "resolved as it fired");
        assertFalse(
                resolved.getDetectedAt().isBefore(loan), "resolved before the loan: " + resolved);
        assertTrue(
                resolved.getDetectedAt().isBefore(loan.plus(java.time.Duration.ofDays(4))),
                "resolved long after the loan: " + resolved);
    }

    @Test
    void aScenarioOfSlowerSalesLowersTheEndByWhatTheSalesWereAndLeavesTheBaseAlone()
            throws Exception {
        List<String> baseLines = Files.readAllLines(base.out().resolve(ReplayRuntime.FORECAST));
        List<String> slowLines = Files.readAllLines(slow.out().resolve(ReplayRuntime.FORECAST));
        assertEquals(
                baseLines,
                slowLines.stream().filter(l -> l.contains("\"scenario_id\":\"base\"")).toList(),
                "the base path moved with a scenario");
        String account = base.truth().accounts.get(0).accountId;
        TreeMap<String, TreeMap<LocalDate, ForecastPoint>> byScenario = new TreeMap<>();
        Instant last = null;
        for (String line : slowLines) {
            ForecastPoint p = (ForecastPoint) EventJson.fromOutputLine(EventType.FORECAST, line);
            if (p.getScope().equals(account))
                last = last == null || p.getAsOf().isAfter(last) ? p.getAsOf() : last;
        }
        assertTrue(
                last != null && last.isAfter(Instant.parse("2026-05-05T00:00:00Z")),
                "no forecast after day 50");
        for (String line : slowLines) {
            ForecastPoint p = (ForecastPoint) EventJson.fromOutputLine(EventType.FORECAST, line);
            if (p.getScope().equals(account) && p.getAsOf().equals(last)) {
                byScenario
                        .computeIfAbsent(p.getScenarioId(), x -> new TreeMap<>())
                        .put(p.getDate(), p);
            }
        }
        ForecastPoint endBase = byScenario.get(ForecastBook.BASE).lastEntry().getValue();
        ForecastPoint endSlow = byScenario.get("slow-sales").lastEntry().getValue();
        long sales = 0, vat = 0;
        for (ForecastPoint p : byScenario.get(ForecastBook.BASE).values()) {
            sales += p.getInflowByKind().getOrDefault(CashForecast.Kind.MODELED_SALES.name(), 0L);
            vat += p.getOutflowByKind().getOrDefault(CashForecast.Kind.VAT.name(), 0L);
        }
        for (ForecastPoint p : byScenario.get("slow-sales").values()) {
            vat -= p.getOutflowByKind().getOrDefault(CashForecast.Kind.VAT.name(), 0L);
        }
        // Fewer sales also carry less VAT to pay.
        long expected = sales / 5 - vat,
                lower = endBase.getProjectedBalanceMinor() - endSlow.getProjectedBalanceMinor();
        System.out.printf(
                "slow-sales at %s: day-91 balance %s lower than base; 20 %% of the %s of sales modeled, less the %s of VAT they would have carried, is %s%n",
                last, lower, sales, vat, expected);
        assertTrue(sales > 0, "no sales modeled");
        assertTrue(vat > 0 && vat * 3 < sales / 5, "VAT on the sales lost: " + vat);
        assertTrue(
                Math.abs(lower - expected) * 50 <= expected,
                "lowered by " + lower + ", expected " + expected);
    }

    @Test
    void vatIsAccruedAsTheReturnsSayAndForecastOnTheDayTheBankPaysIt() throws Exception {
        int periods = 0;
        for (Run r : List.of(base, small)) {
            Map<String, Long> accrued = new TreeMap<>();
            for (String line : Files.readAllLines(r.out().resolve(ReplayRuntime.POSITIONS))) {
                CashPosition p = (CashPosition) EventJson.fromOutputLine(EventType.POSITION, line);
                if (p.getScope().startsWith("vat:FR:"))
                    accrued.put(p.getScope().substring(7), p.getBalanceMinor());
            }
            Map<String, BankTransaction> payments = new TreeMap<>();
            for (SpecificRecord e : r.events()) {
                if (e instanceof BankTransaction b
                        && b.getReference() != null
                        && b.getReference().startsWith("TVA 2026-")) {
                    payments.put(b.getReference().substring(4), b);
                }
            }
            String account = r.truth().accounts.get(0).accountId;
            for (Map.Entry<String, Long> paid : r.truth().vatPaid.entrySet()) {
                String id = paid.getKey();
                BankTransaction line = payments.get(id);
                LocalDate payDay =
                        line.getBookedAt().atZone(ZoneId.of("Europe/Paris")).toLocalDate();
                // The forecast of the last close before the payment, and of ten days before.
                TreeMap<Instant, Long> vatByForecast = new TreeMap<>();
                for (String l : Files.readAllLines(r.out().resolve(ReplayRuntime.FORECAST))) {
                    ForecastPoint p =
                            (ForecastPoint) EventJson.fromOutputLine(EventType.FORECAST, l);
                    if (p.getScope().equals(account)
                            && p.getScenarioId().equals(ForecastBook.BASE)
                            && p.getDate().equals(payDay)
                            && p.getAsOf().isBefore(line.getBookedAt())) {
                        vatByForecast.put(
                                p.getAsOf(),
                                p.getOutflowByKind()
                                        .getOrDefault(CashForecast.Kind.VAT.name(), 0L));
                    }
                }
                long last = vatByForecast.lastEntry().getValue();
                // Mid-period, most of it is still the sales models' (after their first week).
                int months = id.contains("Q") ? 3 : 1;
                LocalDate end = payDay.withDayOfMonth(1).minusDays(1);
                LocalDate mid =
                        java.util.Collections.max(
                                List.of(
                                        r.config().start().plusDays(10),
                                        end.minusDays(15 * months)));
                long early =
                        vatByForecast
                                .floorEntry(mid.atStartOfDay(ZoneOffset.UTC).toInstant())
                                .getValue();
                System.out.printf(
                        "%-12s VAT %s paid %s on %s: accrued position %s; forecast for that day %s the day before, %s on %s%n",
                        r.name(),
                        id,
                        io.treso.jobs.alert.Alerts.money(paid.getValue(), "EUR"),
                        payDay,
                        io.treso.jobs.alert.Alerts.money(accrued.getOrDefault(id, 0L), "EUR"),
                        io.treso.jobs.alert.Alerts.money(last, "EUR"),
                        io.treso.jobs.alert.Alerts.money(early, "EUR"),
                        mid);
                // Periods cut on UTC days, the return on Paris days: a sale after 22:00 UTC on
                // the last day may differ.
                assertTrue(
                        Math.abs(accrued.get(id) - paid.getValue()) * 200 <= paid.getValue(),
                        r.name() + " " + id + " accrued " + accrued.get(id));
                assertEquals(
                        accrued.get(id), last, r.name() + " " + id + " forecast the day before");
                assertTrue(
                        Math.abs(early - paid.getValue()) * 5 <= paid.getValue(),
                        r.name() + " " + id + " forecast mid-period " + early);
                periods++;
            }
        }
        assertTrue(periods >= 3, "only " + periods + " VAT returns paid in the simulations");
    }

    /**
     * The job's own scoring ({@link LiveAccuracy}, from the points alone, in their order) agrees
     * with the test's, over the same forecasts (the last n of each horizon).
     */
    static void liveScoresEqualTheTestsScores() throws Exception {
        for (Run r : List.of(base, small)) {
            List<ForecastPoint> points = new ArrayList<>();
            for (String l : Files.readAllLines(r.out().resolve(ReplayRuntime.FORECAST))) {
                points.add((ForecastPoint) EventJson.fromOutputLine(EventType.FORECAST, l));
            }
            for (var a : r.truth().accounts) {
                for (ForecastAccuracy.Score s : score(r, a.accountId)) {
                    LiveAccuracy live = new LiveAccuracy(s.n());
                    LiveAccuracy.Reading last = null;
                    for (ForecastPoint p : points) {
                        for (LiveAccuracy.Reading x : live.accept(p)) {
                            if (x.scope().equals(a.accountId) && x.horizon() == s.horizon())
                                last = x;
                        }
                    }
                    String what = r.name() + " " + a.accountId + " h=" + s.horizon();
                    assertTrue(last != null && last.n() == s.n(), what + ": " + last);
                    assertEquals(s.maeMinor(), last.maeMinor(), what);
                    assertEquals(s.mase().doubleValue(), last.mase(), 0.0001, what);
                    assertEquals(s.coverage().doubleValue(), last.bandHeld(), 0.0001, what);
                }
            }
        }
    }

    /** The account's scores: its forecasts against its end-of-day closes. */
    static List<ForecastAccuracy.Score> score(Run r, String account) throws Exception {
        ZoneId zone = ZoneOffset.UTC;
        TreeMap<LocalDate, Long> closes = new TreeMap<>();
        for (SpecificRecord e : r.events()) {
            if (e instanceof ControlCommand c
                    && AccountConfig.KIND.equals(c.getKind())
                    && c.getScope().equals(account)
                    && c.getTimeZone() != null) {
                zone = ZoneId.of(c.getTimeZone());
            }
        }
        for (SpecificRecord e : r.events()) {
            if (e instanceof BankStatement s
                    && s.getAccountId().equals(account)
                    && s.getKind() == StatementKind.END_OF_DAY) {
                closes.put(
                        s.getPeriodEnd().minusMillis(1).atZone(zone).toLocalDate(),
                        s.getClosingBalanceMinor());
            }
        }
        Map<LocalDate, Map<LocalDate, ForecastAccuracy.Projection>> forecasts = new TreeMap<>();
        for (String line : Files.readAllLines(r.out().resolve(ReplayRuntime.FORECAST))) {
            ForecastPoint p = (ForecastPoint) EventJson.fromOutputLine(EventType.FORECAST, line);
            if (!p.getScope().equals(account) || !p.getScenarioId().equals(ForecastBook.BASE))
                continue;
            LocalDate made = p.getAsOf().minusMillis(1).atZone(zone).toLocalDate();
            forecasts
                    .computeIfAbsent(made, m -> new TreeMap<>())
                    .put(
                            p.getDate(),
                            new ForecastAccuracy.Projection(
                                    p.getProjectedBalanceMinor(),
                                    p.getLowMinor(),
                                    p.getHighMinor()));
        }
        assertFalse(forecasts.isEmpty(), "no forecast of " + account);
        return ForecastAccuracy.score(
                closes, forecasts, HORIZONS, r.config().start().plusDays(FROM_DAY));
    }
}
