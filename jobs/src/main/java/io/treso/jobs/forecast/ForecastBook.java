package io.treso.jobs.forecast;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.ForecastPoint;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import io.treso.jobs.position.Consolidation;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one currency's forecast knows apart from the sales series: the accounts' last
 * end-of-day balances (the anchor), payouts announced, open bills and invoices, the bank's debits
 * by counterparty (for recurring ones), LOW_BALANCE thresholds and the open shortfall episodes. A
 * POJO for Flink state, with sorted maps so that iteration, and so the output, is the same
 * everywhere. Plain Java: {@link ForecastFunction} only feeds it in event-time order.
 */
public final class ForecastBook {
    public static final String SHORTFALL = "PROJECTED_SHORTFALL";
    public static final String BASE = "base";

    /** Debits kept per counterparty: enough for a monthly series to show itself again. */
    static final int DEBITS_KEPT = 6;

    /** Counterparties whose debits are kept; the quietest leaves first. */
    static final int COUNTERPARTIES_KEPT = 500;

    /** An open item this long overdue is forgotten. */
    static final int OVERDUE_DAYS_DROPPED = 90;

    /**
     * A receivable this many days past when its customer usually pays is no longer expected on a
     * date: it is a collection problem, not cash to plan with.
     */
    static final int OVERDUE_DAYS_EXPECTED = 7;

    /** A payout this long past its arrival date is forgotten (it has long been booked or not). */
    static final int PAYOUT_DAYS_KEPT = 14;

    /** A p50 crossing this close is CRITICAL; later ones are a WARNING. */
    static final int CRITICAL_DAYS = 14;

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    /** An account's last end-of-day balance. */
    public static final class Close {
        public String currency;
        public long time;
        public long balanceMinor;

        /** The last forecast's balances for the days after it, from {@code aheadFrom}. */
        public long[] ahead = new long[0];

        public int aheadFrom;

        /** How far a close lands from the forecast made the bank day before, per day, smoothed. */
        public long residualMinor;

        public int residuals;

        public Close() {}
    }

    /** A payout announced and not yet arrived. */
    public static final class Payout {
        public String currency;
        public String account;
        public int arrivalDay;
        public long netMinor;
        public String status;
        public String label;

        public Payout() {}
    }

    /** An open bill (PAYABLE) or invoice (RECEIVABLE). */
    public static final class Open {
        public String currency;
        public boolean receivable;
        public String counterparty;
        public long amountMinor;
        public int dueDay;

        public Open() {}
    }

    /** A counterparty's recent debits: epoch days and amounts, oldest first. */
    public static final class Debits {
        /** The counterparty as the bank last wrote it, for messages. */
        public String name;

        public ArrayList<Integer> days = new ArrayList<>();
        public ArrayList<Long> amounts = new ArrayList<>();

        public Debits() {}
    }

    /** A LOW_BALANCE threshold of one account. */
    public static final class Threshold {
        public long effectiveAt;
        public long version;
        public long thresholdMinor;
        public long marginMinor;

        public Threshold() {}
    }

    /** The latest rate of a currency: {@code rate} units of {@code base} per unit. */
    public static final class Rate {
        public long time;
        public String base;
        public String rate;

        public Rate() {}
    }

    /** An open PROJECTED_SHORTFALL episode. */
    public static final class Episode {
        public String alertId;
        public long since;

        public Episode() {}
    }

    public TreeMap<String, Close> closes = new TreeMap<>();
    public TreeMap<String, String> zones = new TreeMap<>();
    public TreeMap<String, ArrayList<Threshold>> thresholds = new TreeMap<>();
    public TreeMap<String, Payout> payouts = new TreeMap<>();
    public TreeMap<String, Open> open = new TreeMap<>();

    /** By "account|counterparty". */
    public TreeMap<String, Debits> debits = new TreeMap<>();

    public TreeMap<String, Rate> rates = new TreeMap<>();

    /** Days from due date to payment, per counterparty, and for the portfolio. */
    public TreeMap<String, LearnedLag> delays = new TreeMap<>();

    public LearnedLag portfolioDelay = new LearnedLag();

    /** Accounts anchored since the last forecast. */
    public TreeSet<String> anchored = new TreeSet<>();

    /** Open episodes by "account|path", path "p50" or "p10". */
    public TreeMap<String, Episode> episodes = new TreeMap<>();

    public ForecastBook() {}

    /**
     * Takes one event in event-time order. Returns whether it is a payout seen for the first time
     * (the series then learns from it).
     */
    public boolean apply(ForecastEvent e) {
        switch (e.kind) {
            case CLOSE -> {
                Close c = closes.computeIfAbsent(e.account, a -> new Close());
                if (e.time >= c.time) {
                    if (c.time > 0) residual(e.account, c, e);
                    c.currency = e.currency;
                    c.time = e.time;
                    c.balanceMinor = e.amountMinor;
                    anchored.add(e.account);
                }
            }
            case ZONE -> zones.put(e.account, e.status);
            case FX -> {
                Rate r = rates.get(e.currency);
                if (r == null
                        || e.time > r.time
                        || (e.time == r.time && e.label.compareTo(r.rate) > 0)) {
                    r = new Rate();
                    r.time = e.time;
                    r.base = e.status;
                    r.rate = e.label;
                    rates.put(e.currency, r);
                }
            }
            case THRESHOLD -> {
                Threshold t = new Threshold();
                t.effectiveAt = e.time;
                t.version = e.amountMinor;
                t.thresholdMinor = e.otherMinor;
                t.marginMinor = e.marginMinor;
                thresholds.computeIfAbsent(e.account, a -> new ArrayList<>()).add(t);
            }
            case PAYOUT -> {
                boolean first = !payouts.containsKey(e.id);
                if ("FAILED".equals(e.status) || "CANCELLED".equals(e.status)) {
                    payouts.remove(e.id);
                    return false;
                }
                Payout p = payouts.computeIfAbsent(e.id, i -> new Payout());
                p.currency = e.currency;
                p.account = e.account;
                p.arrivalDay = e.day;
                p.netMinor = e.otherMinor;
                p.status = e.status;
                p.label = e.label;
                return first;
            }
            case OBLIGATION -> {
                if ("OPEN".equals(e.status) || "DISPUTED".equals(e.status)) {
                    Open o = new Open();
                    o.currency = e.currency;
                    o.receivable = "RECEIVABLE".equals(e.label);
                    o.counterparty = e.counterparty;
                    o.amountMinor = e.amountMinor;
                    o.dueDay = e.day;
                    open.put(e.id, o);
                } else {
                    open.remove(e.id);
                }
            }
            case BANK -> bank(e);
            case CAPTURE -> throw new IllegalArgumentException("captures go to their series");
        }
        return false;
    }

    /** Days of the last forecast kept to score the next close against. */
    static final int AHEAD_KEPT = 7;

    /** Scores the forecast made at the last close against the new one, in error per day. */
    private void residual(String account, Close c, ForecastEvent e) {
        LocalDate before = date(account);
        long time = c.time;
        c.time = e.time;
        LocalDate now = date(account);
        c.time = time;
        int i = (int) (now.toEpochDay() - c.aheadFrom);
        long steps = now.toEpochDay() - before.toEpochDay();
        if (i < 0 || i >= c.ahead.length || steps < 1) return;
        BigDecimal miss = BigDecimal.valueOf(Math.abs(e.amountMinor - c.ahead[i]));
        long perDay =
                miss.divide(
                                BigDecimal.valueOf(steps).sqrt(MathContext.DECIMAL64),
                                MathContext.DECIMAL64)
                        .setScale(0, RoundingMode.HALF_UP)
                        .longValueExact();
        c.residualMinor =
                c.residuals == 0
                        ? perDay
                        : SeasonalSmoothing.blend(RESIDUAL_WEIGHT, perDay, c.residualMinor);
        c.residuals++;
    }

    /** The weight of a new residual, basis points: about the last ten bank days. */
    static final int RESIDUAL_WEIGHT = 2_000;

    /** A booked line settles the open item it pays, or joins its counterparty's debits. */
    private void bank(ForecastEvent e) {
        String who = normal(e.counterparty);
        String reference = normal(e.label);
        // The item the line names (a reference carrying its number) first, whatever it pays.
        for (Map.Entry<String, Open> o : open.entrySet()) {
            Open item = o.getValue();
            if ((e.amountMinor > 0) == item.receivable
                    && !reference.isEmpty()
                    && reference.contains(normal(o.getKey()))) {
                settle(o.getKey(), item, who, e.day, e.account);
                return;
            }
        }
        for (Map.Entry<String, Open> o : open.entrySet()) {
            Open item = o.getValue();
            long signed = item.receivable ? item.amountMinor : -item.amountMinor;
            if (signed == e.amountMinor && normal(item.counterparty).equals(who)) {
                settle(o.getKey(), item, who, e.day, e.account);
                return;
            }
        }
        if (e.amountMinor < 0) remember(e.account, e.counterparty, e.day, e.amountMinor);
    }

    /** A debit in its counterparty's history, for the cadence it may show. */
    private void remember(String account, String name, int day, long amountMinor) {
        Debits d = debits.computeIfAbsent(account + "|" + normal(name), w -> new Debits());
        d.name = name == null ? "" : name.strip();
        d.days.add(day);
        d.amounts.add(amountMinor);
        if (d.days.size() > DEBITS_KEPT) {
            d.days.remove(0);
            d.amounts.remove(0);
        }
        if (debits.size() > COUNTERPARTIES_KEPT) {
            String quietest = null;
            int oldest = Integer.MAX_VALUE;
            for (Map.Entry<String, Debits> x : debits.entrySet()) {
                int last = x.getValue().days.get(x.getValue().days.size() - 1);
                if (last < oldest) {
                    oldest = last;
                    quietest = x.getKey();
                }
            }
            debits.remove(quietest);
        }
    }

    /** An item paid on {@code day}: it leaves, and its delay teaches the counterparty's. */
    private void settle(String document, Open item, String who, int day, String account) {
        if (!item.receivable) remember(account, item.counterparty, day, -item.amountMinor);
        long delay = (long) day - item.dueDay;
        delays.computeIfAbsent(who, w -> new LearnedLag()).observe(delay);
        if (item.receivable) portfolioDelay.observe(delay);
        open.remove(document);
    }

    private static String normal(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    /** What one forecast gives: its points and the alerts it raises or resolves. */
    public record Result(List<ForecastPoint> points, List<CashAlert> alerts) {}

    /** One account's projection. */
    private record Path(
            String account,
            String currency,
            long asOf,
            LocalDate asOfDate,
            List<CashForecast.Item> items,
            List<CashForecast.Point> points) {}

    /**
     * Forecasts from the accounts anchored since the last call, with the sales {@code series}
     * (sorted by key): each anchored account's path, and the path of each currency they hold (its
     * accounts summed). Empty when no account has anchored.
     */
    public Optional<Result> forecast(List<SalesSeries> series, long fallbackLagDays) {
        if (anchored.isEmpty()) return Optional.empty();
        Set<String> touched = new TreeSet<>();
        for (String a : anchored) touched.add(closes.get(a).currency);
        Map<String, List<CashForecast.Item>> items = new TreeMap<>();
        Map<String, List<Long>> errors = new TreeMap<>();
        for (String a : closes.keySet()) {
            items.put(a, new ArrayList<>());
            errors.put(a, new ArrayList<>());
        }
        for (SalesSeries s : series) {
            String a =
                    s.account != null && closes.containsKey(s.account)
                            ? s.account
                            : primary(s.currency);
            if (a == null) continue;
            int asOfDay = (int) date(a).toEpochDay();
            for (CashForecast.Item i :
                    s.items(asOfDay, fallbackLagDays, CashForecast.HORIZON_DAYS)) {
                convert(i.amountMinor(), s.currency, closes.get(a).currency)
                        .ifPresent(
                                v ->
                                        items.get(a)
                                                .add(
                                                        new CashForecast.Item(
                                                                i.date(), v, i.kind(), i.label())));
            }
            if (SeasonalSmoothing.ready(s.model)) {
                convert(s.errorMinor(), s.currency, closes.get(a).currency)
                        .ifPresent(errors.get(a)::add);
            }
        }
        int latest = Integer.MIN_VALUE;
        for (String a : closes.keySet()) latest = Math.max(latest, (int) date(a).toEpochDay());
        int oldest = latest;
        payouts.values().removeIf(p -> p.arrivalDay < oldest - PAYOUT_DAYS_KEPT);
        for (Payout p : payouts.values()) {
            String a =
                    p.account != null && closes.containsKey(p.account)
                            ? p.account
                            : primary(p.currency);
            if (a == null || p.arrivalDay <= date(a).toEpochDay()) continue;
            convert(p.netMinor, p.currency, closes.get(a).currency)
                    .ifPresent(
                            v ->
                                    items.get(a)
                                            .add(
                                                    new CashForecast.Item(
                                                            LocalDate.ofEpochDay(p.arrivalDay),
                                                            v,
                                                            CashForecast.Kind.PAYOUT,
                                                            p.label)));
        }
        open.values().removeIf(o -> o.dueDay < oldest - OVERDUE_DAYS_DROPPED);
        // The last bill known per "account|counterparty": their usual cadence resumes after it.
        Map<String, Integer> billed = new TreeMap<>();
        for (Open o : open.values()) {
            String a = primary(o.currency);
            if (a == null) continue;
            LearnedLag lag = delays.get(normal(o.counterparty));
            long delay = lag != null ? lag.days(0) : o.receivable ? portfolioDelay.days(0) : 0;
            long expected = o.dueDay + Math.max(0, delay);
            if (o.receivable && expected + OVERDUE_DAYS_EXPECTED < date(a).toEpochDay()) continue;
            long day = Math.max(date(a).toEpochDay() + 1, expected);
            if (!o.receivable) billed.merge(a + "|" + normal(o.counterparty), (int) day, Math::max);
            items.get(a)
                    .add(
                            new CashForecast.Item(
                                    LocalDate.ofEpochDay(day),
                                    o.receivable ? o.amountMinor : -o.amountMinor,
                                    o.receivable
                                            ? CashForecast.Kind.RECEIVABLE
                                            : CashForecast.Kind.PAYABLE,
                                    o.counterparty));
        }
        for (Map.Entry<String, Debits> d : debits.entrySet()) {
            String a = d.getKey().substring(0, d.getKey().indexOf('|'));
            if (!closes.containsKey(a)) continue;
            LocalDate asOf = date(a);
            String who =
                    d.getValue().name == null || d.getValue().name.isEmpty()
                            ? d.getKey().substring(a.length() + 1)
                            : d.getValue().name;
            Optional<RecurringDebits.Recurrence> r = recurring(d.getValue(), asOf);
            if (r.isPresent()) {
                addRecurring(items.get(a), r.get(), who, asOf);
                continue;
            }
            Optional<RecurringDebits.Regular> regular =
                    RecurringDebits.regular(history(d.getValue()));
            if (regular.isPresent()) {
                addRegular(items.get(a), regular.get(), who, asOf, billed.get(d.getKey()));
                errors.get(a).add(regular.get().deviationMinor() / regular.get().gapDays());
            }
        }

        List<ForecastPoint> points = new ArrayList<>();
        List<CashAlert> alerts = new ArrayList<>();
        Map<String, List<Path>> byCurrency = new TreeMap<>();
        for (Map.Entry<String, Close> c : closes.entrySet()) {
            String a = c.getKey();
            if (!touched.contains(c.getValue().currency)) continue;
            LocalDate asOf = date(a);
            // The whole forecast's own miss covers what no model's residuals see (timing, items
            // not known yet), once a few closes have scored it.
            if (c.getValue().residuals >= RecurringDebits.MIN_OCCURRENCES) {
                errors.put(a, new ArrayList<>(List.of(c.getValue().residualMinor)));
            }
            long[] maes = errors.get(a).stream().mapToLong(Long::longValue).toArray();
            Path path =
                    new Path(
                            a,
                            c.getValue().currency,
                            c.getValue().time,
                            asOf,
                            items.get(a),
                            CashForecast.project(
                                    asOf,
                                    c.getValue().balanceMinor,
                                    items.get(a),
                                    maes,
                                    CashForecast.HORIZON_DAYS));
            byCurrency.computeIfAbsent(path.currency(), x -> new ArrayList<>()).add(path);
            Close close = c.getValue();
            close.aheadFrom = (int) asOf.toEpochDay() + 1;
            close.ahead = new long[AHEAD_KEPT];
            for (int d = 0; d < AHEAD_KEPT; d++) {
                close.ahead[d] = path.points().get(d).projectedMinor();
            }
            if (!anchored.contains(a)) continue;
            path.points().forEach(p -> points.add(point(a, path.currency(), path.asOf(), p)));
            alerts.addAll(shortfall(path));
        }
        for (Map.Entry<String, List<Path>> e : byCurrency.entrySet()) {
            points.addAll(perCurrency(e.getKey(), e.getValue()));
        }
        anchored.clear();
        return Optional.of(new Result(points, alerts));
    }

    /** A currency's path: its accounts' paths summed day by day; bands add in variance. */
    private static List<ForecastPoint> perCurrency(String currency, List<Path> paths) {
        long asOf = Long.MIN_VALUE;
        LocalDate first = LocalDate.MIN;
        for (Path p : paths) {
            asOf = Math.max(asOf, p.asOf());
            if (p.asOfDate().isAfter(first)) first = p.asOfDate();
        }
        List<ForecastPoint> out = new ArrayList<>();
        for (int d = 1; d <= CashForecast.HORIZON_DAYS; d++) {
            LocalDate day = first.plusDays(d);
            long in = 0, outflow = 0, projected = 0;
            BigDecimal variance = BigDecimal.ZERO;
            Map<String, Long> inKinds = new TreeMap<>(), outKinds = new TreeMap<>();
            boolean all = true;
            for (Path p : paths) {
                int i = (int) (day.toEpochDay() - p.asOfDate().toEpochDay()) - 1;
                if (i >= p.points().size()) {
                    all = false;
                    break;
                }
                CashForecast.Point x = p.points().get(i);
                in = Math.addExact(in, x.inflowMinor());
                outflow = Math.addExact(outflow, x.outflowMinor());
                projected = Math.addExact(projected, x.projectedMinor());
                x.inflowByKind().forEach((k, v) -> inKinds.merge(k, v, Math::addExact));
                x.outflowByKind().forEach((k, v) -> outKinds.merge(k, v, Math::addExact));
                BigDecimal half = BigDecimal.valueOf(x.highMinor() - x.projectedMinor());
                variance = variance.add(half.multiply(half));
            }
            if (!all) break;
            long half =
                    variance.sqrt(MathContext.DECIMAL64)
                            .setScale(0, RoundingMode.HALF_UP)
                            .longValueExact();
            out.add(
                    point(
                            "currency:" + currency,
                            currency,
                            asOf,
                            new CashForecast.Point(
                                    day,
                                    in,
                                    outflow,
                                    projected,
                                    projected - half,
                                    projected + half,
                                    inKinds,
                                    outKinds)));
        }
        return out;
    }

    private static ForecastPoint point(
            String scope, String currency, long asOf, CashForecast.Point p) {
        return ForecastPoint.newBuilder()
                .setScope(scope)
                .setDate(p.date())
                .setCurrency(currency)
                .setInflowMinor(p.inflowMinor())
                .setOutflowMinor(p.outflowMinor())
                .setProjectedBalanceMinor(p.projectedMinor())
                .setLowMinor(p.lowMinor())
                .setHighMinor(p.highMinor())
                .setScenarioId(BASE)
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setInflowByKind(new TreeMap<>(p.inflowByKind()))
                .setOutflowByKind(new TreeMap<>(p.outflowByKind()))
                .build();
    }

    /** The account that money in {@code currency} lands in when nothing names one. */
    String primary(String currency) {
        for (Map.Entry<String, Close> c : closes.entrySet()) {
            if (c.getValue().currency.equals(currency)) return c.getKey();
        }
        return null;
    }

    /**
     * {@code minor} of {@code from} in {@code to}, through the latest rates to their common base;
     * empty while a rate is missing (the item is then left out, not guessed).
     */
    Optional<Long> convert(long minor, String from, String to) {
        if (from.equals(to)) return Optional.of(minor);
        Rate f = rates.get(from), t = rates.get(to);
        String base = f != null ? f.base : t != null ? t.base : null;
        if (base == null) return Optional.empty();
        BigDecimal rate;
        if (f != null && to.equals(f.base)) rate = new BigDecimal(f.rate);
        else if (t != null && from.equals(t.base)) {
            rate = BigDecimal.ONE.divide(new BigDecimal(t.rate), MathContext.DECIMAL64);
        } else if (f != null && t != null && f.base.equals(t.base)) {
            rate = new BigDecimal(f.rate).divide(new BigDecimal(t.rate), MathContext.DECIMAL64);
        } else {
            return Optional.empty();
        }
        return Optional.of(Consolidation.convert(minor, from, rate, to));
    }

    /** The recurrence the most recent debits show: the longest recent run that recurs. */
    static Optional<RecurringDebits.Recurrence> recurring(Debits d, LocalDate asOf) {
        List<RecurringDebits.Debit> all = history(d);
        for (int from = 0; from + RecurringDebits.MIN_EXACT_MONTHLY <= all.size(); from++) {
            Optional<RecurringDebits.Recurrence> r =
                    RecurringDebits.detect(all.subList(from, all.size()));
            if (r.isPresent()) return r;
        }
        return Optional.empty();
    }

    private static List<RecurringDebits.Debit> history(Debits d) {
        List<RecurringDebits.Debit> all = new ArrayList<>();
        for (int i = 0; i < d.days.size(); i++) {
            all.add(
                    new RecurringDebits.Debit(
                            LocalDate.ofEpochDay(d.days.get(i)), d.amounts.get(i)));
        }
        return all;
    }

    /**
     * A supplier paid about every {@code gap} days, by varying amounts: its mean amount every gap
     * days, from a gap after its last payment, or after its last bill already known.
     */
    private static void addRegular(
            List<CashForecast.Item> items,
            RecurringDebits.Regular r,
            String who,
            LocalDate asOf,
            Integer lastBilled) {
        LocalDate next = r.next();
        if (lastBilled != null && !LocalDate.ofEpochDay(lastBilled).isBefore(next)) {
            next = LocalDate.ofEpochDay(lastBilled).plusDays(r.gapDays());
        }
        // A payment due and not made yet is late: expected the next day, if not long overdue.
        if (!next.isAfter(asOf)) {
            next =
                    asOf.minusDays(r.gapDays() / 2).isAfter(next)
                            ? next.plusDays(r.gapDays())
                            : asOf.plusDays(1);
        }
        for (LocalDate end = asOf.plusDays(CashForecast.HORIZON_DAYS);
                !next.isAfter(end);
                next = next.plusDays(r.gapDays())) {
            if (next.isAfter(asOf)) {
                items.add(
                        new CashForecast.Item(
                                next, r.amountMinor(), CashForecast.Kind.REGULAR, who));
            }
        }
    }

    private static void addRecurring(
            List<CashForecast.Item> items,
            RecurringDebits.Recurrence r,
            String who,
            LocalDate asOf) {
        LocalDate end = asOf.plusDays(CashForecast.HORIZON_DAYS);
        LocalDate next = r.next();
        for (int k = 0; !next.isAfter(end); k++) {
            // One missed by a few days is late, not skipped; one missed long ago is over.
            if (next.isAfter(asOf) || !next.isBefore(asOf.minusDays(3))) {
                items.add(
                        new CashForecast.Item(
                                next.isAfter(asOf) ? next : asOf.plusDays(1),
                                r.amountMinor(),
                                CashForecast.Kind.RECURRING,
                                who));
            }
            if (r.cadence() == RecurringDebits.Cadence.WEEKLY) {
                next = next.plusDays(7);
            } else {
                LocalDate m = r.next().plusMonths(k + 1L);
                next = m.withDayOfMonth(Math.min(r.next().getDayOfMonth(), m.lengthOfMonth()));
            }
        }
    }

    /**
     * The day an account's last close ends, in its zone; a close at midnight ends the day before.
     */
    LocalDate date(String account) {
        String zone = zones.get(account);
        return Instant.ofEpochMilli(closes.get(account).time - 1)
                .atZone(zone == null ? ZoneOffset.UTC : ZoneId.of(zone))
                .toLocalDate();
    }

    /** The account's LOW_BALANCE threshold in force at {@code time}, if any. */
    Optional<Threshold> rule(String account, long time) {
        Threshold best = null;
        for (Threshold t : thresholds.getOrDefault(account, new ArrayList<>())) {
            if (t.effectiveAt > time) continue;
            if (best == null
                    || t.effectiveAt > best.effectiveAt
                    || (t.effectiveAt == best.effectiveAt && t.version > best.version)) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * PROJECTED_SHORTFALL, edge-triggered: the p50 path crossing the account's LOW_BALANCE
     * threshold (CRITICAL within 14 days, WARNING later), or only the p10 path (INFO). A forecast
     * that no longer crosses resolves the episode.
     */
    private List<CashAlert> shortfall(Path path) {
        List<CashAlert> alerts = new ArrayList<>();
        Threshold rule = rule(path.account(), path.asOf()).orElse(null);
        long threshold = rule == null ? 0 : rule.thresholdMinor;
        // Crossing the threshold opens an episode; only clearing it by the margin closes it, so a
        // path hovering at the threshold does not flap.
        long clear = rule == null ? 0 : Math.addExact(rule.thresholdMinor, rule.marginMinor);
        Optional<CashForecast.Crossing> p50 = crossing(path, rule, threshold, false);
        Optional<CashForecast.Crossing> p10 = crossing(path, rule, threshold, true);
        episode("p50", p50, crossing(path, rule, clear, false).isEmpty(), path, threshold, alerts);
        episode(
                "p10",
                p50.isPresent() ? Optional.empty() : p10,
                crossing(path, rule, clear, true).isEmpty(),
                path,
                threshold,
                alerts);
        return alerts;
    }

    private static Optional<CashForecast.Crossing> crossing(
            Path path, Threshold rule, long below, boolean low) {
        if (rule == null) return Optional.empty();
        return CashForecast.firstCrossing(path.asOfDate(), path.points(), path.items(), below, low);
    }

    private void episode(
            String which,
            Optional<CashForecast.Crossing> crossing,
            boolean clear,
            Path path,
            long threshold,
            List<CashAlert> alerts) {
        String key = path.account() + "|" + which;
        Episode open = episodes.get(key);
        String currency = path.currency();
        if (crossing.isPresent() && open == null) {
            Episode e = new Episode();
            e.since = path.asOf();
            e.alertId = Alerts.id(SHORTFALL, key, Instant.ofEpochMilli(path.asOf()));
            episodes.put(key, e);
            CashForecast.Crossing c = crossing.get();
            long days = c.date().toEpochDay() - path.asOfDate().toEpochDay();
            Severity severity =
                    which.equals("p10")
                            ? Severity.INFO
                            : days <= CRITICAL_DAYS ? Severity.CRITICAL : Severity.WARNING;
            alerts.add(
                    alert(
                            e,
                            severity,
                            AlertState.FIRING,
                            path,
                            threshold,
                            message(which, c, path, threshold)));
        } else if (clear && open != null) {
            episodes.remove(key);
            alerts.add(
                    alert(
                            open,
                            which.equals("p10") ? Severity.INFO : Severity.WARNING,
                            AlertState.RESOLVED,
                            path,
                            threshold,
                            "Account "
                                    + path.account()
                                    + " is no longer projected below "
                                    + Alerts.money(threshold, currency)
                                    + (which.equals("p10") ? " on the low (p10) path" : "")
                                    + " within 13 weeks"));
        }
    }

    private static CashAlert alert(
            Episode e,
            Severity severity,
            AlertState state,
            Path path,
            long threshold,
            String text) {
        return Alerts.alert(
                        e.alertId,
                        SHORTFALL,
                        AlertLifecycle.STATEFUL,
                        severity,
                        state,
                        path.account(),
                        Instant.ofEpochMilli(path.asOf()),
                        text)
                .setThresholdValue(Alerts.decimal(threshold, path.currency()))
                .setUnit(path.currency())
                .build();
    }

    private static String message(
            String which, CashForecast.Crossing c, Path path, long threshold) {
        String currency = path.currency();
        StringBuilder m =
                new StringBuilder("Account ")
                        .append(path.account())
                        .append(" is projected below ")
                        .append(Alerts.money(threshold, currency))
                        .append(which.equals("p10") ? " on the low (p10) path" : "")
                        .append(" on ")
                        .append(DAY.format(c.date()));
        if (!c.drivers().isEmpty()) {
            m.append("; driven by ");
            for (int i = 0; i < c.drivers().size(); i++) {
                CashForecast.Item d = c.drivers().get(i);
                if (i > 0) m.append("; ");
                m.append(d.label())
                        .append(' ')
                        .append(Alerts.money(-d.amountMinor(), currency))
                        .append(" on ")
                        .append(DAY.format(d.date()));
            }
        }
        return m.toString();
    }
}
