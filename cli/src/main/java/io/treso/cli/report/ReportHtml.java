package io.treso.cli.report;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import io.treso.jobs.alert.Alerts;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched. It
 * prints on A4 and narrows to a phone. Every amount cell carries its minor units and currency as
 * data attributes, so a test (or a spreadsheet) reads back the pipeline's own number.
 */
public final class ReportHtml {
    private static final String STYLE =
            """
            :root { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2937; }
            body { max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.4; }
            h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 2px solid #1f2937; padding-bottom: .2rem; margin-top: 2rem; }
            h3 { font-size: 1rem; margin-bottom: .3rem; } .muted { color: #6b7280; font-size: .85rem; }
            .scroll { overflow-x: auto; } table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
            th, td { padding: .25rem .5rem; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
            td.money, td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            tr.total td { font-weight: bold; border-top: 2px solid #1f2937; }
            figure.chart { margin: .5rem 0 1.5rem; } figure.chart svg { width: 100%; height: auto; display: block; }
            .negative { color: #b91c1c; } .note { background: #f8fafc; border-left: 3px solid #94a3b8; padding: .5rem .75rem; }
            ol.footnotes { font-size: .8rem; color: #374151; }
            @page { size: A4; margin: 15mm; }
            @media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; } figure.chart, table { break-inside: avoid; } }
            @media (max-width: 40rem) { body { padding: .5rem; } th, td { padding: .2rem .3rem; } }
            """;

    private final TreasuryReport r;
    private final Locale locale;
    private final StringBuilder h = new StringBuilder();

    private ReportHtml(TreasuryReport r, Locale locale) {
        this.r = r;
        this.locale = locale;
    }

    /** The whole document. */
    public static String render(TreasuryReport report, Locale locale) {
        return new ReportHtml(report, locale).document();
    }

    /** Writes the document to {@code output} (its directory made if needed); its absolute path. */
    public static java.nio.file.Path write(
            TreasuryReport report, Locale locale, java.nio.file.Path output)
            throws java.io.IOException {
        java.nio.file.Path abs = output.toAbsolutePath();
        if (abs.getParent() != null) java.nio.file.Files.createDirectories(abs.getParent());
        java.nio.file.Files.writeString(
                abs, render(report, locale), java.nio.charset.StandardCharsets.UTF_8);
        return abs;
    }

    /** {@code minor} as money for a reader of {@code locale}: fr-FR gives "1 234,56 €". */
    public static String money(long minor, String currency, Locale locale) {
        NumberFormat f = NumberFormat.getCurrencyInstance(locale);
        int digits = Alerts.digits(currency);
        try {
            f.setCurrency(Currency.getInstance(currency));
        } catch (IllegalArgumentException e) {
            return Alerts.money(minor, currency); // not ISO 4217: plain, with the code
        }
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(digits);
        return f.format(BigDecimal.valueOf(minor, digits));
    }

    private String document() {
        h.append("<!DOCTYPE html>\n<html lang=\"")
                .append(esc(locale.toLanguageTag()))
                .append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Treasury report ")
                .append(r.from)
                .append(" to ")
                .append(r.to)
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n<header>\n<h1>Treasury report</h1>\n")
                .append("<p class=\"muted\" id=\"period\" data-from=\"")
                .append(r.from)
                .append("\" data-to=\"")
                .append(r.to)
                .append("\">")
                .append(r.from)
                .append(" to ")
                .append(r.to)
                .append(" · base currency ")
                .append(esc(r.baseCurrency))
                .append(" · from ")
                .append(esc(r.source))
                .append("</p>\n</header>\n");
        cashNow();
        cashOverPeriod();
        whereMoneyWent();
        whatIsComing();
        needsAPerson();
        kpis();
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private void cashNow() {
        open("cash-now", "1. Cash now");
        h.append(
                        "<div class=\"scroll\"><table id=\"accounts\">\n<tr><th>Account</th><th>Currency</th>")
                .append(
                        "<th class=\"num\">Treso balance</th><th class=\"num\">Bank reported</th><th>As of</th></tr>\n");
        for (CashPosition p : r.accounts) {
            h.append("<tr data-scope=\"").append(esc(p.getScope())).append("\"><td>");
            h.append(esc(p.getScope()))
                    .append("</td><td>")
                    .append(esc(p.getCurrency()))
                    .append("</td>");
            moneyCell(p.getBalanceMinor(), p.getCurrency(), "balance");
            if (p.getBankReportedBalanceMinor() == null) h.append("<td class=\"money\">—</td>");
            else moneyCell(p.getBankReportedBalanceMinor(), p.getCurrency(), "bank");
            h.append("<td>").append(p.getAsOf()).append("</td></tr>\n");
        }
        for (CashPosition p : r.totals) {
            h.append("<tr class=\"total\" data-scope=\"")
                    .append(esc(p.getScope()))
                    .append("\"><td>");
            h.append(p.getScope().startsWith("base:") ? "All accounts in " : "All ")
                    .append(esc(p.getCurrency()))
                    .append(
                            p.getScope().startsWith("base:")
                                    ? " (at the latest rates)"
                                    : " accounts")
                    .append("</td><td>")
                    .append(esc(p.getCurrency()))
                    .append("</td>");
            moneyCell(p.getBalanceMinor(), p.getCurrency(), "balance");
            h.append("<td></td><td>").append(p.getAsOf()).append("</td></tr>\n");
        }
        h.append("</table></div>\n");
        if (r.totals.stream().noneMatch(p -> p.getScope().startsWith("base:"))) {
            h.append("<p class=\"note\">No consolidated total in ").append(esc(r.baseCurrency));
            if (r.consolidatedIn.isEmpty()) {
                h.append(": the pipeline emits none while a held currency has no rate.</p>\n");
            } else {
                h.append(": the pipeline consolidates in ")
                        .append(esc(String.join(", ", r.consolidatedIn)))
                        .append("; give --base-currency ")
                        .append(esc(r.consolidatedIn.first()))
                        .append(".</p>\n");
            }
        }
        h.append(
                        "<h3>Cash at the PSPs and in transit</h3>\n<div class=\"scroll\"><table id=\"psps\">\n")
                .append("<tr><th>Scope</th><th class=\"num\">Amount</th><th>As of</th></tr>\n");
        for (CashPosition p : r.psps) {
            h.append("<tr data-scope=\"")
                    .append(esc(p.getScope()))
                    .append("\"><td>")
                    .append(esc(describe(p.getScope())))
                    .append("</td>");
            long amount =
                    p.getScope().startsWith("transit:")
                            ? p.getInTransitMinor()
                            : p.getBalanceMinor();
            moneyCell(amount, p.getCurrency(), "balance");
            h.append("<td>").append(p.getAsOf()).append("</td></tr>\n");
        }
        h.append("</table></div>\n");
        close();
    }

    private static String describe(String scope) {
        if (scope.startsWith("psp:")) return "Owed by " + scope.substring(4);
        if (scope.startsWith("transit:")) return "In transit from " + scope.substring(8);
        return scope;
    }

    private void cashOverPeriod() {
        open("cash-over-period", "2. Cash over the period");
        if (r.series.isEmpty()) {
            h.append("<p class=\"note\">No account closed a day in the period.</p>\n");
        }
        int n = 0;
        for (Map.Entry<String, List<DailyPosition>> e : r.series.entrySet()) {
            List<DailyPosition> days = e.getValue();
            DailyPosition last = days.get(days.size() - 1);
            h.append("<figure class=\"chart\" data-account=\"")
                    .append(esc(e.getKey()))
                    .append("\" data-days=\"")
                    .append(days.size())
                    .append("\" data-last-minor=\"")
                    .append(last.getClosingBalanceMinor())
                    .append("\">\n")
                    .append(
                            ReportCharts.balance(
                                    "balance-" + n++,
                                    e.getKey()
                                            + " ("
                                            + last.getCurrency()
                                            + ", days closed in "
                                            + last.getZone()
                                            + ")",
                                    days,
                                    locale))
                    .append(
                            "\n<figcaption class=\"muted\">Closing balance per day; the dashed line is the LOW_BALANCE threshold in force. Last close ")
                    .append(last.getDate())
                    .append(": ")
                    .append(esc(money(last.getClosingBalanceMinor(), last.getCurrency(), locale)))
                    .append(
                            last.getBankReportedBalanceMinor() == null
                                    ? ""
                                    : ", bank said "
                                            + esc(
                                                    money(
                                                            last.getBankReportedBalanceMinor(),
                                                            last.getCurrency(),
                                                            locale)))
                    .append(".</figcaption>\n</figure>\n");
        }
        close();
    }

    private void whereMoneyWent() {
        open("where-money-went", "3. Where the money went");
        if (r.flows.isEmpty()) {
            h.append("<p class=\"note\">No bank line was decided in the period.</p>\n");
        }
        int n = 0;
        for (var byCcy : r.flows.entrySet()) {
            String ccy = byCcy.getKey();
            SortedMap<LocalDate, SortedMap<String, Long>> weeks = byCcy.getValue();
            h.append("<figure class=\"chart flows\" data-currency=\"")
                    .append(esc(ccy))
                    .append("\">\n")
                    .append(
                            ReportCharts.flows(
                                    "flows-" + n++,
                                    "Net flow by week and category (" + ccy + ")",
                                    ccy,
                                    weeks,
                                    locale))
                    .append("\n</figure>\n");
            TreeSet<String> categories = new TreeSet<>();
            weeks.values().forEach(w -> categories.addAll(w.keySet()));
            h.append("<div class=\"scroll\"><table class=\"flows\" data-currency=\"")
                    .append(esc(ccy))
                    .append("\">\n<tr><th>Week of</th>");
            for (String c : categories)
                h.append("<th class=\"num\">").append(esc(c)).append("</th>");
            h.append("</tr>\n");
            for (var w : weeks.entrySet()) {
                h.append("<tr><td>").append(w.getKey()).append("</td>");
                for (String c : categories) {
                    Long v = w.getValue().get(c);
                    if (v == null) h.append("<td class=\"money\"></td>");
                    else moneyCell(v, ccy, c);
                }
                h.append("</tr>\n");
            }
            h.append("</table></div>\n");
        }
        h.append(
                        "<h3>Payouts received, by PSP</h3>\n<div class=\"scroll\"><table id=\"payouts-by-psp\">\n")
                .append(
                        "<tr><th>PSP (as the bank names it)</th><th class=\"num\">Received</th></tr>\n");
        for (var e : r.payoutsByPsp.entrySet()) {
            String key = e.getKey();
            String ccy = key.substring(key.lastIndexOf(' ') + 1);
            h.append("<tr><td>")
                    .append(esc(key.substring(0, key.lastIndexOf(' '))))
                    .append("</td>");
            moneyCell(e.getValue(), ccy, "received");
            h.append("</tr>\n");
        }
        h.append("</table></div>\n<h3>Sales captured, by store and PSP</h3>\n")
                .append("<div class=\"scroll\"><table id=\"sales-by-store\">\n")
                .append("<tr><th>Store</th><th>PSP</th><th class=\"num\">Captured</th></tr>\n");
        for (var e : r.salesByStoreAndPsp.entrySet()) {
            TreasuryReport.StorePsp k = e.getKey();
            h.append("<tr data-store=\"")
                    .append(esc(k.store()))
                    .append("\" data-psp=\"")
                    .append(esc(k.psp()))
                    .append("\"><td>")
                    .append(esc(k.store()))
                    .append("</td><td>")
                    .append(esc(k.psp()))
                    .append("</td>");
            moneyCell(e.getValue(), k.currency(), "captured");
            h.append("</tr>\n");
        }
        h.append(
                        "</table></div>\n<p class=\"muted\">By sales channel: a store sells on one channel;")
                .append(" no output names it yet, so stores stand for channels here.</p>\n");
        close();
    }

    private void whatIsComing() {
        open("what-is-coming", "4. What is coming");
        if (r.forecasts.isEmpty()) {
            h.append(
                    "<p class=\"note\">No forecast in these outputs yet: one is made at each end-of-day statement once a day of sales has been seen.</p>\n");
            close();
            return;
        }
        for (CashAlert a : r.shortfalls) {
            h.append("<p class=\"note\">")
                    .append(esc(a.getSeverity() + ": " + a.getMessage()))
                    .append("</p>\n");
        }
        for (io.treso.cli.forecast.ForecastTable t : r.forecasts) {
            h.append("<h3>")
                    .append(esc(describe(t.scope())))
                    .append(": 13 weeks from ")
                    .append(esc(t.weeks().get(0).from().toString()))
                    .append(
                            "</h3>\n<div class=\"scroll\"><table><tr><th>week</th><th>from</th><th>opening</th><th>in</th><th>out</th><th>closing</th><th>low (p10)</th><th>high (p90)</th></tr>\n");
            for (io.treso.cli.forecast.ForecastTable.Week w : t.weeks()) {
                long in = w.inflows().values().stream().mapToLong(Long::longValue).sum();
                long out = w.outflows().values().stream().mapToLong(Long::longValue).sum();
                h.append("<tr><td>")
                        .append(w.number())
                        .append("</td><td>")
                        .append(w.from())
                        .append("</td>");
                moneyCell(w.openingMinor(), t.currency(), "opening");
                moneyCell(in, t.currency(), "in");
                moneyCell(-out, t.currency(), "out");
                moneyCell(w.closingMinor(), t.currency(), "closing");
                moneyCell(w.lowMinor(), t.currency(), "low");
                moneyCell(w.highMinor(), t.currency(), "high");
                h.append("</tr>\n");
            }
            h.append("</table></div>\n");
        }
        h.append(
                        "<p class=\"muted\">The base path: payouts announced, captured money not paid out yet, sales modeled per store and PSP, open invoices and bills, recurring and regular debits; the band from the models' residuals. ")
                .append(
                        r.scenarios.isEmpty()
                                ? "No scenario set."
                                : esc(
                                        "Scenarios: "
                                                + String.join(", ", r.scenarios)
                                                + " (./treso forecast --compare ID)."))
                .append("</p>\n");
        close();
    }

    private void needsAPerson() {
        open("needs-a-person", "5. What needs a person");
        h.append(
                        "<h3>Open reconciliation items, by age</h3>\n<div class=\"scroll\"><table id=\"open-items\">\n")
                .append(
                        "<tr><th>Age (since booked)</th><th class=\"num\">Items</th><th class=\"num\">Amount</th></tr>\n");
        for (String b : TreasuryReport.AGE_BUCKETS) {
            int count = r.openCounts.get(b)[0];
            h.append("<tr data-age=\"")
                    .append(b)
                    .append("\"><td>")
                    .append(b)
                    .append("</td><td class=\"num\" data-count=\"")
                    .append(count)
                    .append("\">")
                    .append(count)
                    .append("</td><td class=\"money\">");
            StringBuilder amounts = new StringBuilder();
            for (var a : r.openAmounts.get(b).entrySet()) {
                if (amounts.length() > 0) amounts.append("<br>");
                amounts.append(esc(money(a.getValue(), a.getKey(), locale)));
            }
            h.append(amounts.length() == 0 ? "—" : amounts).append("</td></tr>\n");
        }
        h.append("</table></div>\n<h3>Alerts of the period</h3>\n");
        if (r.alertsByType.isEmpty()) h.append("<p>None fired.</p>\n");
        for (var e : r.alertsByType.entrySet()) {
            List<CashAlert> alerts = e.getValue();
            h.append("<div class=\"alert-type\" data-type=\"")
                    .append(esc(e.getKey()))
                    .append("\" data-count=\"")
                    .append(alerts.size())
                    .append("\">\n<h4>")
                    .append(esc(e.getKey()))
                    .append(" · ")
                    .append(alerts.size())
                    .append(alerts.size() == 1 ? " alert" : " alerts")
                    .append("</h4>\n<ul>\n");
            int shown = 0;
            for (CashAlert a : alerts) {
                if (shown++ == 5) {
                    h.append("<li class=\"muted\">and ")
                            .append(alerts.size() - 5)
                            .append(" more</li>\n");
                    break;
                }
                h.append("<li><span class=\"muted\">")
                        .append(a.getDetectedAt())
                        .append(" · ")
                        .append(esc(a.getSeverity().name()))
                        .append("</span> ")
                        .append(esc(a.getMessage()))
                        .append("</li>\n");
            }
            h.append("</ul>\n</div>\n");
        }
        h.append("<h3>Overdue receivables</h3>\n");
        if (r.overdueReceivables.isEmpty()) h.append("<p>None.</p>\n");
        else {
            h.append(
                    "<div class=\"scroll\"><table id=\"overdue\">\n<tr><th>Account</th><th>Days late</th><th class=\"num\">Open</th></tr>\n");
            for (CashPosition p : r.overdueReceivables) {
                String[] parts = p.getScope().split(":");
                h.append("<tr data-scope=\"")
                        .append(esc(p.getScope()))
                        .append("\"><td>")
                        .append(esc(parts[1]))
                        .append("</td><td>")
                        .append(esc(parts[2]))
                        .append("</td>");
                moneyCell(p.getBalanceMinor(), p.getCurrency(), "open");
                h.append("</tr>\n");
            }
            h.append("</table></div>\n");
        }
        close();
    }

    private void kpis() {
        open("kpis", "6. KPIs");
        h.append(
                "<div class=\"scroll\"><table id=\"kpi-table\">\n<tr><th>KPI</th><th>Of</th><th class=\"num\">Value</th></tr>\n");
        int n = 0;
        for (TreasuryReport.Kpi k : r.kpis) {
            n++;
            h.append("<tr class=\"kpi\" data-kpi=\"")
                    .append(k.id())
                    .append("\" data-subject=\"")
                    .append(esc(k.subject()))
                    .append("\"");
            if (k.minor() != null) h.append(" data-minor=\"").append(k.minor()).append("\"");
            if (k.ratio() != null)
                h.append(" data-value=\"").append(k.ratio().toPlainString()).append("\"");
            h.append("><td>")
                    .append(esc(k.label()))
                    .append("<sup><a href=\"#kpi-def-")
                    .append(n)
                    .append("\">")
                    .append(n)
                    .append("</a></sup></td><td>")
                    .append(esc(k.subject()))
                    .append("</td><td class=\"num\">");
            if (k.minor() != null) h.append(esc(money(k.minor(), k.currency(), locale)));
            else if (k.ratio() != null) {
                NumberFormat f = NumberFormat.getNumberInstance(locale);
                f.setMinimumFractionDigits(1);
                f.setMaximumFractionDigits(1);
                h.append(esc(f.format(k.ratio()))).append(' ').append(esc(k.unit()));
            } else h.append(esc(k.undefinedAs()));
            h.append("</td></tr>\n");
        }
        h.append("</table></div>\n<ol class=\"footnotes\">\n");
        n = 0;
        for (TreasuryReport.Kpi k : r.kpis) {
            h.append("<li id=\"kpi-def-")
                    .append(++n)
                    .append("\">")
                    .append(esc(k.label()))
                    .append(": ")
                    .append(esc(k.definition()))
                    .append("</li>\n");
        }
        h.append("</ol>\n");
        close();
    }

    private void moneyCell(long minor, String currency, String what) {
        h.append("<td class=\"money")
                .append(minor < 0 ? " negative" : "")
                .append("\" data-what=\"")
                .append(esc(what))
                .append("\" data-minor=\"")
                .append(minor)
                .append("\" data-currency=\"")
                .append(esc(currency))
                .append("\">")
                .append(esc(money(minor, currency, locale)))
                .append("</td>");
    }

    private void open(String id, String title) {
        h.append("<section id=\"")
                .append(id)
                .append("\">\n<h2>")
                .append(esc(title))
                .append("</h2>\n");
    }

    private void close() {
        h.append("</section>\n");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
