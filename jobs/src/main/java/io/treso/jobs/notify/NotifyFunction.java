package io.treso.jobs.notify;

import io.treso.event.CashAlert;
import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import io.treso.jobs.metrics.LabelledMetric;
import io.treso.jobs.metrics.LongGauge;
import io.treso.jobs.runtime.States;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one route's alerts (the key is the route's name): keeps its {@link Outbox} in keyed
 * state, posts on processing-time timers (one message at a time, paced, retried with back-off), and
 * dead-letters what a webhook refuses for good. Delivered states are committed with the
 * checkpoints: after a crash only messages sent since the last checkpoint can go again.
 */
public final class NotifyFunction extends KeyedProcessFunction<String, CashAlert, DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NotifyFunction.class);

    /** How long a delivered state is remembered against a repeat from the topic. */
    static final Duration REMEMBER = Duration.ofDays(35);

    private final NotifySettings settings;

    private transient MapState<String, Long> delivered;
    private transient MapState<String, byte[]> waiting;
    private transient MapState<String, Long> readyAt;
    private transient MapState<String, byte[]> firing;
    private transient MapState<String, Long> lastSent;
    private transient ValueState<Long> notBefore;
    private transient ValueState<Integer> failures;

    private transient Map<String, URI> urls;
    private transient WebhookPost post;
    private transient SlackMessage slack;
    private transient LabelledMetric<Counter> messages;
    private transient LabelledMetric<Counter> digested;
    private transient LabelledMetric<Counter> undelivered;
    private transient LabelledMetric<LongGauge> oldestAge;
    private transient Set<String> refusalsLogged;
    private transient Counter unrouted;

    public NotifyFunction(NotifySettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        MapStateDescriptor<String, Long> deliveredDescriptor =
                new MapStateDescriptor<>("delivered", Types.STRING, Types.LONG);
        deliveredDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(REMEMBER).build());
        delivered = ctx.getMapState(deliveredDescriptor);
        waiting =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "waiting",
                                Types.STRING,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        readyAt = ctx.getMapState(new MapStateDescriptor<>("ready-at", Types.STRING, Types.LONG));
        firing =
                ctx.getMapState(
                        new MapStateDescriptor<>(
                                "firing",
                                Types.STRING,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        lastSent = ctx.getMapState(new MapStateDescriptor<>("last-sent", Types.STRING, Types.LONG));
        notBefore = ctx.getState(new ValueStateDescriptor<>("not-before", Types.LONG));
        failures = ctx.getState(new ValueStateDescriptor<>("failures", Types.INT));

        urls = new HashMap<>();
        Map<String, String> env = System.getenv();
        for (Route r : settings.routes) {
            // Read where the notifier runs; a route whose URL is missing fails the start, by name.
            URI url = r.webhook.resolve(env);
            urls.put(r.name, url);
            LOG.info("Route {} posts {} alerts to {}", r.name, r.format, Webhook.mask(url));
        }
        post = new WebhookPost();
        slack = new SlackMessage(settings);
        var group = ctx.getMetricGroup().addGroup("treso").addGroup("notify");
        int routes = settings.routes.size();
        messages = LabelledMetric.counters(group, "messages", routes * 4, "route", "result");
        digested = LabelledMetric.counters(group, "digested_alerts", routes, "route");
        undelivered = LabelledMetric.counters(group, "undelivered", routes, "route");
        oldestAge = LabelledMetric.gauges(group, "oldest_undelivered_age_seconds", routes, "route");
        // Every route's series from the start, at 0: a board shows a quiet route, and increase()
        // sees a route's first message.
        for (Route r : settings.routes) {
            oldestAge.of(r.name);
            for (String result : List.of("delivered", "retried", "refused"))
                messages.of(r.name, result);
            digested.of(r.name);
            undelivered.of(r.name);
        }
        refusalsLogged = new HashSet<>();
        unrouted = group.counter("unrouted");
    }

    /** The route that takes {@code a}, or {@link #UNROUTED}: the key of the notifier's stream. */
    public static String routeOf(NotifySettings settings, CashAlert a) {
        Route r = Route.of(settings.routes, a);
        return r == null ? UNROUTED : r.name;
    }

    /** The key of alerts no route takes: counted, not sent. */
    public static final String UNROUTED = "";

    @Override
    public void processElement(CashAlert alert, Context ctx, Collector<DeadLetter> out)
            throws Exception {
        if (ctx.getCurrentKey().equals(UNROUTED)) {
            unrouted.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        Outbox box = outbox();
        if (box.offer(alert, now)) schedule(ctx.timerService(), box, now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeadLetter> out)
            throws Exception {
        String route = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        Long wait = notBefore.value();
        Outbox box = outbox();
        if (wait != null && now < wait) {
            schedule(ctx.timerService(), box, now);
            return;
        }
        Message m = box.next(now);
        if (m != null) send(route, m, box, now, out);
        schedule(ctx.timerService(), box, now);
        Long oldest = new FlinkStore().oldestArrival();
        oldestAge.of(route).set(oldest == null ? 0 : Math.max(0, (now - oldest) / 1000));
    }

    private void send(String route, Message m, Outbox box, long now, Collector<DeadLetter> out)
            throws Exception {
        Route r =
                settings.routes.stream()
                        .filter(x -> x.name.equals(route))
                        .findFirst()
                        .orElseThrow();
        String body = r.format == Route.Format.SLACK ? slack.render(m) : AlertJson.render(route, m);
        int failed = failures.value() == null ? 0 : failures.value();
        WebhookPost.Outcome o = post.post(urls.get(route), body, failed);
        switch (o.result()) {
            case DELIVERED -> {
                box.sent(m, now);
                if (failed > 0) {
                    LOG.info(
                            "Route {}: the webhook answers again after {} failed tries",
                            route,
                            failed);
                }
                failures.update(0);
                notBefore.update(now + settings.minIntervalMillis);
                messages.of(route, "delivered").inc();
                if (m.kind() == Message.Kind.DIGEST) digested.of(route).inc(m.alerts().size());
            }
            case RETRY -> {
                if (failed == 0) {
                    LOG.warn(
                            "Route {}: the webhook did not take a message ({}); retrying with back-off. Nothing is lost: the alerts wait in the notifier's state.",
                            route,
                            o.detail());
                }
                failures.update(failed + 1);
                notBefore.update(now + Math.max(o.retryInMillis(), settings.minIntervalMillis));
                messages.of(route, "retried").inc();
            }
            case REFUSED -> {
                if (refusalsLogged.add(route + o.status())) {
                    LOG.error(
                            "Route {}: the webhook refused a message with {} (revoked or wrong?). Its alerts are not retried: they are in treso.dlq as WEBHOOK_REFUSED. Fix the route's webhook; later alerts are tried again.",
                            route,
                            o.detail());
                }
                box.refused(m, now);
                notBefore.update(now + settings.minIntervalMillis);
                messages.of(route, "refused").inc();
                for (CashAlert a : m.alerts()) {
                    if (m.kind() == Message.Kind.REMINDER) break;
                    undelivered.of(route).inc();
                    out.collect(refusal(route, a, o));
                }
            }
        }
    }

    private void schedule(org.apache.flink.streaming.api.TimerService timers, Outbox box, long now)
            throws Exception {
        Long wake = box.wakeAt();
        if (wake == null) return;
        Long wait = notBefore.value();
        long at = Math.max(wake, wait == null ? now : wait);
        timers.registerProcessingTimeTimer(Math.max(at, now + 1));
    }

    private static DeadLetter refusal(String route, CashAlert a, WebhookPost.Outcome o) {
        return DeadLetter.newBuilder()
                .setReason("WEBHOOK_REFUSED")
                .setDetail(
                        "route "
                                + route
                                + ": the webhook answered "
                                + o.detail()
                                + "; the alert was not delivered")
                .setErrorClass(ErrorClass.PERMANENT)
                .setRecordType("alert")
                .setEventId(a.getAlertId())
                .setEventTime(a.getDetectedAt())
                .setSourceTopic(null)
                .setSourcePartition(null)
                .setSourceOffset(null)
                .setSourceFile(null)
                .setSourceLine(null)
                .setOriginalBytes(
                        java.nio.ByteBuffer.wrap(
                                io.treso.connectors.replay.EventJson.toLine(a)
                                        .getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private Outbox outbox() {
        return new Outbox(new FlinkStore(), settings);
    }

    /** The outbox's state in RocksDB, for the current route. */
    private final class FlinkStore implements Outbox.Store {
        @Override
        public boolean delivered(String key) {
            return States.read(() -> delivered.contains(key));
        }

        @Override
        public void markDelivered(String key, long at) {
            States.write(() -> delivered.put(key, at));
        }

        @Override
        public Map<String, CashAlert> waiting() {
            Map<String, CashAlert> out = new LinkedHashMap<>();
            States.write(
                    () -> {
                        for (var e : waiting.entries())
                            out.put(e.getKey(), AlertBytes.alert(e.getValue()));
                    });
            return out;
        }

        @Override
        public void addWaiting(String key, CashAlert alert, long arrivedAt) {
            States.write(() -> waiting.put(key, AlertBytes.encode(alert, arrivedAt)));
        }

        @Override
        public Long oldestArrival() {
            Long[] oldest = {null};
            States.write(
                    () -> {
                        for (byte[] b : waiting.values()) {
                            long t = AlertBytes.arrivedAt(b);
                            if (oldest[0] == null || t < oldest[0]) oldest[0] = t;
                        }
                    });
            return oldest[0];
        }

        @Override
        public void removeWaiting(String key) {
            States.write(() -> waiting.remove(key));
        }

        @Override
        public Map<String, Long> readyAt() {
            Map<String, Long> out = new HashMap<>();
            States.write(
                    () -> {
                        for (var e : readyAt.entries()) out.put(e.getKey(), e.getValue());
                    });
            return out;
        }

        @Override
        public void setReadyAt(String group, Long at) {
            States.write(
                    () -> {
                        if (at == null) readyAt.remove(group);
                        else readyAt.put(group, at);
                    });
        }

        @Override
        public Map<String, CashAlert> firing() {
            Map<String, CashAlert> out = new HashMap<>();
            States.write(
                    () -> {
                        for (var e : firing.entries())
                            out.put(e.getKey(), AlertBytes.alert(e.getValue()));
                    });
            return out;
        }

        @Override
        public void setFiring(String alertId, CashAlert alert) {
            States.write(
                    () -> {
                        if (alert == null) firing.remove(alertId);
                        else firing.put(alertId, AlertBytes.encode(alert, 0));
                    });
        }

        @Override
        public Long lastSent(String group) {
            return States.read(() -> lastSent.get(group));
        }

        @Override
        public void setLastSent(String group, long at) {
            States.write(() -> lastSent.put(group, at));
        }
    }
}
