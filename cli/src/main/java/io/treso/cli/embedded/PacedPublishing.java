package io.treso.cli.embedded;

import io.treso.connectors.kafka.EventPublisher;
import io.treso.schemas.EventType;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;

/**
 * Publishes events at a pace in simulated time: {@code speed} simulated seconds per wall second, 0
 * as fast as the broker takes them. The demo and {@code treso publish} share it.
 */
public final class PacedPublishing {
    private PacedPublishing() {}

    /** Returns early, with the interrupt flag set, when the thread is interrupted. */
    public static void publish(
            EventPublisher publisher, Iterable<? extends SpecificRecord> events, double speed)
            throws InterruptedException {
        long wallStart = System.nanoTime();
        long simStart = Long.MIN_VALUE;
        long clock = Long.MIN_VALUE;
        for (SpecificRecord e : events) {
            if (Thread.currentThread().isInterrupted()) return;
            long t = EventType.eventTime(e).toEpochMilli();
            clock = Math.max(clock, t);
            if (simStart == Long.MIN_VALUE) simStart = t;
            if (speed > 0) {
                long dueNanos = wallStart + (long) ((clock - simStart) * 1_000_000 / speed);
                long wait = dueNanos - System.nanoTime();
                if (wait > 1_000_000) {
                    publisher.flush();
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            publisher.publish(e);
        }
        publisher.flush();
    }
}
