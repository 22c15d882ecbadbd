package io.treso.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The README's Performance table, made from two {@code ./treso bench --json} outputs (before and
 * after a change), so the figures there are the bench's, never typed by hand.
 */
final class BenchTable {
    /** One row: where the figure is in the JSON, how to show it, and its target, if any. */
    private record Row(String label, String path, double scale, String unit, String target) {}

    private static final List<Row> ROWS =
            List.of(
                    new Row("ceiling (plain consumers + decode)", "ceiling_rps", 1, "rec/s", ""),
                    new Row(
                            "position, RocksDB, sustained",
                            "position_rocksdb/sustained_rps",
                            1,
                            "rec/s",
                            ""),
                    new Row(
                            "position sustained / ceiling",
                            "position_sustained_over_ceiling",
                            1,
                            "",
                            "≥ 0.6"),
                    new Row(
                            "position, RocksDB, end to end (old figure)",
                            "position_rocksdb/end_to_end_rps",
                            1,
                            "rec/s",
                            ""),
                    new Row(
                            "position, commit tail",
                            "position_rocksdb/commit_tail_ms",
                            1,
                            "ms",
                            ""),
                    new Row(
                            "position, heap state, sustained",
                            "position_heap/sustained_rps",
                            1,
                            "rec/s",
                            ""),
                    new Row(
                            "all pipelines, sustained",
                            "all_pipelines/sustained_rps",
                            1,
                            "rec/s",
                            "≥ 5× before"),
                    new Row(
                            "all pipelines, end to end (old figure)",
                            "all_pipelines/end_to_end_rps",
                            1,
                            "rec/s",
                            ""),
                    new Row(
                            "all pipelines, commit tail",
                            "all_pipelines/commit_tail_ms",
                            1,
                            "ms",
                            ""),
                    new Row(
                            "CPU per store-day (whole process)",
                            "cpu_ms_per_store_day",
                            1,
                            "ms",
                            "≤ before / 5"),
                    new Row("stores one core serves live", "stores_per_core", 1, "", ""),
                    new Row("replay of a month, wall", "replay/wall_ms", 1, "ms", "≤ 4,000"),
                    new Row("replay start-up (200 lines)", "replay/startup_ms", 1, "ms", ""),
                    new Row(
                            "replay, wall less start-up",
                            "replay/wall_less_startup_ms",
                            1,
                            "ms",
                            ""),
                    new Row(
                            "replay peak RSS",
                            "replay/peak_rss_bytes",
                            1.0 / (1024 * 1024),
                            "MB",
                            "≤ 1,024"),
                    new Row(
                            "alert latency p99, exactly-once",
                            "alert_latency_exactly_once_ms/p99",
                            1,
                            "ms",
                            ""));

    private BenchTable() {}

    /** {@code before} may be null: a shape measured once shows its figures alone. */
    static String markdown(Path before, Path after) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return markdown(
                before == null ? json.createObjectNode() : json.readTree(before.toFile()),
                json.readTree(after.toFile()));
    }

    static String markdown(JsonNode before, JsonNode after) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "Profile %s: %,d input records, %,d store-days; replay: %d stores, %,d lines%n%n",
                        after.path("profile").asText("default"),
                        after.path("records").asLong(),
                        after.path("store_days").asLong(),
                        after.path("replay").path("stores").asInt(),
                        after.path("replay").path("lines").asLong()));
        out.append("| measure | before | after | after / before | target |\n");
        out.append("|---|---|---|---|---|\n");
        for (Row r : ROWS) {
            JsonNode b = at(before, r.path());
            JsonNode a = at(after, r.path());
            String change =
                    b.isNumber() && a.isNumber() && b.asDouble() != 0
                            ? String.format(Locale.ROOT, "%.2f", a.asDouble() / b.asDouble())
                            : "–";
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %s | %s |%n",
                            r.label(),
                            show(b, r),
                            show(a, r),
                            change,
                            r.target()));
        }
        return out.toString();
    }

    private static JsonNode at(JsonNode root, String path) {
        return root.at("/" + path);
    }

    private static String show(JsonNode n, Row r) {
        if (!n.isNumber()) return "–";
        double v = n.asDouble() * r.scale();
        String figure =
                v == Math.rint(v) || Math.abs(v) >= 100
                        ? String.format(Locale.ROOT, "%,.0f", v)
                        : String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
        return r.unit().isEmpty() ? figure : figure + " " + r.unit();
    }
}
