package io.treso.cli.forecast;

import io.treso.event.ForecastPoint;
import io.treso.jobs.alert.Alerts;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The classic 13-week cash table of one forecast (a scope, a scenario, its latest as-of): a row per
 * week with the opening balance, inflows and outflows by kind, the closing balance and its p10–p90
 * band. Plain Java over the forecast points, so the command and the demo print the same table.
 */
public final class ForecastTable {
    /** Column names of the kinds, in a treasurer's words. */
    static final Map<String, String> NAMES =
            Map.ofEntries(
                    Map.entry("PAYOUT", "payouts"),
                    Map.entry("CAPTURED_NOT_PAID_OUT", "captured"),
                    Map.entry("MODELED_SALES", "sales"),
                    Map.entry("RECEIVABLE", "receivables"),
                    Map.entry("PAYABLE", "payables"),
                    Map.entry("RECURRING", "recurring"),
                    Map.entry("REGULAR", "suppliers"),
                    Map.entry("VAT", "VAT"),
                    Map.entry("SCENARIO", "scenario"),
                    Map.entry("CATEGORY_FLOW", "spending"));

    /** One week. Flows by kind are minor units; outflows positive. */
    public record Week(
            int number,
            LocalDate from,
            LocalDate to,
            long openingMinor,
            Map<String, Long> inflows,
            Map<String, Long> outflows,
            long closingMinor,
            long lowMinor,
            long highMinor) {}

    private final String scope;
    private final String scenario;
    private final String currency;
    private final Instant asOf;
    private final List<Week> weeks;
    private final List<String> inKinds;
    private final List<String> outKinds;

    private ForecastTable(
            String scope,
            String scenario,
            String currency,
            Instant asOf,
            List<Week> weeks,
            List<String> inKinds,
            List<String> outKinds) {
        this.scope = scope;
        this.scenario = scenario;
        this.currency = currency;
        this.asOf = asOf;
        this.weeks = weeks;
        this.inKinds = inKinds;
        this.outKinds = outKinds;
    }

    /** The scopes with a forecast, accounts first, then currencies and the base. */
    public static List<String> scopes(List<ForecastPoint> points) {
        TreeSet<String> s =
                new TreeSet<>(
                        Comparator.comparing((String x) -> x.contains(":")).thenComparing(x -> x));
        points.forEach(p -> s.add(p.getScope()));
        return new ArrayList<>(s);
    }

    /**
     * The table of the latest forecast of {@code scope} and {@code scenario} in {@code points}, or
     * empty when there is none.
     */
    public static Optional<ForecastTable> of(
            List<ForecastPoint> points, String scope, String scenario) {
        Instant latest = null;
        for (ForecastPoint p : points) {
            if (!p.getScope().equals(scope) || !p.getScenarioId().equals(scenario)) continue;
            if (latest == null || p.getAsOf().isAfter(latest)) latest = p.getAsOf();
        }
        if (latest == null) return Optional.empty();
        TreeMap<LocalDate, ForecastPoint> days = new TreeMap<>();
        for (ForecastPoint p : points) {
            if (p.getScope().equals(scope)
                    && p.getScenarioId().equals(scenario)
                    && p.getAsOf().equals(latest)) {
                days.put(p.getDate(), p);
            }
        }
        ForecastPoint first = days.firstEntry().getValue();
        long opening =
                first.getProjectedBalanceMinor() - first.getInflowMinor() + first.getOutflowMinor();
        List<Week> weeks = new ArrayList<>();
        TreeSet<String> inKinds = new TreeSet<>(), outKinds = new TreeSet<>();
        List<ForecastPoint> all = new ArrayList<>(days.values());
        for (int w = 0; w * 7 < all.size(); w++) {
            List<ForecastPoint> week = all.subList(w * 7, Math.min(all.size(), w * 7 + 7));
            Map<String, Long> in = new TreeMap<>(), out = new TreeMap<>();
            for (ForecastPoint p : week) {
                p.getInflowByKind().forEach((k, v) -> in.merge(k, v, Long::sum));
                p.getOutflowByKind().forEach((k, v) -> out.merge(k, v, Long::sum));
                // Points written before the flows by kind: their totals, unnamed.
                if (p.getInflowByKind().isEmpty() && p.getInflowMinor() != 0) {
                    in.merge("IN", p.getInflowMinor(), Long::sum);
                }
                if (p.getOutflowByKind().isEmpty() && p.getOutflowMinor() != 0) {
                    out.merge("OUT", p.getOutflowMinor(), Long::sum);
                }
            }
            inKinds.addAll(in.keySet());
            outKinds.addAll(out.keySet());
            ForecastPoint last = week.get(week.size() - 1);
            weeks.add(
                    new Week(
                            w + 1,
                            week.get(0).getDate(),
                            last.getDate(),
                            opening,
                            in,
                            out,
                            last.getProjectedBalanceMinor(),
                            last.getLowMinor(),
                            last.getHighMinor()));
            opening = last.getProjectedBalanceMinor();
        }
        return Optional.of(
                new ForecastTable(
                        scope,
                        scenario,
                        first.getCurrency(),
                        latest,
                        weeks,
                        new ArrayList<>(inKinds),
                        new ArrayList<>(outKinds)));
    }

    public String scope() {
        return scope;
    }

    public List<Week> weeks() {
        return weeks;
    }

    public String currency() {
        return currency;
    }

    /** Whole units with thousands separators: a 13-week table is read in units, not cents. */
    String units(long minor) {
        return String.format(
                "%,d",
                BigDecimal.valueOf(minor, Alerts.digits(currency))
                        .setScale(0, RoundingMode.HALF_UP)
                        .longValueExact());
    }

    private static String name(String kind) {
        return NAMES.getOrDefault(kind, kind.toLowerCase(java.util.Locale.ROOT));
    }

    /** The table as text; {@code compare}, when given, adds its closing balance beside. */
    public void print(PrintWriter out, ForecastTable compare) {
        out.printf(
                "13-week cash forecast of %s (%s), scenario %s, made at %s; in %s, rounded to the unit%n",
                scope, currency, scenario, asOf, currency);
        List<String> header = new ArrayList<>(List.of("week", "from", "opening"));
        inKinds.forEach(k -> header.add("+" + name(k)));
        outKinds.forEach(k -> header.add("-" + name(k)));
        header.addAll(List.of("closing", "low (p10)", "high (p90)"));
        if (compare != null) {
            header.add("closing " + compare.scenario);
            header.add("difference");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (Week w : weeks) {
            List<String> r =
                    new ArrayList<>(
                            List.of(
                                    String.valueOf(w.number()),
                                    w.from().toString(),
                                    units(w.openingMinor())));
            inKinds.forEach(k -> r.add(units(w.inflows().getOrDefault(k, 0L))));
            outKinds.forEach(k -> r.add(units(w.outflows().getOrDefault(k, 0L))));
            r.addAll(List.of(units(w.closingMinor()), units(w.lowMinor()), units(w.highMinor())));
            if (compare != null) {
                Optional<Week> c =
                        compare.weeks.stream().filter(x -> x.number() == w.number()).findFirst();
                r.add(c.map(x -> units(x.closingMinor())).orElse("-"));
                r.add(c.map(x -> units(x.closingMinor() - w.closingMinor())).orElse("-"));
            }
            rows.add(r);
        }
        int[] width = new int[header.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) line.append("  ");
                String cell = r.get(i);
                line.append(i == 1 ? pad(cell, width[i], false) : pad(cell, width[i], true));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** The table as CSV, amounts in minor units so a spreadsheet adds them exactly. */
    public void printCsv(PrintWriter out) {
        List<String> header =
                new ArrayList<>(
                        List.of(
                                "scope",
                                "scenario",
                                "currency",
                                "week",
                                "from",
                                "to",
                                "opening_minor"));
        inKinds.forEach(k -> header.add("in_" + name(k) + "_minor"));
        outKinds.forEach(k -> header.add("out_" + name(k) + "_minor"));
        header.addAll(List.of("closing_minor", "low_minor", "high_minor"));
        out.println(String.join(",", header));
        for (Week w : weeks) {
            List<String> r =
                    new ArrayList<>(
                            List.of(
                                    scope,
                                    scenario,
                                    currency,
                                    String.valueOf(w.number()),
                                    w.from().toString(),
                                    w.to().toString(),
                                    String.valueOf(w.openingMinor())));
            inKinds.forEach(k -> r.add(String.valueOf(w.inflows().getOrDefault(k, 0L))));
            outKinds.forEach(k -> r.add(String.valueOf(w.outflows().getOrDefault(k, 0L))));
            r.addAll(
                    List.of(
                            String.valueOf(w.closingMinor()),
                            String.valueOf(w.lowMinor()),
                            String.valueOf(w.highMinor())));
            out.println(String.join(",", r));
        }
        out.flush();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
