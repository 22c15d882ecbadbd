package io.treso.connectors.source;

import java.util.Arrays;
import java.util.Objects;

/**
 * Raw bytes as a source handed them over, with where they came from: a Kafka topic, partition and
 * offset, or a file and its 1-based line. Decoding happens later, in {@link InputDecoder}, so a bad
 * record can be dead-lettered with its location and original bytes.
 */
public final class SourceRecord {
    /** Topic or file name. */
    public String origin;

    /** Kafka partition; 0 for a file. */
    public int partition;

    /** Kafka offset, or line number in a file. */
    public long position;

    /** True when {@link #position} is a file line. */
    public boolean fromFile;

    /** The producer's event time (Kafka timestamp), or Long.MIN_VALUE when unknown. */
    public long timestamp;

    public byte[] payload;

    /** True for a record re-injected by {@code dlq replay}: it skips the age checks. */
    public boolean replayed;

    /**
     * What an earlier operator of the same chain already parsed from {@link #payload} (replay's
     * line numbering reads each line for its event time), so the decoder need not parse it again.
     * Never serialized: past a network exchange it is null and the decoder parses the payload.
     */
    public transient Object parsed;

    public SourceRecord() {}

    public SourceRecord(
            String origin,
            int partition,
            long position,
            boolean fromFile,
            long timestamp,
            byte[] payload) {
        this.origin = origin;
        this.partition = partition;
        this.position = position;
        this.fromFile = fromFile;
        this.timestamp = timestamp;
        this.payload = payload;
    }

    /** The key its stream progress is kept under. */
    public String stream() {
        return origin + "#" + partition;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceRecord r
                && partition == r.partition
                && position == r.position
                && fromFile == r.fromFile
                && timestamp == r.timestamp
                && Objects.equals(origin, r.origin)
                && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, partition, position);
    }

    @Override
    public String toString() {
        return (fromFile ? origin + ":" + position : origin + "/" + partition + "@" + position);
    }
}
