package io.treso.cli.observability;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Draws a dashboard from a real Prometheus's answers to its own queries, on its own grid: Grafana
 * cannot run here, so the README's picture is this, honest about the data if plainer in style.
 */
final class BoardPicture {
    private static final int COLUMN = 60;
    private static final int ROW = 28;
    private static final Color[] PALETTE = {
        new Color(0x73BF69), new Color(0xF2CC0C), new Color(0x5794F2), new Color(0xFF9830),
        new Color(0xB877D9), new Color(0x8AB8FF), new Color(0xFADE2A), new Color(0x96D98D)
    };
    private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** A series as drawn: its legend and its points (epoch seconds, value). */
    record Series(String legend, List<double[]> points, String unit) {
        Series(String legend, List<double[]> points) {
            this(legend, points, null);
        }

        /** This series' unit: its override's, else the panel's. */
        String unitOr(String panel) {
            return unit == null || unit.startsWith("currency") ? panel : unit;
        }

        double last() {
            return points.get(points.size() - 1)[1];
        }
    }

    private BoardPicture() {}

    /**
     * Renders {@code dashboard}; {@code answer} runs one filled query over the picture's time range
     * and returns Prometheus's {@code data.result} (a matrix).
     */
    static void render(JsonNode dashboard, Function<String, JsonNode> answer, Path png)
            throws IOException {
        int height = 0;
        for (JsonNode p : dashboard.path("panels")) {
            JsonNode g = p.path("gridPos");
            height = Math.max(height, g.path("y").asInt() + g.path("h").asInt());
        }
        BufferedImage image =
                new BufferedImage(24 * COLUMN, height * ROW + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0x111217));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(new Color(0xCCCCDC));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(dashboard.path("title").asText(), 10, 26);
        for (JsonNode p : dashboard.path("panels")) {
            JsonNode gp = p.path("gridPos");
            int x = gp.path("x").asInt() * COLUMN + 4;
            int y = gp.path("y").asInt() * ROW + 40;
            int w = gp.path("w").asInt() * COLUMN - 8;
            int h = gp.path("h").asInt() * ROW - 8;
            List<Series> series = new ArrayList<>();
            JsonNode renamed = renames(p);
            for (JsonNode t : p.path("targets")) {
                String column = renamed.path("Value #" + t.path("refId").asText()).asText("");
                for (JsonNode r : answer.apply(t.path("expr").asText())) {
                    Series s = series(t.path("legendFormat").asText(), r);
                    String legend = column.isEmpty() ? s.legend() : s.legend() + " · " + column;
                    series.add(new Series(legend, s.points(), overrideUnit(p, legend)));
                }
            }
            panel(g, p, series, x, y, w, h);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    /** The unit a panel's override gives the series named {@code legend}, or null. */
    private static String overrideUnit(JsonNode panel, String legend) {
        for (JsonNode o : panel.path("fieldConfig").path("overrides")) {
            String id = o.path("matcher").path("id").asText();
            String option = o.path("matcher").path("options").asText();
            boolean match =
                    id.equals("byName")
                            ? option.equals(legend)
                            : id.equals("byRegexp") && legend.matches(option);
            if (!match) continue;
            for (JsonNode prop : o.path("properties")) {
                if (prop.path("id").asText().equals("unit")) return prop.path("value").asText();
            }
        }
        return null;
    }

    /** A table's column names, from its organize transformation. */
    private static JsonNode renames(JsonNode panel) {
        for (JsonNode t : panel.path("transformations")) {
            if (t.path("id").asText().equals("organize")) {
                return t.path("options").path("renameByName");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Series series(String legendFormat, JsonNode result) {
        JsonNode metric = result.path("metric");
        Matcher m = LEGEND.matcher(legendFormat);
        StringBuilder legend = new StringBuilder();
        while (m.find()) m.appendReplacement(legend, metric.path(m.group(1)).asText());
        m.appendTail(legend);
        if (legend.length() == 0) {
            List<String> parts = new ArrayList<>();
            metric.fields().forEachRemaining(e -> parts.add(e.getValue().asText()));
            legend.append(String.join(" ", parts));
        }
        List<double[]> points = new ArrayList<>();
        for (JsonNode v : result.path("values")) {
            points.add(new double[] {v.get(0).asDouble(), Double.parseDouble(v.get(1).asText())});
        }
        return new Series(legend.toString().strip(), points);
    }

    private static void panel(
            Graphics2D g, JsonNode p, List<Series> series, int x, int y, int w, int h) {
        g.setColor(new Color(0x181B1F));
        g.fillRoundRect(x, y, w, h, 6, 6);
        g.setColor(new Color(0x2C3235));
        g.drawRoundRect(x, y, w, h, 6, 6);
        g.setColor(new Color(0xCCCCDC));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(p.path("title").asText(), x + 8, y + 17);
        series.removeIf(s -> s.points().isEmpty());
        if (series.isEmpty()) {
            g.drawString("No data", x + w / 2 - 20, y + h / 2);
            return;
        }
        String unit = p.path("fieldConfig").path("defaults").path("unit").asText("");
        switch (p.path("type").asText()) {
            case "stat" -> stat(g, series, unit, p, x, y, w, h);
            case "timeseries" -> lines(g, series, unit, x, y + 24, w, h - 28);
            default -> rows(g, series, unit, x, y + 24, w, h - 28);
        }
    }

    private static void stat(
            Graphics2D g,
            List<Series> series,
            String unit,
            JsonNode p,
            int x,
            int y,
            int w,
            int h) {
        int n = series.size();
        for (int i = 0; i < n; i++) {
            Series s = series.get(i);
            double v = s.last();
            boolean red =
                    p.path("fieldConfig").path("defaults").path("thresholds").path("steps").size()
                                    > 1
                            && v >= 1;
            g.setColor(red ? new Color(0xF2495C) : PALETTE[0]);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, n > 1 ? 18 : 26));
            int cy = y + 30 + (h - 30) * (2 * i + 1) / (2 * n) + 8;
            g.drawString(format(v, unit, s.legend()), x + 12, cy);
            if (n > 1) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.setColor(new Color(0x9FA7B3));
                g.drawString(s.legend(), x + w - 60, cy);
            }
        }
    }

    private static void lines(
            Graphics2D g, List<Series> series, String unit, int x, int y, int w, int h) {
        int legendWidth = Math.min(260, w / 3);
        int plotW = w - legendWidth - 70;
        double t0 = Double.MAX_VALUE, t1 = -Double.MAX_VALUE;
        double v0 = Double.MAX_VALUE, v1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] pt : s.points()) {
                t0 = Math.min(t0, pt[0]);
                t1 = Math.max(t1, pt[0]);
                v0 = Math.min(v0, pt[1]);
                v1 = Math.max(v1, pt[1]);
            }
        }
        if (v0 == v1) {
            v0 -= 1;
            v1 += 1;
        }
        double pad = (v1 - v0) * 0.05;
        v0 -= pad;
        v1 += pad;
        int px = x + 64;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i <= 4; i++) {
            double v = v0 + (v1 - v0) * i / 4;
            int yy = y + h - 14 - (int) ((h - 20) * i / 4.0);
            g.setColor(new Color(0x2C3235));
            g.drawLine(px, yy, px + plotW, yy);
            g.setColor(new Color(0x9FA7B3));
            g.drawString(format(v, unit, ""), x + 4, yy + 4);
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            boolean threshold = s.legend().startsWith("threshold");
            g.setColor(threshold ? new Color(0xF2495C) : PALETTE[i % PALETTE.length]);
            g.setStroke(
                    threshold
                            ? new BasicStroke(
                                    1.5f,
                                    BasicStroke.CAP_BUTT,
                                    BasicStroke.JOIN_MITER,
                                    10,
                                    new float[] {8, 6},
                                    0)
                            : new BasicStroke(2f));
            int[] xs = new int[s.points().size()];
            int[] ys = new int[xs.length];
            for (int k = 0; k < xs.length; k++) {
                double[] pt = s.points().get(k);
                xs[k] = px + (int) (plotW * (t1 == t0 ? 1 : (pt[0] - t0) / (t1 - t0)));
                ys[k] = y + h - 14 - (int) ((h - 20) * (pt[1] - v0) / (v1 - v0));
            }
            g.drawPolyline(xs, ys, xs.length);
            g.setStroke(new BasicStroke(1f));
            int ly = y + 4 + 14 * i;
            if (ly < y + h - 6) {
                g.fillRect(px + plotW + 10, ly, 10, 3);
                g.setColor(new Color(0xCCCCDC));
                g.drawString(
                        s.legend() + "  " + format(s.last(), s.unitOr(unit), s.legend()),
                        px + plotW + 24,
                        ly + 5);
            }
        }
    }

    private static void rows(
            Graphics2D g, List<Series> series, String unit, int x, int y, int w, int h) {
        double max = series.stream().mapToDouble(s -> Math.abs(s.last())).max().orElse(1);
        int row = Math.max(14, Math.min(24, h / Math.max(1, series.size())));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < series.size() && (i + 1) * row <= h; i++) {
            Series s = series.get(i);
            int yy = y + i * row;
            g.setColor(new Color(0xCCCCDC));
            g.drawString(s.legend(), x + 8, yy + row - 6);
            int bar = (int) ((w / 2.0 - 120) * Math.abs(s.last()) / (max == 0 ? 1 : max));
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x + w / 2, yy + 3, Math.max(1, bar), row - 8);
            g.setColor(new Color(0xCCCCDC));
            g.drawString(format(s.last(), unit, s.legend()), x + w / 2 + bar + 6, yy + row - 6);
        }
    }

    /** A value as the panel's unit shows it; money panels name the currency in the legend. */
    static String format(double v, String unit, String legend) {
        return switch (unit) {
            case "s" ->
                    v >= 86400
                            ? String.format(Locale.ROOT, "%.1f d", v / 86400)
                            : v >= 3600
                                    ? String.format(Locale.ROOT, "%.1f h", v / 3600)
                                    : String.format(Locale.ROOT, "%.1f s", v);
            case "percentunit" -> String.format(Locale.ROOT, "%.1f %%", v * 100);
            case "bytes" -> String.format(Locale.ROOT, "%.1f MB", v / 1e6);
            case "ops" -> String.format(Locale.ROOT, "%.1f/s", v);
            default -> {
                String ccy = legend.replaceAll(".*\\b([A-Z]{3})\\b.*", "$1");
                String n =
                        String.format(
                                Locale.ROOT,
                                Math.abs(v) >= 1000 || v == Math.rint(v) ? "%,.0f" : "%,.2f",
                                v);
                yield ccy.length() == 3 && !ccy.equals(legend) || legend.matches("[A-Z]{3}")
                        ? n + " " + ccy
                        : n;
            }
        };
    }
}
