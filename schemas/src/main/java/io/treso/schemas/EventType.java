package io.treso.schemas;

import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.DailyPosition;
import io.treso.event.DeadLetter;
import io.treso.event.ForecastPoint;
import io.treso.event.FxRate;
import io.treso.event.Heartbeat;
import io.treso.event.Obligation;
import io.treso.event.OrderEvent;
import io.treso.event.PayoutEvent;
import io.treso.event.ReconciliationRecord;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every record of the contract, with the name it carries in replay files and its default topic.
 * Inputs have an event id and an event time; outputs are keyed by their scope.
 */
public enum EventType {
    ORDER("order", OrderEvent.class, "treso.orders", true),
    PAYOUT("payout", PayoutEvent.class, "treso.payouts", true),
    BANK("bank", BankTransaction.class, "treso.bank", true),
    STATEMENT("statement", BankStatement.class, "treso.statements", true),
    OBLIGATION("obligation", Obligation.class, "treso.obligations", true),
    FX("fx", FxRate.class, "treso.fx", true),
    CONTROL("control", ControlCommand.class, "treso.control", true),
    HEARTBEAT("heartbeat", Heartbeat.class, null, true),
    POSITION("position", CashPosition.class, "treso.positions", false),
    DAILY_POSITION("daily_position", DailyPosition.class, "treso.daily-positions", false),
    RECONCILIATION("reconciliation", ReconciliationRecord.class, "treso.reconciliation", false),
    ALERT("alert", CashAlert.class, "treso.alerts", false),
    FORECAST("forecast", ForecastPoint.class, "treso.forecast", false),
    DEAD_LETTER("dead_letter", DeadLetter.class, "treso.dlq", false);

    private final String wireName;
    private final Class<? extends SpecificRecord> recordClass;
    private final String defaultTopic;
    private final boolean input;

    EventType(
            String wireName,
            Class<? extends SpecificRecord> recordClass,
            String defaultTopic,
            boolean input) {
        this.wireName = wireName;
        this.recordClass = recordClass;
        this.defaultTopic = defaultTopic;
        this.input = input;
    }

    /** The {@code "type"} value in replay files. */
    public String wireName() {
        return wireName;
    }

    public Class<? extends SpecificRecord> recordClass() {
        return recordClass;
    }

    public Schema schema() {
        return SpecificData.get().getSchema(recordClass);
    }

    /** The default topic; heartbeats have none, since they travel on every input topic. */
    public String defaultTopic() {
        return defaultTopic;
    }

    public boolean isInput() {
        return input;
    }

    public static Optional<EventType> ofWireName(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static EventType of(SpecificRecord record) {
        for (EventType t : values()) {
            if (t.recordClass.isInstance(record)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a Treso record: " + record.getClass().getName());
    }

    /** The event id of an input record; an alert's is its alert id. */
    public static String eventId(SpecificRecord record) {
        if (record instanceof CashAlert r) return r.getAlertId();
        if (record instanceof OrderEvent r) return r.getEventId();
        if (record instanceof PayoutEvent r) return r.getEventId();
        if (record instanceof BankTransaction r) return r.getEventId();
        if (record instanceof BankStatement r) return r.getEventId();
        if (record instanceof Obligation r) return r.getEventId();
        if (record instanceof FxRate r) return r.getEventId();
        if (record instanceof ControlCommand r) return r.getEventId();
        if (record instanceof Heartbeat r) return r.getEventId();
        throw new IllegalArgumentException("no event id on " + record.getClass().getSimpleName());
    }

    /**
     * The event time of an input record. A bank line's is its booking time; a statement's is the
     * end of the period it covers, which is when the bank's side of time moves on.
     */
    public static Instant eventTime(SpecificRecord record) {
        if (record instanceof OrderEvent r) return r.getOccurredAt();
        if (record instanceof PayoutEvent r) return r.getOccurredAt();
        if (record instanceof BankTransaction r) return r.getBookedAt();
        if (record instanceof BankStatement r) return r.getPeriodEnd();
        if (record instanceof Obligation r) return r.getOccurredAt();
        if (record instanceof FxRate r) return r.getOccurredAt();
        if (record instanceof ControlCommand r) return r.getOccurredAt();
        if (record instanceof Heartbeat r) return r.getOccurredAt();
        throw new IllegalArgumentException("no event time on " + record.getClass().getSimpleName());
    }
}
