package io.treso.jobs.notify;

import io.treso.event.CashAlert;
import io.treso.event.DeadLetter;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Alerts to their routes' webhooks. The stream is keyed by route: one route's messages are paced
 * and ordered in one place. Returns what the webhooks refused, as dead letters.
 */
public final class NotifyPipeline {
    private NotifyPipeline() {}

    public static DataStream<DeadLetter> build(
            DataStream<CashAlert> alerts, NotifySettings settings) {
        return alerts.keyBy(a -> NotifyFunction.routeOf(settings, a))
                .process(new NotifyFunction(settings))
                .uid("notify-routes")
                .name("alerts to webhooks");
    }
}
