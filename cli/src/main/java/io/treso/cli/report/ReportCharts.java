package io.treso.cli.report;

import io.treso.event.DailyPosition;
import io.treso.jobs.alert.Alerts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts as inline SVG: JFreeChart draws onto JFreeSVG's Graphics2D, on the JVM, so
 * the HTML needs no script and loads nothing. Amounts become doubles here only to place pixels;
 * every figure a reader sees as text comes from the minor units.
 */
final class ReportCharts {
    static final int WIDTH = 720;
    static final int HEIGHT = 300;
    private static final Color INK = new Color(0x1f2937);
    private static final Color THRESHOLD = new Color(0xc0392b);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private ReportCharts() {}

    /** An account's daily closing balance, with its LOW_BALANCE threshold as a step line. */
    static String balance(String id, String title, List<DailyPosition> days, Locale locale) {
        String ccy = days.get(0).getCurrency();
        TimeSeries balance = new TimeSeries("Closing balance (" + ccy + ")");
        TimeSeries threshold = new TimeSeries("LOW_BALANCE threshold");
        for (DailyPosition d : days) {
            Day day = day(d.getDate());
            balance.add(day, major(d.getClosingBalanceMinor(), ccy));
            if (d.getLowBalanceThresholdMinor() != null) {
                threshold.add(day, major(d.getLowBalanceThresholdMinor(), ccy));
            }
        }
        TimeSeriesCollection data = new TimeSeriesCollection(balance);
        JFreeChart chart =
                ChartFactory.createTimeSeriesChart(title, null, ccy, data, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setSeriesPaint(0, INK);
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(2f));
        if (!threshold.isEmpty()) {
            plot.setDataset(1, new TimeSeriesCollection(threshold));
            XYStepRenderer step = new XYStepRenderer();
            step.setSeriesPaint(0, THRESHOLD);
            step.setSeriesStroke(
                    0,
                    new BasicStroke(
                            1.5f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            10f,
                            new float[] {6f, 4f},
                            0f));
            plot.setRenderer(1, step);
        }
        ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(grouped(locale));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return svg(id, style(chart));
    }

    /** Net flows by week and category, stacked: inflows above zero, outflows below. */
    static String flows(
            String id,
            String title,
            String ccy,
            SortedMap<LocalDate, SortedMap<String, Long>> weeks,
            Locale locale) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (var w : weeks.entrySet()) {
            for (var c : w.getValue().entrySet()) {
                data.addValue(major(c.getValue(), ccy), c.getKey(), w.getKey().toString());
            }
        }
        JFreeChart chart =
                ChartFactory.createStackedBarChart(
                        title, null, ccy, data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(grouped(locale));
        return svg(id, style(chart));
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(FONT.deriveFont(Font.BOLD, 13f));
        if (chart.getLegend() != null) chart.getLegend().setItemFont(FONT);
        chart.getPlot().setBackgroundPaint(new Color(0xf8fafc));
        return chart;
    }

    private static NumberFormat grouped(Locale locale) {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMaximumFractionDigits(0);
        return f;
    }

    private static Day day(LocalDate d) {
        return new Day(d.getDayOfMonth(), d.getMonthValue(), d.getYear());
    }

    private static double major(long minor, String currency) {
        return BigDecimal.valueOf(minor, Alerts.digits(currency)).doubleValue();
    }

    /** The chart as an {@code <svg>} element that scales to its box (a viewBox, no fixed size). */
    private static String svg(String id, JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        // Its default prefix is a clock reading: the same report would differ run to run.
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(WIDTH, HEIGHT));
        String svg =
                g.getSVGElement(
                        id,
                        false,
                        new ViewBox(0, 0, WIDTH, HEIGHT),
                        PreserveAspectRatio.XMID_YMID,
                        MeetOrSlice.MEET);
        // Inline SVG in HTML needs no namespaces; dropping them leaves no URL in the file.
        return svg.replaceAll("\\s+xmlns(:\\w+)?=(['\"])[^'\"]*\\2", "");
    }
}
