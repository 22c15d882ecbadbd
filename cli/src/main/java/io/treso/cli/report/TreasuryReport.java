package io.treso.cli.report;

import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the treasury report says, taken from the pipelines' outputs ({@link ReportData}) over a
 * period: it selects, groups and sums them, and applies the {@link Kpis} formulas; it never
 * re-derives a balance, a match or an alert.
 */
public final class TreasuryReport {
    /** Statuses a person still has to settle. */
    private static final Set<ReconciliationStatus> OPEN =
            Set.of(
                    ReconciliationStatus.UNMATCHED,
                    ReconciliationStatus.AMBIGUOUS,
                    ReconciliationStatus.AMOUNT_MISMATCH,
                    ReconciliationStatus.PARTIAL,
                    ReconciliationStatus.UNKNOWN);

    /** Ages of open items, in days since the bank line was booked. */
    public static final List<String> AGE_BUCKETS = List.of("0-2 d", "3-7 d", "8-30 d", "over 30 d");

    public final LocalDate from;
    public final LocalDate to;
    public final String baseCurrency;
    public final String source;

    /** Bank accounts (scopes without a prefix), by scope. */
    public final List<CashPosition> accounts = new ArrayList<>();

    /** {@code currency:} and {@code base:} totals. */
    public final List<CashPosition> totals = new ArrayList<>();

    /** The currencies the pipeline consolidated in ({@code base:} scopes). */
    public final java.util.SortedSet<String> consolidatedIn = new java.util.TreeSet<>();

    /** What each PSP owes ({@code psp:}) and what is in transit to the bank ({@code transit:}). */
    public final List<CashPosition> psps = new ArrayList<>();

    /** Each account's daily closes in the period, by account. */
    public final SortedMap<String, List<DailyPosition>> series = new TreeMap<>();

    /** Net flow by currency, week (its Monday) and category, from the {@code flow:} closes. */
    public final SortedMap<String, SortedMap<LocalDate, SortedMap<String, Long>>> flows =
            new TreeMap<>();

    /** Payouts received in the period by PSP (as the bank names it) and currency. */
    public final SortedMap<String, Long> payoutsByPsp = new TreeMap<>();

    /**
     * Sales captured in the period, by store and PSP ("store-1 SHOPIFY_PAYMENTS EUR"): the growth
     * of the PSP ledger's psp-captured: totals.
     */
    public final SortedMap<StorePsp, Long> salesByStoreAndPsp = new TreeMap<>();

    /** A store on a PSP, in one currency. */
    public record StorePsp(String store, String psp, String currency)
            implements Comparable<StorePsp> {
        @Override
        public int compareTo(StorePsp o) {
            return Comparator.comparing(StorePsp::store)
                    .thenComparing(StorePsp::psp)
                    .thenComparing(StorePsp::currency)
                    .compare(this, o);
        }
    }

    /** Open reconciliation items: count and amount per age bucket and currency. */
    public final Map<String, int[]> openCounts = new LinkedHashMap<>();

    public final Map<String, SortedMap<String, Long>> openAmounts = new LinkedHashMap<>();

    /** Alerts that fired in the period, by type. */
    public final SortedMap<String, List<CashAlert>> alertsByType = new TreeMap<>();

    /** Receivables past due ({@code receivables:<account>:<bucket>}, not "current"), non-zero. */
    public final List<CashPosition> overdueReceivables = new ArrayList<>();

    /**
     * Every day's close of the other series (psp:, the PSP totals, receivables:, payables:), by
     * scope, the days before the period too: KPIs take differences across it.
     */
    private final Map<String, List<DailyPosition>> others = new TreeMap<>();

    /** The KPIs, in the order the report shows them. */
    public final List<Kpi> kpis = new ArrayList<>();

    /**
     * One KPI value: {@code minor} money in {@code currency}, or a {@code ratio} with its {@code
     * unit}; neither when undefined for the data.
     */
    public record Kpi(
            String id,
            String label,
            String subject,
            Long minor,
            String currency,
            BigDecimal ratio,
            String unit,
            String undefinedAs,
            String definition) {}

    private TreasuryReport(LocalDate from, LocalDate to, String baseCurrency, String source) {
        this.from = from;
        this.to = to;
        this.baseCurrency = baseCurrency;
        this.source = source;
    }

    /**
     * The report of {@code data} from {@code from} to {@code to} (inclusive; null: the first and
     * last day the daily closes hold).
     */
    public static TreasuryReport of(
            ReportData data, LocalDate from, LocalDate to, String baseCurrency, String source) {
        LocalDate first =
                data.daily().stream()
                        .map(DailyPosition::getDate)
                        .min(Comparator.naturalOrder())
                        .orElse(LocalDate.now(ZoneOffset.UTC));
        LocalDate last =
                data.daily().stream()
                        .map(DailyPosition::getDate)
                        .max(Comparator.naturalOrder())
                        .orElse(first);
        TreasuryReport r =
                new TreasuryReport(
                        from == null ? first : from, to == null ? last : to, baseCurrency, source);
        if (r.to.isBefore(r.from)) {
            throw new IllegalArgumentException(
                    "--to-date " + r.to + " is before --from-date " + r.from);
        }
        r.cashNow(data.positions());
        r.history(data.daily());
        r.needsAPerson(data);
        r.kpis(data);
        r.coming(data);
        return r;
    }

    /** Each account's latest base forecast, as the 13-week table; empty without a forecast. */
    public final List<io.treso.cli.forecast.ForecastTable> forecasts = new ArrayList<>();

    /** The scenarios the forecast holds besides the base. */
    public final java.util.SortedSet<String> scenarios = new java.util.TreeSet<>();

    /** The projected shortfalls firing at the end of the period, their latest state. */
    public final List<CashAlert> shortfalls = new ArrayList<>();

    private void coming(ReportData data) {
        List<io.treso.event.ForecastPoint> upTo =
                data.forecast().stream().filter(p -> !p.getAsOf().isAfter(end())).toList();
        for (String scope : io.treso.cli.forecast.ForecastTable.scopes(upTo)) {
            if (!isAccount(scope)) continue;
            io.treso.cli.forecast.ForecastTable.of(upTo, scope, "base").ifPresent(forecasts::add);
        }
        upTo.forEach(p -> scenarios.add(p.getScenarioId()));
        scenarios.remove("base");
        java.util.Map<String, CashAlert> last = new java.util.TreeMap<>();
        for (CashAlert a : data.alerts()) {
            if (a.getType().equals("PROJECTED_SHORTFALL") && !a.getDetectedAt().isAfter(end())) {
                last.put(a.getAlertId(), a);
            }
        }
        last.values().stream()
                .filter(a -> a.getState().name().equals("FIRING"))
                .forEach(shortfalls::add);
    }

    /** The period's end, as an instant: the midnight after {@link #to}. */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private boolean inPeriod(Instant t) {
        return t != null && !t.isBefore(start()) && t.isBefore(end());
    }

    private boolean inPeriod(LocalDate d) {
        return !d.isBefore(from) && !d.isAfter(to);
    }

    private void cashNow(List<CashPosition> positions) {
        for (CashPosition p : positions) {
            String s = p.getScope();
            if (s.startsWith("base:")) consolidatedIn.add(p.getCurrency());
            if (isAccount(s)) accounts.add(p);
            else if (s.startsWith("currency:") || s.equals("base:" + baseCurrency)) totals.add(p);
            else if (s.startsWith("psp:") || s.startsWith("transit:")) psps.add(p);
            else if (s.startsWith("receivables:")
                    && !s.endsWith(":current")
                    && p.getBalanceMinor() != 0) {
                overdueReceivables.add(p);
            }
        }
        Comparator<CashPosition> byScope =
                Comparator.comparing(CashPosition::getScope)
                        .thenComparing(CashPosition::getCurrency);
        accounts.sort(byScope);
        totals.sort(byScope);
        psps.sort(byScope);
        overdueReceivables.sort(byScope);
    }

    /** A bank account's scope has no {@code kind:} prefix. */
    public static boolean isAccount(String scope) {
        return !scope.contains(":");
    }

    private void history(List<DailyPosition> daily) {
        for (DailyPosition d : daily) {
            String s = d.getScope();
            if (!isAccount(s) && !s.startsWith("flow:")) {
                others.computeIfAbsent(s, k -> new ArrayList<>()).add(d);
            }
            if (!inPeriod(d.getDate())) continue;
            if (isAccount(s)) {
                series.computeIfAbsent(s, k -> new ArrayList<>()).add(d);
            } else if (s.startsWith("flow:")) {
                String category = s.substring(s.lastIndexOf(':') + 1);
                LocalDate week =
                        d.getDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                flows.computeIfAbsent(d.getCurrency(), k -> new TreeMap<>())
                        .computeIfAbsent(week, k -> new TreeMap<>())
                        .merge(category, d.getClosingBalanceMinor(), Math::addExact);
            }
        }
        series.values().forEach(l -> l.sort(Comparator.comparing(DailyPosition::getDate)));
        others.values().forEach(l -> l.sort(Comparator.comparing(DailyPosition::getDate)));
    }

    /** The latest revision of each reconciliation record. */
    private static List<ReconciliationRecord> latest(List<ReconciliationRecord> records) {
        Map<String, ReconciliationRecord> last = new LinkedHashMap<>();
        for (ReconciliationRecord r : records) {
            ReconciliationRecord seen = last.get(r.getMatchId());
            if (seen == null || r.getRevision() >= seen.getRevision()) last.put(r.getMatchId(), r);
        }
        return new ArrayList<>(last.values());
    }

    private void needsAPerson(ReportData data) {
        for (String b : AGE_BUCKETS) {
            openCounts.put(b, new int[1]);
            openAmounts.put(b, new TreeMap<>());
        }
        for (ReconciliationRecord r : latest(data.records())) {
            if (r.getDecidedAt().isAfter(end())) continue;
            if (!OPEN.contains(r.getStatus()) && !r.getNeedsReview()) continue;
            if (r.getBookedAt() == null) continue;
            long age = ChronoUnit.DAYS.between(r.getBookedAt(), end());
            String b =
                    age <= 2
                            ? AGE_BUCKETS.get(0)
                            : age <= 7
                                    ? AGE_BUCKETS.get(1)
                                    : age <= 30 ? AGE_BUCKETS.get(2) : AGE_BUCKETS.get(3);
            openCounts.get(b)[0]++;
            if (r.getAmountMinor() != null && r.getCurrency() != null) {
                openAmounts.get(b).merge(r.getCurrency(), r.getAmountMinor(), Math::addExact);
            }
        }
        for (CashAlert a : data.alerts()) {
            if (a.getState() == AlertState.FIRING && inPeriod(a.getDetectedAt())) {
                alertsByType.computeIfAbsent(a.getType(), k -> new ArrayList<>()).add(a);
            }
        }
        for (ReconciliationRecord r : latest(data.records())) {
            if (r.getStatus() == ReconciliationStatus.MATCHED
                    && !r.getPayoutIds().isEmpty()
                    && r.getAmountMinor() != null
                    && inPeriod(r.getBookedAt())) {
                String psp = r.getCounterparty() == null ? "(unnamed)" : r.getCounterparty();
                payoutsByPsp.merge(psp + " " + r.getCurrency(), r.getAmountMinor(), Math::addExact);
            }
        }
    }

    private void kpis(ReportData data) {
        Map<String, Long> cash = new TreeMap<>();
        Map<String, Long> start = new TreeMap<>();
        Map<String, Long> end = new TreeMap<>();
        LocalDate windowStart = to.minusDays(3L * Kpis.MONTH_DAYS);
        if (windowStart.isBefore(from)) windowStart = from;
        long days = Math.max(1, ChronoUnit.DAYS.between(windowStart, to));
        for (CashPosition p : accounts) cash.merge(p.getCurrency(), p.getBalanceMinor(), Long::sum);
        for (List<DailyPosition> s : series.values()) {
            Optional<DailyPosition> first = closeOn(s, windowStart);
            Optional<DailyPosition> last = closeOn(s, to);
            if (first.isPresent() && last.isPresent()) {
                start.merge(
                        first.get().getCurrency(), first.get().getClosingBalanceMinor(), Long::sum);
                end.merge(last.get().getCurrency(), last.get().getClosingBalanceMinor(), Long::sum);
            }
        }
        String window = windowStart + " to " + to + " (" + days + " days)";
        for (String ccy : start.keySet()) {
            long burn = Kpis.monthlyBurn(start.get(ccy), end.get(ccy), days);
            kpis.add(
                    new Kpi(
                            "burn_rate",
                            "Burn rate",
                            ccy + " accounts",
                            Math.max(0, burn),
                            ccy,
                            null,
                            null,
                            null,
                            "Average monthly net outflow of the "
                                    + ccy
                                    + " accounts: (close on "
                                    + windowStart
                                    + " − close on "
                                    + to
                                    + ") × 30 ÷ "
                                    + days
                                    + " days; 0 when the balance grew. The last 3 months of the period, or all of it when shorter."));
            kpis.add(
                    new Kpi(
                            "runway",
                            "Runway",
                            ccy + " accounts",
                            null,
                            null,
                            Kpis.runwayMonths(cash.getOrDefault(ccy, 0L), burn).orElse(null),
                            "months",
                            "not burning",
                            "Cash on the "
                                    + ccy
                                    + " accounts now ÷ the burn rate above ("
                                    + window
                                    + "). \"Not burning\" when the balance did not fall."));
        }
        daysOutstanding(
                "dso",
                "DSO",
                "receivables:",
                "CUSTOMER_RECEIPT",
                "sales outstanding",
                "receivables",
                "customer receipts");
        daysOutstanding(
                "dpo",
                "DPO",
                "payables:",
                "SUPPLIER",
                "payable outstanding",
                "payables",
                "supplier payments");
        pspRates();
        reconciliationKpis(data);
    }

    /** The close on {@code day}, or the last before it. */
    private static Optional<DailyPosition> closeOn(List<DailyPosition> s, LocalDate day) {
        DailyPosition best = null;
        for (DailyPosition d : s) if (!d.getDate().isAfter(day)) best = d;
        return Optional.ofNullable(best);
    }

    /** The close of {@code scope} on {@code day} or the last before it; 0 before its first. */
    private long valueOn(String scope, LocalDate day) {
        return closeOn(others.getOrDefault(scope, List.of()), day)
                .map(DailyPosition::getClosingBalanceMinor)
                .orElse(0L);
    }

    /** What a running total of {@code scope} grew by over the period. */
    private long grewBy(String scope) {
        return valueOn(scope, to) - valueOn(scope, from.minusDays(1));
    }

    /** Net flow of a category over the period, per currency. */
    private Map<String, Long> flowOf(String category) {
        Map<String, Long> sum = new TreeMap<>();
        flows.forEach(
                (ccy, weeks) ->
                        weeks.values()
                                .forEach(
                                        w -> {
                                            Long v = w.get(category);
                                            if (v != null) sum.merge(ccy, v, Math::addExact);
                                        }));
        return sum;
    }

    /**
     * DSO or DPO per currency: the aging buckets' total on the last day, over the period's flow.
     */
    private void daysOutstanding(
            String id,
            String label,
            String prefix,
            String category,
            String what,
            String open,
            String flowName) {
        Map<String, Long> openBy = new TreeMap<>();
        for (String scope : others.keySet()) {
            if (scope.startsWith(prefix)) {
                String ccy = others.get(scope).get(0).getCurrency();
                openBy.merge(ccy, valueOn(scope, to), Math::addExact);
            }
        }
        Map<String, Long> flowBy = flowOf(category);
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        String definition =
                "Days "
                        + what
                        + ": open "
                        + open
                        + " on "
                        + to
                        + " (the aging's buckets) ÷ "
                        + flowName
                        + " of the period (bank lines categorised "
                        + category
                        + ") × "
                        + days
                        + " days. \"—\" when none were made.";
        if (openBy.isEmpty()) {
            kpis.add(
                    new Kpi(
                            id,
                            label,
                            open,
                            null,
                            null,
                            null,
                            "days",
                            "—",
                            definition + " No " + open + " were reported."));
        }
        for (Map.Entry<String, Long> e : openBy.entrySet()) {
            long flow = flowBy.getOrDefault(e.getKey(), 0L);
            kpis.add(
                    new Kpi(
                            id,
                            label,
                            e.getKey() + " " + open,
                            null,
                            null,
                            Kpis.daysOutstanding(e.getValue(), flow, days).orElse(null),
                            "days",
                            "—",
                            definition));
        }
    }

    /** Fee rate per PSP and refund rate per store, from the PSP ledger's running totals. */
    private void pspRates() {
        Map<String, long[]> byPsp = new TreeMap<>(), byStore = new TreeMap<>();
        for (String scope : others.keySet()) {
            int colon = scope.indexOf(':');
            String kind = scope.substring(0, colon + 1);
            String[] parts = scope.substring(colon + 1).split("/", -1);
            if (!kind.startsWith("psp-") || parts.length != 3) continue;
            String psp = parts[0] + " " + parts[2], store = parts[1] + " " + parts[2];
            long grew = grewBy(scope);
            if (kind.equals("psp-captured:")) {
                salesByStoreAndPsp.merge(
                        new StorePsp(parts[1], parts[0], parts[2]), grew, Math::addExact);
            }
            switch (kind) {
                case "psp-fees:" -> byPsp.computeIfAbsent(psp, k -> new long[2])[0] += grew;
                case "psp-gross:" -> byPsp.computeIfAbsent(psp, k -> new long[2])[1] += grew;
                case "psp-refunded:" -> byStore.computeIfAbsent(store, k -> new long[2])[0] += grew;
                case "psp-captured:" -> byStore.computeIfAbsent(store, k -> new long[2])[1] += grew;
                default -> {}
            }
        }
        byPsp.forEach(
                (psp, v) ->
                        kpis.add(
                                new Kpi(
                                        "fee_rate",
                                        "Fee rate",
                                        psp,
                                        null,
                                        null,
                                        Kpis.percent(v[0], v[1]).orElse(null),
                                        "%",
                                        "—",
                                        "Fees ÷ gross of the payouts this PSP paid in the period (all stores; a payout that failed or was cancelled drops out). \"—\" when it paid nothing.")));
        byStore.forEach(
                (store, v) ->
                        kpis.add(
                                new Kpi(
                                        "refund_rate",
                                        "Refund rate",
                                        store,
                                        null,
                                        null,
                                        Kpis.percent(v[0], v[1]).orElse(null),
                                        "%",
                                        "—",
                                        "Refunds and chargebacks ÷ captured sales of the store in the period (every PSP, by the day they happened). \"—\" when it sold nothing.")));
    }

    private void reconciliationKpis(ReportData data) {
        int decided = 0, automatic = 0;
        List<Duration> toMatch = new ArrayList<>();
        Map<String, Instant> firstMatched = new TreeMap<>();
        Map<String, Instant> booked = new TreeMap<>();
        for (ReconciliationRecord r : data.records()) {
            if (r.getStatus() == ReconciliationStatus.MATCHED
                    && r.getBookedAt() != null
                    && !firstMatched.containsKey(r.getMatchId())) {
                firstMatched.put(r.getMatchId(), r.getDecidedAt());
                booked.put(r.getMatchId(), r.getBookedAt());
            }
        }
        for (ReconciliationRecord r : latest(data.records())) {
            if (r.getBankEventIds().isEmpty() || !inPeriod(r.getBookedAt())) continue;
            decided++;
            boolean settled =
                    r.getStatus() == ReconciliationStatus.MATCHED
                            || r.getStatus() == ReconciliationStatus.CATEGORISED;
            if (settled && !r.getNeedsReview() && !r.getRule().startsWith("manual")) automatic++;
            Instant matched = firstMatched.get(r.getMatchId());
            if (matched != null) toMatch.add(Duration.between(booked.get(r.getMatchId()), matched));
        }
        kpis.add(
                new Kpi(
                        "auto_reconciliation_rate",
                        "Auto-reconciliation rate",
                        decided + " bank lines",
                        null,
                        null,
                        Kpis.percent(automatic, decided).orElse(null),
                        "%",
                        "—",
                        "Bank lines booked in the period that Treso matched or categorised with no review and no manual action ÷ all bank lines booked in the period (latest decision of each)."));
        Optional<Duration> median = Kpis.median(toMatch);
        kpis.add(
                new Kpi(
                        "median_time_to_match",
                        "Median time from bank line to match",
                        toMatch.size() + " matched lines",
                        null,
                        null,
                        median.map(
                                        d ->
                                                BigDecimal.valueOf(d.toMinutes())
                                                        .movePointLeft(0)
                                                        .divide(
                                                                BigDecimal.valueOf(60),
                                                                1,
                                                                java.math.RoundingMode.HALF_EVEN))
                                .orElse(null),
                        "hours",
                        "—",
                        "Median, over bank lines of the period that were matched, of the event time between the line's booking and its first MATCHED decision."));
    }
}
