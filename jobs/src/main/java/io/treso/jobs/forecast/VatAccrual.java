package io.treso.jobs.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One entity's VAT, period by period: what has accrued (VAT collected on its stores' sales, less
 * refunds, plus the VAT of its invoices, less the deductible VAT of its bills) and, for the days of
 * a period still to come, what the sales models add. Plain Java over the sales series and the
 * obligations' VAT; periods are cut on UTC days, like every non-bank day of the forecast.
 */
final class VatAccrual {
    private VatAccrual() {}

    /** The VAT of a document, on the UTC day it was first seen: + collected, − deductible. */
    static final class Document {
        public int day;
        public String currency;
        public long taxMinor;

        public Document() {}
    }

    /** A period's VAT: accrued through the day, and modeled for its remaining days. */
    record Due(VatCalendar.Period period, long accruedMinor, long modeledMinor) {
        /** What the return will ask; a credit is carried forward, not paid out. */
        long payableMinor() {
            return Math.max(0, Math.addExact(accruedMinor, modeledMinor));
        }
    }

    /**
     * Days past its due date a return is still expected (a due date on a bank holiday, a payment a
     * few days late): the caller keeps it only while the bank has not shown it paid.
     */
    static final int LATE_DAYS = 7;

    /** How far back a period still unpaid can start: a quarter and its due month. */
    static final int LOOKBACK_DAYS = 125;

    /**
     * The periods of {@code rule} not due more than {@link #LATE_DAYS} before the end of {@code
     * day} whose due date falls within {@code horizon} days, oldest first.
     */
    static List<Due> dues(
            VatRule rule,
            int day,
            List<SalesSeries> series,
            Collection<Document> documents,
            ScenarioRules rules,
            int horizon) {
        VatCalendar calendar = rule.calendar();
        long documentsBps = documentsBps(rule, calendar, day, series, documents);
        List<Due> out = new ArrayList<>();
        for (VatCalendar.Period p = calendar.periodOf(LocalDate.ofEpochDay(day - LOOKBACK_DAYS));
                p.due().toEpochDay() <= (long) day + horizon;
                p = calendar.periodOf(p.end().plusDays(1))) {
            if (p.due().toEpochDay() <= day - LATE_DAYS) continue;
            long accrued = accrued(rule, p, day, series, documents);
            long modeled = modeled(rule, p, day, series, rules);
            modeled =
                    Math.max(
                            0,
                            modeled
                                    + SeasonalSmoothing.divide(
                                            Math.multiplyExact(modeled, documentsBps), 10_000));
            out.add(new Due(p, accrued, modeled));
        }
        return out;
    }

    /** The VAT accrued in {@code p} through the end of {@code day}. */
    static long accrued(
            VatRule rule,
            VatCalendar.Period p,
            int day,
            List<SalesSeries> series,
            Collection<Document> documents) {
        return Math.addExact(collected(rule, p, day, series), documents(rule, p, day, documents));
    }

    private static long collected(
            VatRule rule, VatCalendar.Period p, int day, List<SalesSeries> series) {
        int from = (int) p.start().toEpochDay();
        int to = (int) Math.min(p.end().toEpochDay(), day);
        long sum = 0;
        for (SalesSeries s : series) {
            if (!rule.declares(s.store(), s.currency) || from > to) continue;
            sum = Math.addExact(sum, s.vat(from, to));
        }
        return sum;
    }

    /** The documents' VAT in {@code p} by {@code day}, signed (deductible negative). */
    private static long documents(
            VatRule rule, VatCalendar.Period p, int day, Collection<Document> documents) {
        if (!rule.obligations) return 0;
        long from = p.start().toEpochDay(), to = Math.min(p.end().toEpochDay(), day);
        long sum = 0;
        for (Document d : documents) {
            if (d.currency.equals(rule.currency) && d.day >= from && d.day <= to) {
                sum = Math.addExact(sum, d.taxMinor);
            }
        }
        return sum;
    }

    /** The VAT the sales models expect on the days of {@code p} after {@code day}. */
    private static long modeled(
            VatRule rule,
            VatCalendar.Period p,
            int day,
            List<SalesSeries> series,
            ScenarioRules rules) {
        long sum = 0;
        for (SalesSeries s : series) {
            if (!rule.declares(s.store(), s.currency)) continue;
            for (Map.Entry<Integer, Long> e :
                    s.modeledSales(
                                    (int) Math.max(day + 1L, p.start().toEpochDay()),
                                    (int) p.end().toEpochDay(),
                                    rules)
                            .entrySet()) {
                sum = Math.addExact(sum, s.taxOf(e.getValue(), day));
            }
        }
        return sum;
    }

    /**
     * The invoices' VAT less the bills', per unit of the sales' VAT, in the last period ended by
     * {@code day}, basis points (0 before one has ended): the documents of days still to come are
     * not known yet, and a business's bills and invoices follow its sales roughly.
     */
    private static long documentsBps(
            VatRule rule,
            VatCalendar calendar,
            int day,
            List<SalesSeries> series,
            Collection<Document> documents) {
        VatCalendar.Period current = calendar.periodOf(LocalDate.ofEpochDay(day));
        VatCalendar.Period last = calendar.periodOf(current.start().minusDays(1));
        long sales = collected(rule, last, day, series);
        if (sales <= 0) return 0;
        long bps =
                SeasonalSmoothing.divide(
                        Math.multiplyExact(documents(rule, last, day, documents), 10_000L), sales);
        // Bills may take back all of it, invoices may triple it; beyond is an odd period.
        return Math.max(-10_000, Math.min(20_000, bps));
    }
}
