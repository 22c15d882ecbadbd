package io.treso.jobs.input;

import io.treso.connectors.replay.EventFormatException;
import io.treso.connectors.source.SourceRecord;
import io.treso.connectors.source.StreamClock;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import io.treso.event.Heartbeat;
import io.treso.schemas.ContractCheck;
import io.treso.schemas.EventType;
import io.treso.schemas.wire.ConfluentWire;
import io.treso.schemas.wire.DecodeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The door every input passes: decode, keep the contract, and judge the timestamp against its own
 * stream's progress (never the wall clock), a {@link StreamClock} that no single record sets. Plain
 * Java; {@link InputDecoder} is its Flink shell. Not thread-safe.
 */
public final class InputGate {
    public static final String INVALID_RECORD = "INVALID_RECORD";
    public static final String STATEMENT_UNBALANCED = "STATEMENT_UNBALANCED";
    public static final String IMPLAUSIBLE_TIMESTAMP = "IMPLAUSIBLE_TIMESTAMP";
    public static final String BEYOND_DEDUP_HORIZON = "BEYOND_DEDUP_HORIZON";

    /**
     * Turns raw bytes into a record, or throws {@link DecodeException}/{@link
     * EventFormatException}.
     */
    @FunctionalInterface
    public interface Decoder {
        SpecificRecord decode(SourceRecord raw);
    }

    /**
     * What became of one raw record. Exactly one of the fields is set, unless it was a heartbeat.
     */
    public record Outcome(SpecificRecord accepted, DeadLetter rejected) {
        public boolean isHeartbeat() {
            return accepted instanceof Heartbeat;
        }
    }

    private final Decoder decoder;
    private final long maxSkewMillis;
    private final long horizonMillis;
    private final boolean ageChecks;
    private final Map<String, StreamClock> clocks = new HashMap<>();
    private String lastOrigin;
    private int lastPartition = -1;
    private String lastStream;

    public InputGate(Decoder decoder, Duration maxSkew, Duration dedupHorizon, boolean ageChecks) {
        this.decoder = decoder;
        this.maxSkewMillis = maxSkew.toMillis();
        this.horizonMillis = dedupHorizon.toMillis();
        this.ageChecks = ageChecks;
    }

    /** The highest event time read per stream whose clock has started, for checkpointing. */
    public Map<String, Long> progress() {
        Map<String, Long> out = new HashMap<>();
        clocks.forEach(
                (s, c) -> {
                    if (c.started()) out.put(s, c.highest());
                });
        return out;
    }

    /** Streams' progress from a checkpoint: their clocks start where they were. */
    public void restore(Map<String, Long> progress) {
        progress.forEach(
                (s, t) -> {
                    StreamClock c = clocks.get(s);
                    long at = c != null && c.started() ? Math.max(c.highest(), t) : t;
                    clocks.put(s, StreamClock.startedAt(at, maxSkewMillis));
                });
    }

    public Outcome admit(SourceRecord raw) {
        SpecificRecord record;
        try {
            record = decoder.decode(raw);
        } catch (EventFormatException e) {
            return reject(raw, null, INVALID_RECORD, e.getMessage());
        } catch (DecodeException e) {
            if (!e.isPermanent()) {
                throw e; // TRANSIENT: fail the task, restart from the checkpoint.
            }
            return reject(raw, null, e.reason(), e.detail());
        }
        // The contract first: it bounds times, dates, amounts and rates, so nothing below (nor
        // any operator) can overflow on a record that merely parses.
        var violation =
                ContractCheck.violation(
                        record, raw.payload == null ? Integer.MAX_VALUE : raw.payload.length);
        if (violation.isPresent()) {
            return reject(raw, record, ConfluentWire.CONTRACT_VIOLATION, violation.get());
        }
        long eventTime = EventType.eventTime(record).toEpochMilli();
        String stream = streamKey(raw);
        StreamClock clock = clocks.computeIfAbsent(stream, s -> new StreamClock(maxSkewMillis));
        Long highest = clock.started() ? clock.highest() : null;
        if (record instanceof Heartbeat) {
            // A heartbeat moves event time like data does, so it passes the same skew guard: one
            // dated years ahead would otherwise fire every deadline at once.
            if (!clock.plausible(eventTime)) {
                return reject(
                        raw, record, IMPLAUSIBLE_TIMESTAMP, ahead(eventTime, stream, highest));
            }
            clock.advance(eventTime);
            return new Outcome(record, null);
        }
        if (record instanceof ControlCommand c) {
            String bad = ControlRules.problem(c);
            if (bad != null) {
                return reject(raw, record, ConfluentWire.CONTRACT_VIOLATION, bad);
            }
        }
        if (record instanceof BankStatement s && !addsUp(s)) {
            return reject(
                    raw,
                    record,
                    STATEMENT_UNBALANCED,
                    String.format(
                            "statement %s: opening %d + entries %d = %d, but closing is %d",
                            s.getStatementId(),
                            s.getOpeningBalanceMinor(),
                            s.getEntrySumMinor(),
                            Math.addExact(s.getOpeningBalanceMinor(), s.getEntrySumMinor()),
                            s.getClosingBalanceMinor()));
        }
        if (record instanceof ControlCommand) {
            // Rules apply by effective_at; their issue time is a wall clock that may be far
            // ahead of the data they govern (a rule changed today over a back-fill). Never judged.
            return new Outcome(record, null);
        }
        if (!clock.plausible(eventTime)) {
            return reject(raw, record, IMPLAUSIBLE_TIMESTAMP, ahead(eventTime, stream, highest));
        }
        boolean bankSide = record instanceof BankTransaction || record instanceof BankStatement;
        if (ageChecks
                && !raw.replayed
                && !bankSide
                && highest != null
                && eventTime < highest - horizonMillis) {
            return reject(
                    raw,
                    record,
                    BEYOND_DEDUP_HORIZON,
                    "event time "
                            + Instant.ofEpochMilli(eventTime)
                            + " is older than the dedup horizon of "
                            + Duration.ofMillis(horizonMillis)
                            + " behind "
                            + Instant.ofEpochMilli(highest));
        }
        clock.advance(eventTime);
        return new Outcome(record, null);
    }

    private String ahead(long eventTime, String stream, long highest) {
        return "event time "
                + Instant.ofEpochMilli(eventTime)
                + " is more than "
                + Duration.ofMillis(maxSkewMillis)
                + " ahead of the highest already read from "
                + stream
                + " ("
                + Instant.ofEpochMilli(highest)
                + ")";
    }

    /** The stream key, cached: a source hands over long runs from one partition. */
    private String streamKey(SourceRecord raw) {
        if (raw.partition != lastPartition || !raw.origin.equals(lastOrigin)) {
            lastOrigin = raw.origin;
            lastPartition = raw.partition;
            lastStream = raw.stream();
        }
        return lastStream;
    }

    private static boolean addsUp(BankStatement s) {
        if (s.getOpeningBalanceMinor() == null || s.getClosingBalanceMinor() == null) {
            return true; // An EXPORT may carry no balances; nothing to check.
        }
        // Bounded at the contract, so exact; addExact all the same: money never wraps.
        return Math.addExact(s.getOpeningBalanceMinor(), s.getEntrySumMinor())
                == s.getClosingBalanceMinor();
    }

    /**
     * The most of a refused record a dead letter carries: a 10 MB line would otherwise outgrow
     * every sink (Kafka's message size, the replay's collect buffer) and kill the job that refused
     * it.
     */
    public static final int MAX_KEPT_BYTES = 64 * 1024;

    private static byte[] kept(byte[] payload) {
        if (payload == null) return new byte[0];
        return payload.length <= MAX_KEPT_BYTES
                ? payload
                : java.util.Arrays.copyOf(payload, MAX_KEPT_BYTES);
    }

    /** The record's event time for its dead letter; none when it is the very thing refused. */
    private static Instant eventTimeOf(SpecificRecord record) {
        if (record == null) return null;
        Instant t = EventType.eventTime(record);
        return ContractCheck.withinYears(t) ? t : null;
    }

    private static Outcome reject(
            SourceRecord raw, SpecificRecord record, String reason, String detail) {
        DeadLetter.Builder dl =
                DeadLetter.newBuilder()
                        .setReason(reason)
                        .setDetail(detail)
                        .setErrorClass(ErrorClass.PERMANENT)
                        .setRecordType(record == null ? null : EventType.of(record).wireName())
                        .setEventId(record == null ? null : EventType.eventId(record))
                        .setEventTime(eventTimeOf(record))
                        .setOriginalBytes(ByteBuffer.wrap(kept(raw.payload)));
        if (raw.payload != null && raw.payload.length > MAX_KEPT_BYTES) {
            dl.setDetail(
                    detail
                            + " (record of "
                            + raw.payload.length
                            + " bytes; the first "
                            + MAX_KEPT_BYTES
                            + " kept here, the whole one stays at its source)");
        }
        if (raw.fromFile) {
            dl.setSourceFile(raw.origin).setSourceLine(raw.position);
        } else {
            dl.setSourceTopic(raw.origin)
                    .setSourcePartition(raw.partition)
                    .setSourceOffset(raw.position);
        }
        return new Outcome(null, dl.build());
    }
}
