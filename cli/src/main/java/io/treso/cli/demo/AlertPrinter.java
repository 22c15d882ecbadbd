package io.treso.cli.demo;

import io.treso.connectors.kafka.TopicReader;
import io.treso.event.CashAlert;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.wire.AvroWireDecoder;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints alerts as {@code treso.alerts} holds them, read with read_committed: what people and Slack
 * see, never what an operator saw before its checkpoint.
 */
final class AlertPrinter implements Runnable {
    private final String bootstrap;
    private final RegistryEndpoint registry;
    private final String topic;
    private final PrintStream out;
    private final List<CashAlert> seen = new CopyOnWriteArrayList<>();
    private final AtomicLong firstAlertAt = new AtomicLong();
    private volatile boolean stopped;

    AlertPrinter(String bootstrap, RegistryEndpoint registry, String topic, PrintStream out) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.topic = topic;
        this.out = out;
    }

    @Override
    public void run() {
        AvroWireDecoder<CashAlert> decoder =
                new AvroWireDecoder<>(registry.client(), CashAlert.class);
        TopicReader.follow(
                bootstrap,
                topic,
                200,
                () -> stopped,
                r -> {
                    CashAlert a = decoder.decode(r.value());
                    firstAlertAt.compareAndSet(0, System.currentTimeMillis());
                    seen.add(a);
                    out.println(AlertLine.format(a));
                });
    }

    void stop() {
        stopped = true;
    }

    List<CashAlert> alerts() {
        return List.copyOf(seen);
    }

    /** Wall-clock millis of the first alert printed, or 0. */
    long firstAlertAt() {
        return firstAlertAt.get();
    }

    Map<String, long[]> byType() {
        Map<String, long[]> counts = new TreeMap<>();
        for (CashAlert a : seen) {
            long[] c = counts.computeIfAbsent(a.getType(), k -> new long[2]);
            c[a.getState().name().equals("FIRING") ? 0 : 1]++;
        }
        return counts;
    }
}
