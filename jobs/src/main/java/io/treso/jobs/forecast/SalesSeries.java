package io.treso.jobs.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.Preconditions;

/**
 * One store's sales through one PSP, on the way to the bank: the money captured and not yet paid
 * out, day by day; the daily sales model (Holt-Winters, weekly); the payout lag learned from which
 * captured days each payout settles (first in, first out); and the share of gross that reaches the
 * bank once fees and refunds are taken. A POJO for Flink state; state stays bounded because settled
 * days leave and unsettled ones older than {@link #MAX_UNPAID_DAYS} fold into one.
 */
public final class SalesSeries {
    /**
     * Payouts this many days apart or more come in batches (weekly, a marketplace's fortnight):
     * money waits for the next one. Closer ones (daily, skipping weekends) follow the lag.
     */
    static final int BATCH_DAYS = 4;

    /** Money captured this long ago and still not paid out is not expected on any schedule. */
    static final int MAX_UNPAID_DAYS = 45;

    /** Basis points of captured money that reach the bank, until a payout has been seen. */
    static final long DEFAULT_NET_BPS = 9_500;

    /** Days of captures kept to measure what a payout covered. */
    static final int CAPTURED_DAYS_KEPT = 60;

    /** Days of VAT kept: a quarter and the month it is paid in, with room. */
    static final int TAX_DAYS_KEPT = 140;

    /** The sales model's coefficients, basis points: level, trend, weekday offsets. */
    static final SeasonalSmoothing MODEL = new SeasonalSmoothing(2_000, 0, 3_000);

    public String key;

    /** The currency of the sales. */
    public String currency;

    /** The account the latest payout went to; null until one names it. */
    public String account;

    /** Money captured per epoch day, not yet fed to the model. */
    public TreeMap<Integer, Long> open = new TreeMap<>();

    /** Money captured per epoch day, not yet settled by a payout. */
    public TreeMap<Integer, Long> unpaid = new TreeMap<>();

    /** The last epoch day given to the model; {@code Integer.MIN_VALUE} before the first. */
    public int modeledThrough = Integer.MIN_VALUE;

    public SeasonalSmoothing.State model = new SeasonalSmoothing.State();
    public LearnedLag lag = new LearnedLag();

    /** The latest payout's arrival day; {@code Integer.MIN_VALUE} before the first. */
    public int lastArrival = Integer.MIN_VALUE;

    /** Days between payouts: 1 for a daily payer, 14 for a marketplace's settlements. */
    public LearnedLag interval = new LearnedLag();

    /** Captures per epoch day, net of refunds, for the last {@link #CAPTURED_DAYS_KEPT} days. */
    public TreeMap<Integer, Long> captured = new TreeMap<>();

    /** The day of the latest payout; captures before it are covered by payouts. */
    public int lastPayoutDay = Integer.MIN_VALUE;

    /** Captures on days payouts have covered, and what those payouts paid (gross, net). */
    public long capturedCovered;

    public long grossSeen;
    public long netSeen;

    /**
     * Per capture day, for the last {@link #TAX_DAYS_KEPT} days: the captures whose VAT was given,
     * that VAT, the VAT refunds gave back, and the refunds that gave none ({@link #TAXED}, {@link
     * #TAX}, {@link #REFUNDED_TAX}, {@link #UNTAXED_REFUNDS}). Refunds without VAT are valued at
     * the rate of the days closed when the VAT is asked for, so the figure never depends on arrival
     * order.
     */
    public TreeMap<Integer, long[]> tax = new TreeMap<>();

    static final int TAXED = 0, TAX = 1, REFUNDED_TAX = 2, UNTAXED_REFUNDS = 3;

    /** The day-end timer last asked for, so each order does not ask again. */
    public long timer = Long.MIN_VALUE;

    public SalesSeries() {}

    public static SalesSeries of(String key, String currency) {
        SalesSeries s = new SalesSeries();
        s.key = key;
        s.currency = currency;
        return s;
    }

    /**
     * Money captured on {@code day} (negative: refunded). A day already modeled still counts as
     * unpaid.
     */
    public void capture(int day, long amountMinor) {
        capture(day, amountMinor, UNKNOWN_TAX);
    }

    /** A VAT not given by the source. */
    public static final long UNKNOWN_TAX = -1;

    /**
     * The same with its VAT ({@link #UNKNOWN_TAX} when not given): a capture's adds to the day's, a
     * refund's takes back from it (at the series' rate when not given).
     */
    public void capture(int day, long amountMinor, long taxMinor) {
        if (amountMinor > 0 && taxMinor >= 0) {
            long[] t = tax.computeIfAbsent(day, d -> new long[4]);
            t[TAXED] = Math.addExact(t[TAXED], amountMinor);
            t[TAX] = Math.addExact(t[TAX], taxMinor);
        } else if (amountMinor < 0) {
            long[] t = tax.computeIfAbsent(day, d -> new long[4]);
            if (taxMinor >= 0) t[REFUNDED_TAX] = Math.addExact(t[REFUNDED_TAX], taxMinor);
            else t[UNTAXED_REFUNDS] = Math.addExact(t[UNTAXED_REFUNDS], -amountMinor);
        }
        unpaid.merge(day, amountMinor, Math::addExact);
        captured.merge(day, amountMinor, Math::addExact);
        if (day > modeledThrough) open.merge(day, amountMinor, Math::addExact);
    }

    /** Feeds the model every day up to {@code day}: days without sales count as zero. */
    public void closeThrough(int day) {
        if (modeledThrough == Integer.MIN_VALUE) {
            if (open.isEmpty() || open.firstKey() > day) return;
            modeledThrough = open.firstKey() - 1;
        }
        for (int d = modeledThrough + 1; d <= day; d++) {
            Long sales = open.remove(d);
            MODEL.observe(model, sales == null ? 0 : sales);
        }
        modeledThrough = Math.max(modeledThrough, day);
        unpaid.headMap(day - MAX_UNPAID_DAYS).clear();
        captured.headMap(day - CAPTURED_DAYS_KEPT).clear();
        tax.headMap(day - TAX_DAYS_KEPT).clear();
    }

    /** The store of the series. */
    String store() {
        return key.substring(0, key.indexOf('|'));
    }

    /**
     * The VAT in {@code minor} of sales, at the rate the captures of the days through {@code
     * through} showed (0 before any gave its VAT).
     */
    long taxOf(long minor, int through) {
        long taxed = 0, vat = 0;
        for (long[] t : tax.headMap(through, true).values()) {
            taxed = Math.addExact(taxed, t[TAXED]);
            vat = Math.addExact(vat, t[TAX]);
        }
        if (taxed <= 0) return 0;
        return SeasonalSmoothing.divide(Math.multiplyExact(minor, vat), taxed);
    }

    /**
     * The VAT collected from {@code from} to {@code to} (epoch days), as of the end of {@code to}.
     */
    long vat(int from, int to) {
        long sum = 0, untaxed = 0;
        for (long[] t : tax.subMap(from, true, to, true).values()) {
            sum = Math.addExact(sum, t[TAX] - t[REFUNDED_TAX]);
            untaxed = Math.addExact(untaxed, t[UNTAXED_REFUNDS]);
        }
        return untaxed == 0 ? sum : sum - taxOf(untaxed, to);
    }

    /**
     * The modeled sales of each day from {@code from} to {@code to} (epoch days, inclusive) after
     * the last modeled one, under a scenario's rules; empty before the model is ready.
     */
    TreeMap<Integer, Long> modeledSales(int from, int to, ScenarioRules rules) {
        TreeMap<Integer, Long> out = new TreeMap<>();
        if (modeledThrough == Integer.MIN_VALUE || !SeasonalSmoothing.ready(model)) return out;
        for (int d = Math.max(from, modeledThrough + 1); d <= to; d++) {
            out.put(d, modeledSale(d - modeledThrough, rules));
        }
        return out;
    }

    /** The model's sales {@code h} days after the last modeled day, times a scenario's factor. */
    private long modeledSale(int h, ScenarioRules rules) {
        long sales = Math.max(0, SeasonalSmoothing.forecast(model, h));
        long factor = rules.salesFactorBps(store(), modeledThrough + h);
        if (factor == SeasonalSmoothing.ONE) return sales;
        return SeasonalSmoothing.divide(Math.multiplyExact(sales, factor), SeasonalSmoothing.ONE);
    }

    /**
     * A payout first seen on {@code day}: it covers the captures since the last payout, and settles
     * the oldest unpaid money, as much as its gross stands for in captures (a marketplace that
     * keeps the VAT or a reserve pays less gross than was captured). That money's mean capture day
     * tells how long the PSP took to pay.
     */
    public void payout(int day, long grossMinor, long netMinor, int arrivalDay, String account) {
        Preconditions.checkArgument(grossMinor >= 0, "gross is not negative: %s", grossMinor);
        if (account != null) this.account = account;
        if (lastArrival != Integer.MIN_VALUE && arrivalDay > lastArrival) {
            interval.observe(arrivalDay - lastArrival);
        }
        lastArrival = Math.max(lastArrival, arrivalDay);
        if (grossMinor > 0) {
            long covered = 0;
            for (long c : captured.subMap(lastPayoutDay, day).values()) covered += c;
            capturedCovered = Math.addExact(capturedCovered, Math.max(0, covered));
            grossSeen = Math.addExact(grossSeen, grossMinor);
            netSeen = Math.addExact(netSeen, netMinor);
            lastPayoutDay = Math.max(lastPayoutDay, day);
        }
        // Gross in captures: gross ÷ (gross per captured) so far.
        long left =
                capturedCovered > 0 && grossSeen > 0
                        ? SeasonalSmoothing.divide(
                                Math.multiplyExact(grossMinor, capturedCovered), grossSeen)
                        : grossMinor;
        long weighted = 0, settled = 0;
        while (left > 0 && !unpaid.isEmpty() && unpaid.firstKey() <= day) {
            Map.Entry<Integer, Long> e = unpaid.firstEntry();
            if (e.getValue() <= 0) {
                // More refunded than captured that day: it lessens the next day's money.
                unpaid.pollFirstEntry();
                if (e.getValue() < 0 && !unpaid.isEmpty()) {
                    unpaid.merge(unpaid.firstKey(), e.getValue(), Math::addExact);
                }
                continue;
            }
            long take = Math.min(left, e.getValue());
            weighted = Math.addExact(weighted, Math.multiplyExact(take, (long) e.getKey()));
            settled += take;
            left -= take;
            if (take == e.getValue()) unpaid.pollFirstEntry();
            else unpaid.put(e.getKey(), e.getValue() - take);
        }
        if (settled > 0) {
            long meanDay = SeasonalSmoothing.divide(weighted, settled);
            lag.observe(Math.max(0, arrivalDay - meanDay));
        }
    }

    /** The share of captured money that reaches the bank, basis points. */
    public long netBps() {
        if (capturedCovered <= 0) return DEFAULT_NET_BPS;
        return Math.max(
                0, SeasonalSmoothing.divide(Math.multiplyExact(netSeen, 10_000L), capturedCovered));
    }

    /** {@code minor} captured, as money in the bank: net of fees, refunds and withholdings. */
    long net(long minor) {
        return SeasonalSmoothing.divide(Math.multiplyExact(minor, netBps()), 10_000L);
    }

    /**
     * What this series will pay into the bank after {@code asOfDay}: the unpaid money, each day's
     * at its capture day plus the lag; then the modeled sales of each day from {@code
     * lastCapturedDay + 1}, at that day plus the lag. Nothing is modeled before a week of history.
     */
    public List<CashForecast.Item> items(int asOfDay, long fallbackLagDays, int horizon) {
        return items(asOfDay, fallbackLagDays, horizon, ScenarioRules.NONE);
    }

    /** The same under a scenario's rules: its sales factor, its PSP's extra lag. */
    public List<CashForecast.Item> items(
            int asOfDay, long fallbackLagDays, int horizon, ScenarioRules rules) {
        // Days after the last closed one are still filling: the model stands for them.
        if (modeledThrough == Integer.MIN_VALUE) return List.of();
        List<CashForecast.Item> items = new ArrayList<>();
        String store = store();
        String psp = key.substring(key.indexOf('|') + 1);
        int later = rules.pspLagDays(psp);
        long lagDays = lag.days(fallbackLagDays);
        for (Map.Entry<Integer, Long> e : unpaid.headMap(modeledThrough, true).entrySet()) {
            long amount = net(e.getValue());
            if (amount <= 0) continue;
            long arrival = Math.max(asOfDay + 1L, arrival(e.getKey(), asOfDay, lagDays) + later);
            items.add(
                    new CashForecast.Item(
                            java.time.LocalDate.ofEpochDay(arrival),
                            amount,
                            CashForecast.Kind.CAPTURED_NOT_PAID_OUT,
                            psp + " " + store + " captured"));
        }
        if (!SeasonalSmoothing.ready(model)) return items;
        for (int h = 1; ; h++) {
            long arrival =
                    Math.max(asOfDay + 1L, arrival(modeledThrough + h, asOfDay, lagDays) + later);
            if (arrival > (long) asOfDay + horizon) break;
            long amount = net(modeledSale(h, rules));
            if (amount == 0) continue;
            items.add(
                    new CashForecast.Item(
                            java.time.LocalDate.ofEpochDay(arrival),
                            amount,
                            CashForecast.Kind.MODELED_SALES,
                            psp + " " + store + " sales"));
        }
        return items;
    }

    /**
     * When money captured on {@code day} reaches the bank: its lag later for a daily payer; for a
     * payer in batches ({@link #BATCH_DAYS} or more apart) (a marketplace every 14 days), on the
     * first payout date of the schedule after that day and after the latest payout. A date already
     * past is late money, expected the next day.
     */
    long arrival(int day, int asOfDay, long lagDays) {
        long every = interval.days(1);
        long date;
        if (every < BATCH_DAYS || lastArrival == Integer.MIN_VALUE) {
            date = day + lagDays;
        } else {
            // Money captured before the latest payout and not in it waits for the next one.
            long k = Math.max(1, Math.floorDiv((long) day - lastArrival, every) + 1);
            date = lastArrival + k * every;
        }
        return Math.max(asOfDay + 1L, date);
    }

    /** The model's one-day error, net of fees: what this series adds to the band. */
    public long errorMinor() {
        return net(model.errorMinor);
    }
}
