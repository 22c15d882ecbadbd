package io.treso.cli.observability;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression reads: the metric names with the labels their selectors filter on, and
 * the labels it groups or joins by. Enough of PromQL for the boards' queries, so that a query on a
 * metric or a label nobody exports fails the build before anyone opens Grafana.
 */
final class PromQuery {
    private static final Set<String> KEYWORDS =
            Set.of(
                    "by",
                    "without",
                    "on",
                    "ignoring",
                    "group_left",
                    "group_right",
                    "and",
                    "or",
                    "unless",
                    "offset",
                    "bool",
                    "inf",
                    "nan");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern GROUPING =
            Pattern.compile(
                    "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern MATCHER =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

    /** Metric name → the labels its selector filters on. */
    final Map<String, Set<String>> selectors = new LinkedHashMap<>();

    /** Labels named in by/on/without/ignoring/group_left clauses. */
    final Set<String> groupedBy = new LinkedHashSet<>();

    private PromQuery() {}

    static PromQuery of(String expr) {
        PromQuery q = new PromQuery();
        // Quoted strings (label values, template variables) and range selectors carry no names.
        String s =
                expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("\\[[^\\]]*]", "");
        Matcher g = GROUPING.matcher(s);
        while (g.find()) {
            for (String l : g.group(1).split(",")) {
                if (!l.isBlank()) q.groupedBy.add(l.strip());
            }
        }
        s = GROUPING.matcher(s).replaceAll(" ");
        Matcher m = IDENT.matcher(s);
        int from = 0;
        while (m.find(from)) {
            String name = m.group();
            int end = m.end();
            from = end;
            if (m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1))) continue; // 1e3, 5m
            String rest = s.substring(end).stripLeading();
            if (rest.startsWith("(") || KEYWORDS.contains(name.toLowerCase())) continue;
            Set<String> labels = q.selectors.computeIfAbsent(name, k -> new LinkedHashSet<>());
            if (rest.startsWith("{")) {
                int open = s.indexOf('{', end);
                int close = s.indexOf('}', open);
                Matcher lm = MATCHER.matcher(s.substring(open + 1, close));
                while (lm.find()) labels.add(lm.group(1));
                from = close + 1;
            }
        }
        return q;
    }

    /** The problems of this query against a scrape (metric → its label names); empty when none. */
    List<String> problems(Map<String, Set<String>> scraped) {
        List<String> out = new java.util.ArrayList<>();
        Set<String> all = new LinkedHashSet<>();
        for (var e : selectors.entrySet()) {
            Set<String> labels = scraped.get(e.getKey());
            if (labels == null) {
                out.add("no metric " + e.getKey());
                continue;
            }
            all.addAll(labels);
            for (String l : e.getValue()) {
                if (!labels.contains(l)) out.add(e.getKey() + " has no label " + l);
            }
        }
        for (String l : groupedBy) {
            if (!all.contains(l)) out.add("no metric of the query has the label " + l);
        }
        return out;
    }
}
