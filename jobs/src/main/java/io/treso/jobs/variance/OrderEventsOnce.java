package io.treso.jobs.variance;

import io.treso.jobs.input.EventsOnce;
import java.time.Duration;

/** Each order event once, as the store's {@link Activity}, keyed by store and UTC day. */
public final class OrderEventsOnce extends EventsOnce<Activity> {
    private static final long serialVersionUID = 1L;

    public OrderEventsOnce(Duration horizon, long endOfTime) {
        super(horizon, endOfTime, a -> a.eventId, a -> a.occurredAt);
    }

    /** The key a store's events of one UTC day share. */
    public static String key(Activity a) {
        return EventsOnce.key(a.store, a.occurredAt);
    }
}
