package io.treso.connectors.intake;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The intake's counters, by source and outcome, in Prometheus' text format for its {@code
 * /metrics}: every refusal is counted by source and reason, so a sender whose secret was rotated (a
 * wall of {@code bad_signature}) or a broker that went away ({@code kafka_unavailable}) shows on a
 * board before anyone reads a log.
 */
public final class IntakeCounters {
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();

    /** A delivery answered 2xx: {@code published}, {@code duplicate}, {@code dead_lettered}, ... */
    void received(String source, String outcome) {
        count(received, labels(source, "outcome", outcome));
    }

    /** A delivery refused (4xx, 503), by reason: {@code bad_signature}, {@code too_large}, ... */
    public void refused(String source, String reason) {
        count(refused, labels(source, "reason", reason));
    }

    void published(String source, int n) {
        events.computeIfAbsent("source=\"" + source + "\"", k -> new LongAdder()).add(n);
    }

    public long refusals(String source, String reason) {
        LongAdder a = refused.get(labels(source, "reason", reason));
        return a == null ? 0 : a.sum();
    }

    public long deliveries(String source, String outcome) {
        LongAdder a = received.get(labels(source, "outcome", outcome));
        return a == null ? 0 : a.sum();
    }

    /** The exposition text (version 0.0.4). */
    public String prometheusText() {
        StringBuilder b = new StringBuilder();
        family(
                b,
                "treso_intake_deliveries_total",
                "Webhook deliveries answered 2xx, by source and outcome.",
                received);
        family(
                b,
                "treso_intake_refused_total",
                "Webhook deliveries refused (401, 400, 413, 503...), by source and reason.",
                refused);
        family(
                b,
                "treso_intake_events_published_total",
                "Canonical events published to Kafka from webhooks, by source.",
                events);
        return b.toString();
    }

    private static void family(
            StringBuilder b, String name, String help, Map<String, LongAdder> series) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(series)
                .forEach(
                        (labels, v) ->
                                b.append(name)
                                        .append('{')
                                        .append(labels)
                                        .append("} ")
                                        .append(v.sum())
                                        .append('\n'));
    }

    private static void count(Map<String, LongAdder> m, String labels) {
        m.computeIfAbsent(labels, k -> new LongAdder()).increment();
    }

    private static String labels(String source, String name, String value) {
        return "source=\"" + source + "\"," + name + "=\"" + value + "\"";
    }
}
