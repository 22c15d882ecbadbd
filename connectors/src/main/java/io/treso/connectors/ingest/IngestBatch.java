package io.treso.connectors.ingest;

import io.treso.event.BankStatement;
import io.treso.schemas.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Preconditions;

/**
 * Events published together or not at all: one bank statement with its lines, or one file's PSP
 * records. {@code check} says what was verified, in words an operator can read.
 */
public final class IngestBatch {
    private final String label;
    private final List<SpecificRecord> events;
    private final String check;

    public IngestBatch(String label, List<? extends SpecificRecord> events, String check) {
        Preconditions.checkArgument(!events.isEmpty(), "an empty batch: %s", label);
        this.label = Preconditions.checkNotNull(label);
        List<SpecificRecord> sorted = new ArrayList<>(events);
        // Event-time order inside the batch, the statement last so its lines are in first.
        sorted.sort(
                Comparator.comparing((SpecificRecord r) -> EventType.eventTime(r))
                        .thenComparing(r -> r instanceof BankStatement ? 1 : 0));
        this.events = List.copyOf(sorted);
        this.check = check;
    }

    public String label() {
        return label;
    }

    public List<SpecificRecord> events() {
        return events;
    }

    /** What was checked, e.g. the statement's balance continuity; null when nothing applies. */
    public String check() {
        return check;
    }

    public Instant firstEventTime() {
        return EventType.eventTime(events.get(0));
    }
}
