package io.treso.jobs.forecast;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
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
import java.util.TreeMap;

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

    /** Debits looked at per counterparty: enough for a monthly series to show itself again. */
    static final int DEBITS_KEPT = 6;

    /**
     * Lines kept per counterparty: more than looked at, so lines booked after a close still waiting
     * for its snapshot do not push out what that close saw.
     */
    static final int HISTORY_KEPT = 12;

    /** Counterparties whose debits are kept; the quietest leaves first. */
    static final int COUNTERPARTIES_KEPT = 500;

    /** An open item this long overdue is forgotten. */
    static final int OVERDUE_DAYS_DROPPED = 90;

    /**
     * A receivable this many days past when its customer usually pays is no longer expected on a
     * date: it is a collection problem, not cash to plan with.
     */
    static final int OVERDUE_DAYS_EXPECTED = 2;

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

        /** The day of the close that forecast was made from. */
        public int aheadDay;

        /** How far a close lands from the forecast made the bank day before, per day, smoothed. */
        public long residualMinor;

        public int residuals;

        /**
         * The base paths of this account's recent closes by day (epoch), for the paths of its
         * currency and of the base currency, which wait for every account to close that day.
         */
        public TreeMap<Integer, ArrayList<ForecastPoint>> paths = new TreeMap<>();

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

        /** The day it became known (its event's): a forecast learns only from bills it knew. */
        public int known;

        /**
         * When the source said it was paid or cancelled ({@code Long.MAX_VALUE} while open). Kept,
         * not removed, so that a close combining an older day, and the bank line that pays it, see
         * the same book whenever that status arrived.
         */
        public long closedAt = Long.MAX_VALUE;

        public Open() {}
    }

    /** A counterparty's recent debits: epoch days and amounts, oldest first. */
    public static final class Debits {
        /** The counterparty as the bank last wrote it, for messages. */
        public String name;

        public ArrayList<Integer> days = new ArrayList<>();

        /** Each line's booking time and event id. */
        public ArrayList<Long> times = new ArrayList<>();

        public ArrayList<String> ids = new ArrayList<>();

        public ArrayList<Long> amounts = new ArrayList<>();

        public Debits() {}

        /** Adds a line in booking order, keeping the {@link #HISTORY_KEPT} latest. */
        void add(int day, long amountMinor, long time, String id) {
            int i = times.size();
            while (i > 0
                    && (times.get(i - 1) > time
                            || (times.get(i - 1) == time && ids.get(i - 1).compareTo(id) > 0))) i--;
            days.add(i, day);
            amounts.add(i, amountMinor);
            times.add(i, time);
            ids.add(i, id);
            if (days.size() > HISTORY_KEPT) {
                days.remove(0);
                amounts.remove(0);
                times.remove(0);
                ids.remove(0);
            }
        }

        /** The latest {@link #DEBITS_KEPT} booked by {@code time}. */
        Debits asOf(long time) {
            Debits d = new Debits();
            d.name = name;
            for (int i = 0; i < times.size(); i++) {
                if (times.get(i) <= time)
                    d.add(days.get(i), amounts.get(i), times.get(i), ids.get(i));
            }
            while (d.days.size() > DEBITS_KEPT) {
                d.days.remove(0);
                d.amounts.remove(0);
                d.times.remove(0);
                d.ids.remove(0);
            }
            return d;
        }
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

        /** The severity it fired with: its resolution carries the same, so counts balance. */
        public String severity;

        public Episode() {}
    }

    public TreeMap<String, Close> closes = new TreeMap<>();
    public TreeMap<String, String> zones = new TreeMap<>();

    /** Accounts' business-day calendars, as ACCOUNT_CONFIG names them. */
    public TreeMap<String, String> calendars = new TreeMap<>();

    public TreeMap<String, ArrayList<Threshold>> thresholds = new TreeMap<>();
    public TreeMap<String, Payout> payouts = new TreeMap<>();
    public TreeMap<String, Open> open = new TreeMap<>();

    /** By "account|counterparty". */
    public TreeMap<String, Debits> debits = new TreeMap<>();

    public TreeMap<String, Rate> rates = new TreeMap<>();

    /** The rules of each what-if scenario, by scenario id. */
    public TreeMap<String, ArrayList<Scenario>> scenarios = new TreeMap<>();

    /** Closes waiting for the snapshot of their day, in each account's order. */
    public TreeMap<String, ArrayList<BankView>> views = new TreeMap<>();

    /** Each account's booked lines per booking time, to tell when a statement's lines are in. */
    public TreeMap<String, TreeMap<Long, Integer>> booked = new TreeMap<>();

    /** Bills and invoices a bank line has paid. */
    public TreeMap<String, Settlement> settled = new TreeMap<>();

    /** Credits no invoice explained yet, by "account|counterparty": an invoice may come later. */
    public TreeMap<String, Debits> credits = new TreeMap<>();

    /** The bank line that paid a bill or invoice: when it was booked, and its id. */
    public static final class Settlement {
        public long time;
        public int day;
        public String line;

        public Settlement() {}
    }

    /** Every account known (from closes and rules) and its currency. */
    public TreeMap<String, String> currencies = new TreeMap<>();

    /** Open episodes by "account|path", path "p50" or "p10". */
    public TreeMap<String, Episode> episodes = new TreeMap<>();

    /** The bank lines read, by account|id, with their booking time: a redelivery counts once. */
    public TreeMap<String, Long> lineIds = new TreeMap<>();

    /** How long a line's id is remembered after the statements have moved past it. */
    static final long LINE_IDS_KEPT_MILLIS = 35L * 86_400_000L;

    /** BANK_CATEGORY rules, every version: the spending habits classify with them. */
    public ArrayList<io.treso.jobs.reconciliation.BankCategories> categories = new ArrayList<>();

    /** Debits no item explains, by account, for the spending habits ({@link CategoryFlows}). */
    public TreeMap<String, ArrayList<CategoryFlows.Line>> spending = new TreeMap<>();

    /** Each account's first day with a debit: how much history its habits stand on. */
    public TreeMap<String, Integer> firstLine = new TreeMap<>();

    /** VAT regimes by entity, every version. */
    public TreeMap<String, ArrayList<VatRule>> vat = new TreeMap<>();

    /** The VAT of bills and invoices, by document, on the day each was first seen. */
    public TreeMap<String, VatAccrual.Document> vatDocuments = new TreeMap<>();

    /** The accrued VAT last published per {@code vat:} scope still open. */
    public TreeMap<String, Long> vatShown = new TreeMap<>();

    public ForecastBook() {}

    /**
     * Takes one event in event-time order. Returns whether it is a payout seen for the first time
     * (the series then learns from it).
     */
    public boolean apply(ForecastEvent e) {
        switch (e.kind) {
            case CLOSE -> {
                Close c = closes.computeIfAbsent(e.account, a -> new Close());
                if (e.time > c.time) {
                    c.currency = e.currency;
                    c.time = e.time;
                    c.balanceMinor = e.amountMinor;
                    currencies.put(e.account, e.currency);
                    views.computeIfAbsent(e.account, a -> new ArrayList<>())
                            .add(view(e.account, c, e));
                }
            }
            case ZONE -> {
                zones.put(e.account, e.status);
                if (e.label != null) calendars.put(e.account, e.label);
                currencies.putIfAbsent(e.account, e.currency);
            }
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
                currencies.putIfAbsent(e.account, e.currency);
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
            case VAT -> vat.computeIfAbsent(e.vat.entity, x -> new ArrayList<>()).add(e.vat);
            case CATEGORIES -> categories.add(e.categories);
            case OBLIGATION -> {
                vatDocument(e);
                if ("OPEN".equals(e.status) || "DISPUTED".equals(e.status)) {
                    Open o = new Open();
                    o.currency = e.currency;
                    o.receivable = "RECEIVABLE".equals(e.label);
                    o.counterparty = e.counterparty;
                    o.amountMinor = e.amountMinor;
                    o.dueDay = e.day;
                    o.known = (int) Math.floorDiv(e.time - 1, 86_400_000L);
                    open.put(e.id, o);
                    paidAlready(e.id, o);
                } else {
                    Open o = open.get(e.id);
                    if (o != null) o.closedAt = Math.min(o.closedAt, e.time);
                }
            }
            case BANK -> bank(e);
            case SCENARIO ->
                    scenarios
                            .computeIfAbsent(e.scenario.scenarioId, i -> new ArrayList<>())
                            .add(e.scenario);
            case CAPTURE -> throw new IllegalArgumentException("captures go to their series");
        }
        return false;
    }

    /**
     * A document's VAT counts on the day it was first seen, at the most it was ever given (a source
     * that gives the VAT of what is left due lowers it as it is paid); a voided one has none.
     */
    private void vatDocument(ForecastEvent e) {
        if ("CANCELLED".equals(e.status)) {
            VatAccrual.Document d = vatDocuments.get(e.id);
            if (d != null) d.taxMinor = 0;
            return;
        }
        if (e.otherMinor < 0) return;
        VatAccrual.Document d =
                vatDocuments.computeIfAbsent(
                        e.id,
                        i -> {
                            VatAccrual.Document x = new VatAccrual.Document();
                            x.day = ForecastFunction.day(e.time);
                            x.currency = e.currency;
                            return x;
                        });
        long signed = "RECEIVABLE".equals(e.label) ? e.otherMinor : -e.otherMinor;
        if (Math.abs(signed) > Math.abs(d.taxMinor)) d.taxMinor = signed;
    }

    /** The VAT regimes in force at {@code time}: each entity's latest version. */
    List<VatRule> vatRules(long time) {
        List<VatRule> out = new ArrayList<>();
        for (ArrayList<VatRule> versions : vat.values()) {
            VatRule best = null;
            for (VatRule r : versions) {
                if (r.effectiveAt > time) continue;
                if (best == null
                        || r.effectiveAt > best.effectiveAt
                        || (r.effectiveAt == best.effectiveAt && r.version > best.version)) {
                    best = r;
                }
            }
            if (best != null) out.add(best);
        }
        return out;
    }

    /**
     * The accrued VAT of each entity's periods not yet due, as {@code vat:<entity>:<period>}
     * positions at the end of {@code day}: those that changed since last published.
     */
    public List<CashPosition> vatPositions(int day, long time, List<SalesSeries> series) {
        vatDocuments.values().removeIf(d -> d.day < day - SalesSeries.TAX_DAYS_KEPT);
        TreeMap<String, Long> now = new TreeMap<>();
        List<CashPosition> out = new ArrayList<>();
        for (VatRule r : vatRules(time)) {
            VatCalendar calendar = r.calendar();
            VatCalendar.Period p = calendar.periodOf(LocalDate.ofEpochDay(day));
            // The open period, and those ended but not yet due.
            while (p.due().toEpochDay() > day) {
                long accrued = VatAccrual.accrued(r, p, day, series, vatDocuments.values());
                String scope = r.scope(p);
                Long shown = vatShown.get(scope);
                // A period with nothing in it yet (before the first sale) is not news.
                if (shown == null && accrued == 0) {
                    p = calendar.periodOf(p.start().minusDays(1));
                    continue;
                }
                now.put(scope, accrued);
                if (shown == null || shown != accrued) {
                    out.add(
                            CashPosition.newBuilder()
                                    .setScope(scope)
                                    .setCurrency(r.currency)
                                    .setBalanceMinor(accrued)
                                    .setAsOf(Instant.ofEpochMilli(time))
                                    .build());
                }
                p = calendar.periodOf(p.start().minusDays(1));
            }
        }
        vatShown = now;
        return out;
    }

    /** Whether {@code account}'s bank lines booked by {@code time} paid {@code item}'s VAT. */
    private boolean vatPaid(
            DaySnapshot.Planned item, String account, long time, List<VatRule> inForce) {
        String entity = item.ref.substring(4, item.ref.lastIndexOf(':'));
        for (VatRule r : inForce) {
            if (!r.entity.equals(entity) || r.payee == null) continue;
            for (Map.Entry<String, Debits> d :
                    debits.subMap(account + "|", account + "|\uffff").entrySet()) {
                if (!r.paidTo(d.getValue().name)) continue;
                Debits booked = d.getValue();
                for (int i = 0; i < booked.days.size(); i++) {
                    if (booked.times.get(i) <= time && booked.days.get(i) > item.every) return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code who} is a tax office a VAT regime pays (its debits are VAT, not a supplier).
     */
    private static boolean taxOffice(String who, List<VatRule> inForce) {
        for (VatRule r : inForce) if (r.paidTo(who)) return true;
        return false;
    }

    /** Days of the last forecast kept to score the next close against. */
    static final int AHEAD_KEPT = 7;

    /** Scores the forecast made at the last close against this one, in error per day. */
    private static void residual(Close c, BankView v) {
        int i = v.day - c.aheadFrom;
        long steps = (long) v.day - c.aheadDay;
        if (c.ahead.length == 0 || i < 0 || i >= c.ahead.length || steps < 1) return;
        BigDecimal miss = BigDecimal.valueOf(Math.abs(v.balanceMinor - c.ahead[i]));
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
        // A line delivered twice (banks resend, statements overlap) is one payment.
        if (lineIds.putIfAbsent(e.account + "|" + e.id, e.time) != null) return;
        booked.computeIfAbsent(e.account, a -> new TreeMap<>()).merge(e.time, 1, Integer::sum);
        String who = normal(e.counterparty);
        String reference = normal(e.label);
        // The item the line names (a reference carrying its number) first, whatever it pays.
        for (Map.Entry<String, Open> o : open.entrySet()) {
            Open item = o.getValue();
            if ((e.amountMinor > 0) == item.receivable
                    && !settled.containsKey(o.getKey())
                    && !reference.isEmpty()
                    && reference.contains(normal(o.getKey()))) {
                settle(o.getKey(), item, e);
                return;
            }
        }
        for (Map.Entry<String, Open> o : open.entrySet()) {
            Open item = o.getValue();
            long signed = item.receivable ? item.amountMinor : -item.amountMinor;
            if (signed == e.amountMinor
                    && !settled.containsKey(o.getKey())
                    && normal(item.counterparty).equals(who)) {
                settle(o.getKey(), item, e);
                return;
            }
        }
        if (e.amountMinor < 0) {
            remember(e.account, e.counterparty, e);
            spent(e);
        } else if (!who.isEmpty()) {
            Debits c = credits.computeIfAbsent(e.account + "|" + who, w -> new Debits());
            c.add(e.day, e.amountMinor, e.time, e.id);
            keepBounded(credits);
        }
    }

    /** A debit no item explains, kept with its category for the spending habits. */
    private void spent(ForecastEvent e) {
        firstLine.merge(e.account, e.day, Math::min);
        ArrayList<CategoryFlows.Line> lines =
                spending.computeIfAbsent(e.account, a -> new ArrayList<>());
        CategoryFlows.Line l = new CategoryFlows.Line();
        l.time = e.time;
        l.day = e.day;
        l.amountMinor = e.amountMinor;
        l.counterparty = e.counterparty;
        l.reference = e.label;
        l.who = normal(e.counterparty);
        lines.add(l);
        lines.removeIf(x -> x.day < e.day - 7 * CategoryFlows.WEEKS - 7);
        while (lines.size() > CategoryFlows.LINES_KEPT) lines.remove(0);
    }

    /** A debit in its counterparty's history, for the cadence it may show. */
    private void remember(String account, String name, ForecastEvent line) {
        Debits d = debits.computeIfAbsent(account + "|" + normal(name), w -> new Debits());
        d.name = name == null ? "" : name.strip();
        d.add(line.day, -Math.abs(line.amountMinor), line.time, line.id);
        keepBounded(debits);
    }

    /** Past {@link #COUNTERPARTIES_KEPT} counterparties, the one quiet the longest leaves. */
    private static void keepBounded(TreeMap<String, Debits> histories) {
        if (histories.size() <= COUNTERPARTIES_KEPT) return;
        String quietest = null;
        int oldest = Integer.MAX_VALUE;
        for (Map.Entry<String, Debits> x : histories.entrySet()) {
            int last = x.getValue().days.get(x.getValue().days.size() - 1);
            if (last < oldest) {
                oldest = last;
                quietest = x.getKey();
            }
        }
        histories.remove(quietest);
    }

    /**
     * A bill or invoice whose bank line came in first (the bank and the bills arrive on their own
     * streams): the line already read settles it, under that line's own number.
     */
    private void paidAlready(String document, Open item) {
        String account = primary(item.currency);
        String key = account + "|" + normal(item.counterparty);
        Debits d = item.receivable ? credits.get(key) : debits.get(key);
        if (d == null) return;
        long signed = item.receivable ? item.amountMinor : -item.amountMinor;
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Settlement x : settled.values()) used.add(x.line);
        // The earliest line not yet used, as the line would have found it had it come second.
        for (int i = 0; i < d.days.size(); i++) {
            if (d.amounts.get(i) == signed
                    && d.days.get(i) >= item.dueDay - 45
                    && !used.contains(d.ids.get(i))) {
                record(document, d.times.get(i), d.days.get(i), d.ids.get(i));
                return;
            }
        }
    }

    /** An item paid by bank line {@code line}. */
    private void settle(String document, Open item, ForecastEvent line) {
        if (!item.receivable) remember(line.account, item.counterparty, line);
        record(document, line.time, line.day, line.id);
    }

    private void record(String document, long time, int day, String line) {
        Settlement s = new Settlement();
        s.time = time;
        s.day = day;
        s.line = line;
        settled.put(document, s);
    }

    /**
     * Days from due date to payment learned from the items paid by lines booked by {@code time} and
     * known by {@code day}, in the bank's order: by counterparty, and for the portfolio of
     * receivables under {@link #PORTFOLIO}. Worked out from the settlements each time, so it never
     * depends on which stream came first.
     */
    TreeMap<String, Long> delays(long time, int day) {
        List<Map.Entry<String, Settlement>> paid = new ArrayList<>();
        for (Map.Entry<String, Settlement> e : settled.entrySet()) {
            Open o = open.get(e.getKey());
            if (o != null && e.getValue().time <= time && o.known <= day) paid.add(e);
        }
        paid.sort(
                java.util.Comparator.comparingLong(
                                (Map.Entry<String, Settlement> e) -> e.getValue().time)
                        .thenComparing(Map.Entry::getKey));
        TreeMap<String, LearnedLag> lags = new TreeMap<>();
        for (Map.Entry<String, Settlement> e : paid) {
            Open o = open.get(e.getKey());
            long delay = (long) e.getValue().day - o.dueDay;
            lags.computeIfAbsent(normal(o.counterparty), w -> new LearnedLag()).observe(delay);
            if (o.receivable) lags.computeIfAbsent(PORTFOLIO, w -> new LearnedLag()).observe(delay);
        }
        TreeMap<String, Long> days = new TreeMap<>();
        lags.forEach((who, lag) -> days.put(who, lag.days(0)));
        return days;
    }

    /** The key of the receivables portfolio's delay (no counterparty is named so). */
    static final String PORTFOLIO = "\u0000portfolio";

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
     * The snapshot of the end of {@code day} (event time {@code time}): every account's items from
     * the streams other than the bank's, for the base and each scenario in force.
     */
    public DaySnapshot snapshot(
            int day, long time, List<SalesSeries> series, long fallbackLagDays) {
        payouts.values().removeIf(p -> p.arrivalDay < day - PAYOUT_DAYS_KEPT);
        // Kept a while past the horizon: a close still to combine with an older snapshot may
        // need to know the bank paid one.
        for (String doc : new ArrayList<>(open.keySet())) {
            if (open.get(doc).dueDay < day - OVERDUE_DAYS_DROPPED - 30) {
                open.remove(doc);
                settled.remove(doc);
            }
        }
        DaySnapshot s = new DaySnapshot();
        s.day = day;
        s.rates = new TreeMap<>(rates);
        s.categories = new ArrayList<>(categories);
        s.vat = new ArrayList<>(vatRules(time));
        Map<String, ScenarioRules> all = new TreeMap<>();
        all.put(BASE, ScenarioRules.NONE);
        all.putAll(scenarios(time));
        for (Map.Entry<String, ScenarioRules> r : all.entrySet()) {
            boolean base = r.getKey().equals(BASE);
            s.items.put(
                    r.getKey(),
                    planned(
                            day,
                            time,
                            series,
                            fallbackLagDays,
                            r.getValue(),
                            base ? s.errors : null));
            if (!base) s.rules.put(r.getKey(), new ArrayList<>(scenarios.get(r.getKey())));
        }
        return s;
    }

    /** Each account's items as of the end of {@code day}, under {@code rules}. */
    private TreeMap<String, ArrayList<DaySnapshot.Planned>> planned(
            int day,
            long time,
            List<SalesSeries> series,
            long fallbackLagDays,
            ScenarioRules rules,
            TreeMap<String, long[]> errorsOut) {
        Map<String, TreeMap<String, Long>> flows = new TreeMap<>();
        Map<String, List<Long>> errors = new TreeMap<>();
        TreeMap<String, ArrayList<DaySnapshot.Planned>> out = new TreeMap<>();
        for (String a : currencies.keySet()) {
            flows.put(a, new TreeMap<>());
            errors.put(a, new ArrayList<>());
            out.put(a, new ArrayList<>());
        }
        for (SalesSeries s : series) {
            String a =
                    s.account != null && currencies.containsKey(s.account)
                            ? s.account
                            : primary(s.currency);
            if (a == null) continue;
            for (CashForecast.Item i :
                    s.items(day, fallbackLagDays, CashForecast.HORIZON_DAYS, rules)) {
                convert(i.amountMinor(), s.currency, currencies.get(a))
                        .ifPresent(
                                v ->
                                        flows.get(a)
                                                .merge(
                                                        i.date().toEpochDay()
                                                                + "|"
                                                                + i.kind().name(),
                                                        v,
                                                        Math::addExact));
            }
            if (SeasonalSmoothing.ready(s.model)) {
                convert(s.errorMinor(), s.currency, currencies.get(a))
                        .ifPresent(errors.get(a)::add);
            }
        }
        for (Payout p : payouts.values()) {
            String a =
                    p.account != null && currencies.containsKey(p.account)
                            ? p.account
                            : primary(p.currency);
            if (a == null || p.arrivalDay <= day) continue;
            convert(p.netMinor, p.currency, currencies.get(a))
                    .ifPresent(
                            v ->
                                    flows.get(a)
                                            .merge(
                                                    p.arrivalDay
                                                            + "|"
                                                            + CashForecast.Kind.PAYOUT.name(),
                                                    v,
                                                    Math::addExact));
        }
        // Inflows from sales and payouts are summed per day and kind: no message names them.
        for (Map.Entry<String, TreeMap<String, Long>> f : flows.entrySet()) {
            for (Map.Entry<String, Long> x : f.getValue().entrySet()) {
                String[] k = x.getKey().split("\\|");
                CashForecast.Kind kind = CashForecast.Kind.valueOf(k[1]);
                out.get(f.getKey())
                        .add(
                                DaySnapshot.Planned.of(
                                        Integer.parseInt(k[0]),
                                        x.getValue(),
                                        kind,
                                        kind.name(),
                                        null));
            }
        }
        for (Map.Entry<String, Open> e : open.entrySet()) {
            Open o = e.getValue();
            String a = primary(o.currency);
            if (a == null || o.dueDay < day - OVERDUE_DAYS_DROPPED || o.closedAt <= time) continue;
            // The due date as is: the close adds the delay the bank has taught it.
            long expected = o.dueDay;
            if (!o.receivable) expected += rules.payablesDelayDays(o.counterparty);
            out.get(a)
                    .add(
                            DaySnapshot.Planned.of(
                                    (int) expected,
                                    o.receivable ? o.amountMinor : -o.amountMinor,
                                    o.receivable
                                            ? CashForecast.Kind.RECEIVABLE
                                            : CashForecast.Kind.PAYABLE,
                                    o.counterparty,
                                    e.getKey()));
        }
        for (Scenario x : rules.extras()) {
            String a = currencies.containsKey(x.scope) ? x.scope : primary(x.currency);
            if (a == null) continue;
            convert(x.amountMinor, x.currency, currencies.get(a))
                    .ifPresent(
                            v ->
                                    out.get(a)
                                            .add(
                                                    DaySnapshot.Planned.of(
                                                            Math.max(day + 1, x.day),
                                                            v,
                                                            CashForecast.Kind.SCENARIO,
                                                            x.label,
                                                            null)));
        }
        for (VatRule r : vatRules(time)) {
            String a =
                    r.account != null && currencies.containsKey(r.account)
                            ? r.account
                            : primary(r.currency);
            if (a == null) continue;
            for (VatAccrual.Due d :
                    VatAccrual.dues(
                            r,
                            day,
                            series,
                            vatDocuments.values(),
                            rules,
                            CashForecast.HORIZON_DAYS)) {
                int pay = (int) payDay(a, d.period().due()).toEpochDay();
                // Past its pay day it is late, expected the next day, as long as the tax office's
                // lines can show it paid; without a payee nothing would ever tell.
                if (d.payableMinor() == 0 || (pay <= day && r.payee == null)) continue;
                int when = Math.max(pay, day + 1);
                convert(-d.payableMinor(), r.currency, currencies.get(a))
                        .ifPresent(
                                v -> {
                                    DaySnapshot.Planned p =
                                            DaySnapshot.Planned.of(
                                                    when,
                                                    v,
                                                    CashForecast.Kind.VAT,
                                                    "VAT "
                                                            + d.period().id()
                                                            + " ("
                                                            + r.entity
                                                            + ")",
                                                    r.scope(d.period()));
                                    // A payment to the tax office after the period pays it.
                                    p.every = (int) d.period().end().toEpochDay();
                                    out.get(a).add(p);
                                });
            }
        }
        if (errorsOut != null) {
            errors.forEach(
                    (a, e) -> errorsOut.put(a, e.stream().mapToLong(Long::longValue).toArray()));
        }
        return out;
    }

    /** What the bank's side knows at {@code account}'s new close {@code c}. */
    private BankView view(String account, Close c, ForecastEvent close) {
        BankView v = new BankView();
        v.account = account;
        v.time = c.time;
        v.day = (int) date(account).toEpochDay();
        v.balanceMinor = c.balanceMinor;
        v.periodStart = close.otherMinor;
        v.entries = close.entries;
        return v;
    }

    /**
     * Whether the lines of {@code v}'s statement are all in (its entry count booked in its period),
     * or a later close of the account has come, after which no more are waited for.
     */
    public boolean ready(BankView v, boolean later) {
        if (later) return true;
        int in = 0;
        TreeMap<Long, Integer> times = booked.getOrDefault(v.account, new TreeMap<>());
        for (int n : times.subMap(v.periodStart, true, v.time, false).values()) in += n;
        return in >= v.entries;
    }

    /** What the bank's history showed at the close: recurring and regular debits booked by then. */
    private void fill(BankView v, DaySnapshot s) {
        String account = v.account;
        LocalDate asOf = LocalDate.ofEpochDay(v.day);
        List<Long> errors = new ArrayList<>();
        v.items = new ArrayList<>();
        for (Map.Entry<String, Debits> all :
                debits.subMap(account + "|", account + "|\uffff").entrySet()) {
            Map.Entry<String, Debits> d = Map.entry(all.getKey(), all.getValue().asOf(v.time));
            if (d.getValue().days.isEmpty()) continue;
            String key = d.getKey().substring(account.length() + 1);
            if (taxOffice(d.getValue().name, s.vat)) continue;
            String who =
                    d.getValue().name == null || d.getValue().name.isEmpty()
                            ? key
                            : d.getValue().name;
            Optional<RecurringDebits.Recurrence> r = recurring(d.getValue(), asOf);
            if (r.isPresent()) {
                List<CashForecast.Item> items = new ArrayList<>();
                addRecurring(items, r.get(), who, asOf);
                for (CashForecast.Item i : items) {
                    v.items.add(
                            DaySnapshot.Planned.of(
                                    (int) i.date().toEpochDay(),
                                    i.amountMinor(),
                                    i.kind(),
                                    who,
                                    null));
                }
                continue;
            }
            Optional<RecurringDebits.Regular> regular =
                    RecurringDebits.regular(history(d.getValue()));
            if (regular.isPresent()) {
                DaySnapshot.Planned p =
                        DaySnapshot.Planned.of(
                                (int) regular.get().next().toEpochDay(),
                                regular.get().amountMinor(),
                                CashForecast.Kind.REGULAR,
                                who,
                                null);
                p.every = (int) regular.get().gapDays();
                v.items.add(p);
                errors.add(regular.get().deviationMinor() / regular.get().gapDays());
            }
        }
        // Spending habits, from the debits nothing above plans: not the recurring or regular
        // counterparties, not those with bills.
        java.util.Set<String> planned = new java.util.HashSet<>();
        for (DaySnapshot.Planned p : v.items) planned.add(normal(p.label));
        // Suppliers with bills, as the day's snapshot knew them: the live book may have run ahead.
        for (DaySnapshot.Planned p :
                s.items
                        .getOrDefault(BASE, new TreeMap<>())
                        .getOrDefault(account, new ArrayList<>())) {
            if (p.kind == CashForecast.Kind.PAYABLE) planned.add(normal(p.label));
        }
        for (CategoryFlows.Habit h :
                CategoryFlows.habits(
                        spending.getOrDefault(account, new ArrayList<>()),
                        v.time,
                        v.day,
                        firstLine.getOrDefault(account, v.day),
                        planned,
                        // The rules of the close's day: which arrived by then never depends on
                        // how far the bank ran ahead.
                        l -> {
                            var c =
                                    io.treso.jobs.reconciliation.BankCategories.categorise(
                                            s.categories,
                                            account,
                                            l.time,
                                            l.counterparty,
                                            l.reference,
                                            l.amountMinor);
                            return c == null ? "OTHER" : c.category();
                        })) {
            for (int d = v.day + 1; d <= v.day + CashForecast.HORIZON_DAYS; d++) {
                long amount = h.byWeekday()[LocalDate.ofEpochDay(d).getDayOfWeek().getValue() - 1];
                if (amount == 0) continue;
                v.items.add(
                        DaySnapshot.Planned.of(
                                d,
                                -amount,
                                CashForecast.Kind.CATEGORY_FLOW,
                                h.category().toLowerCase(Locale.ROOT).replace('_', ' ')
                                        + " spending",
                                null));
            }
            errors.add(h.errorMinor());
        }
        v.errors = errors.stream().mapToLong(Long::longValue).toArray();
    }

    /** The closes of {@code account} waiting for a snapshot, oldest first. */
    public List<BankView> waiting(String account) {
        return views.getOrDefault(account, new ArrayList<>());
    }

    /**
     * The forecasts from a close and the snapshot of its day: the account's path for the base and
     * each scenario, the shortfall alerts of the base path, and its currency's path once every
     * account in that currency has closed the day.
     */
    public Result combine(BankView v, DaySnapshot s) {
        Close c = closes.get(v.account);
        fill(v, s);
        residual(c, v);
        // Closes combine in their account's order: no later one counts lines before this period.
        booked.getOrDefault(v.account, new TreeMap<>()).headMap(v.periodStart).clear();
        lineIds.subMap(v.account + "|", v.account + "|\uffff")
                .values()
                .removeIf(t -> t < v.periodStart - LINE_IDS_KEPT_MILLIS);
        LocalDate asOf = LocalDate.ofEpochDay(v.day);
        TreeMap<String, Long> delays = delays(v.time, s.day);
        List<ForecastPoint> points = new ArrayList<>();
        List<CashAlert> alerts = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, ArrayList<DaySnapshot.Planned>>> e :
                s.items.entrySet()) {
            boolean base = e.getKey().equals(BASE);
            ScenarioRules rules =
                    base
                            ? ScenarioRules.NONE
                            : ScenarioRules.inForce(
                                    s.rules.getOrDefault(e.getKey(), new ArrayList<>()), v.time);
            List<CashForecast.Item> items = new ArrayList<>();
            Map<String, Integer> billed = new TreeMap<>();
            for (DaySnapshot.Planned p : e.getValue().getOrDefault(v.account, new ArrayList<>())) {
                long day = p.day;
                if (p.kind == CashForecast.Kind.VAT) {
                    if (vatPaid(p, v.account, v.time, s.vat)) continue;
                } else if (p.ref != null) {
                    // A bill or invoice a bank line before this close has paid is in the balance.
                    Settlement paidBy = settled.get(p.ref);
                    if (paidBy != null && paidBy.time <= v.time) continue;
                    long delay =
                            delays.getOrDefault(
                                    normal(p.label),
                                    p.amountMinor > 0 ? delays.getOrDefault(PORTFOLIO, 0L) : 0L);
                    day += Math.max(0, delay);
                    if (p.amountMinor > 0 && day + OVERDUE_DAYS_EXPECTED < v.day) continue;
                    if (p.amountMinor < 0) billed.merge(normal(p.label), (int) day, Math::max);
                }
                items.add(
                        new CashForecast.Item(
                                LocalDate.ofEpochDay(Math.max(v.day + 1L, day)),
                                p.amountMinor,
                                p.kind,
                                p.label));
            }
            for (DaySnapshot.Planned p : v.items) {
                if (p.kind == CashForecast.Kind.REGULAR) {
                    addRegular(
                            items,
                            new RecurringDebits.Regular(
                                    p.every, p.amountMinor, 0, LocalDate.ofEpochDay(p.day)),
                            p.label,
                            asOf,
                            billed.get(normal(p.label)),
                            rules.payablesDelayDays(p.label));
                } else {
                    items.add(
                            new CashForecast.Item(
                                    LocalDate.ofEpochDay(Math.max(v.day + 1L, p.day)),
                                    p.amountMinor,
                                    p.kind,
                                    p.label));
                }
            }
            long[] maes;
            if (c.residuals >= RecurringDebits.MIN_OCCURRENCES) {
                // The whole forecast's own miss covers what no model's residuals see (timing,
                // items not known yet), once a few closes have scored it.
                maes = new long[] {c.residualMinor};
            } else {
                maes =
                        java.util.stream.LongStream.concat(
                                        java.util.Arrays.stream(
                                                s.errors.getOrDefault(v.account, new long[0])),
                                        java.util.Arrays.stream(v.errors))
                                .toArray();
            }
            Path path =
                    new Path(
                            v.account,
                            c.currency,
                            v.time,
                            asOf,
                            items,
                            CashForecast.project(
                                    asOf, v.balanceMinor, items, maes, CashForecast.HORIZON_DAYS));
            path.points()
                    .forEach(p -> points.add(point(v.account, c.currency, v.time, e.getKey(), p)));
            if (!base) continue;
            alerts.addAll(shortfall(path, c.residuals >= RecurringDebits.MIN_OCCURRENCES));
            c.aheadFrom = v.day + 1;
            c.ahead = new long[AHEAD_KEPT];
            for (int d = 0; d < AHEAD_KEPT; d++) c.ahead[d] = path.points().get(d).projectedMinor();
            c.aheadDay = v.day;
            ArrayList<ForecastPoint> kept = new ArrayList<>(path.points().size());
            for (CashForecast.Point p : path.points())
                kept.add(point(v.account, c.currency, v.time, BASE, p));
            c.paths.put(v.day, kept);
        }
        points.addAll(consolidated(v.day, c.currency, s));
        forgetPaths();
        return new Result(points, alerts);
    }

    /** The scenarios in force at {@code time}, by id. */
    private Map<String, ScenarioRules> scenarios(long time) {
        Map<String, ScenarioRules> active = new TreeMap<>();
        for (Map.Entry<String, ArrayList<Scenario>> s : scenarios.entrySet()) {
            ScenarioRules r = ScenarioRules.inForce(s.getValue(), time);
            if (!r.isEmpty()) active.put(s.getKey(), r);
        }
        return active;
    }

    /** Days of paths an account keeps while another account's close of that day is awaited. */
    static final int PATHS_KEPT = 14;

    /**
     * The consolidated paths that the close of {@code day} just completed: its currency's once
     * every account in it has closed that day, and the base currency's once every account has
     * (converted at the rates of that day's snapshot). Whichever account closes the day last brings
     * them about, so the outcome does not depend on the order accounts report in.
     */
    private List<ForecastPoint> consolidated(int day, String currency, DaySnapshot s) {
        List<ForecastPoint> out = new ArrayList<>();
        List<Close> inCurrency = new ArrayList<>();
        for (Close c : closes.values()) if (c.currency.equals(currency)) inCurrency.add(c);
        out.addAll(sum("currency:" + currency, currency, inCurrency, day, s.rates));
        java.util.Set<String> currencies = new java.util.TreeSet<>();
        for (Close c : closes.values()) currencies.add(c.currency);
        if (currencies.size() > 1 && !s.rates.isEmpty()) {
            String base = s.rates.values().iterator().next().base;
            out.addAll(sum("base:" + base, base, new ArrayList<>(closes.values()), day, s.rates));
        }
        return out;
    }

    /** Paths no account's close can still need: older than every account's last close. */
    private void forgetPaths() {
        int floor = Integer.MAX_VALUE;
        for (Close c : closes.values()) {
            floor = Math.min(floor, c.paths.isEmpty() ? Integer.MIN_VALUE : c.paths.lastKey());
        }
        for (Close c : closes.values()) {
            if (floor != Integer.MIN_VALUE) c.paths.headMap(floor).clear();
            while (c.paths.size() > PATHS_KEPT) c.paths.pollFirstEntry();
        }
    }

    /**
     * The paths of {@code accounts} forecast at the close of {@code day}, summed in {@code
     * currency}, bands adding in variance; empty while one of them has not closed that day or a
     * rate is missing.
     */
    private List<ForecastPoint> sum(
            String scope, String currency, List<Close> accounts, int day, Map<String, Rate> at) {
        List<List<ForecastPoint>> paths = new ArrayList<>();
        for (Close c : accounts) {
            List<ForecastPoint> p = c.paths.get(day);
            if (p == null || p.size() < CashForecast.HORIZON_DAYS) return List.of();
            if (!c.currency.equals(currency) && convert(1, c.currency, currency, at).isEmpty()) {
                return List.of();
            }
            paths.add(p);
        }
        if (paths.isEmpty()) return List.of();
        List<ForecastPoint> out = new ArrayList<>();
        long asOfTime =
                paths.stream()
                        .mapToLong(p -> p.get(0).getAsOf().toEpochMilli())
                        .max()
                        .orElseThrow();
        LocalDate from = paths.get(0).get(0).getDate();
        for (int d = 0; d < CashForecast.HORIZON_DAYS; d++) {
            long in = 0, outflow = 0, projected = 0;
            BigDecimal variance = BigDecimal.ZERO;
            Map<String, Long> inKinds = new TreeMap<>(), outKinds = new TreeMap<>();
            for (List<ForecastPoint> path : paths) {
                ForecastPoint x = path.get(d);
                String source = x.getCurrency();
                java.util.function.LongUnaryOperator inTarget =
                        m -> convert(m, source, currency, at).orElseThrow();
                in = Math.addExact(in, inTarget.applyAsLong(x.getInflowMinor()));
                outflow = Math.addExact(outflow, inTarget.applyAsLong(x.getOutflowMinor()));
                projected =
                        Math.addExact(
                                projected, inTarget.applyAsLong(x.getProjectedBalanceMinor()));
                x.getInflowByKind()
                        .forEach(
                                (k, v) ->
                                        inKinds.merge(k, inTarget.applyAsLong(v), Math::addExact));
                x.getOutflowByKind()
                        .forEach(
                                (k, v) ->
                                        outKinds.merge(k, inTarget.applyAsLong(v), Math::addExact));
                BigDecimal half =
                        BigDecimal.valueOf(
                                inTarget.applyAsLong(
                                        x.getHighMinor() - x.getProjectedBalanceMinor()));
                variance = variance.add(half.multiply(half));
            }
            long half =
                    variance.sqrt(MathContext.DECIMAL64)
                            .setScale(0, RoundingMode.HALF_UP)
                            .longValueExact();
            out.add(
                    point(
                            scope,
                            currency,
                            asOfTime,
                            BASE,
                            new CashForecast.Point(
                                    from.plusDays(d),
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
            String scope, String currency, long asOf, String scenario, CashForecast.Point p) {
        return ForecastPoint.newBuilder()
                .setScope(scope)
                .setDate(p.date())
                .setCurrency(currency)
                .setInflowMinor(p.inflowMinor())
                .setOutflowMinor(p.outflowMinor())
                .setProjectedBalanceMinor(p.projectedMinor())
                .setLowMinor(p.lowMinor())
                .setHighMinor(p.highMinor())
                .setScenarioId(scenario)
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setInflowByKind(new TreeMap<>(p.inflowByKind()))
                .setOutflowByKind(new TreeMap<>(p.outflowByKind()))
                .build();
    }

    /** The bank day {@code account} pays what is due on {@code due}: that day or the next open. */
    LocalDate payDay(String account, LocalDate due) {
        String zone = zones.get(account);
        ZoneId z = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
        String id = calendars.get(account);
        return (id != null
                        ? io.treso.calendar.BusinessCalendar.of(id, z)
                        : io.treso.calendar.BusinessCalendar.forCurrency(
                                currencies.get(account), z))
                .onOrAfter(due);
    }

    /** The account that money in {@code currency} lands in when nothing names one. */
    String primary(String currency) {
        for (Map.Entry<String, String> c : currencies.entrySet()) {
            if (c.getValue().equals(currency)) return c.getKey();
        }
        return null;
    }

    /**
     * {@code minor} of {@code from} in {@code to}, through the latest rates to their common base;
     * empty while a rate is missing (the item is then left out, not guessed).
     */
    Optional<Long> convert(long minor, String from, String to) {
        return convert(minor, from, to, rates);
    }

    /** The same at the given rates (a day's snapshot's). */
    static Optional<Long> convert(long minor, String from, String to, Map<String, Rate> rates) {
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
            Integer lastBilled,
            int delayDays) {
        LocalDate next = r.next().plusDays(delayDays);
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
     * threshold (CRITICAL within 14 days, WARNING later), or only the p10 path (INFO, once the band
     * has scored itself three times). A forecast that no longer crosses resolves the episode.
     */
    private List<CashAlert> shortfall(Path path, boolean bandScored) {
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
                // The low path alone is worth a look only once the band has been scored against
                // the bank: before, it is the models' prior, wide for a new volatile series.
                p50.isPresent() || !bandScored ? Optional.empty() : p10,
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
            e.severity = severity.name();
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
                            open.severity != null
                                    ? Severity.valueOf(open.severity)
                                    : which.equals("p10") ? Severity.INFO : Severity.WARNING,
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
