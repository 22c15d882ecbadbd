package io.treso.jobs.input;

import io.treso.connectors.source.SourceRecord;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.event.DeadLetter;
import io.treso.event.FxRate;
import io.treso.event.Obligation;
import io.treso.event.OrderEvent;
import io.treso.event.PayoutEvent;
import io.treso.jobs.metrics.LabelledMetric;
import io.treso.jobs.metrics.LongGauge;
import io.treso.schemas.EventType;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The Flink shell around {@link InputGate}: accepted records leave by a side output per type, dead
 * letters by the main output. It runs chained to its source, so each stream's progress is judged in
 * the order the source read it.
 */
public final class InputDecoder extends ProcessFunction<SourceRecord, DeadLetter>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<OrderEvent> ORDERS = tag("orders", OrderEvent.class);
    public static final OutputTag<PayoutEvent> PAYOUTS = tag("payouts", PayoutEvent.class);
    public static final OutputTag<BankTransaction> BANK = tag("bank", BankTransaction.class);
    public static final OutputTag<BankStatement> STATEMENTS =
            tag("statements", BankStatement.class);
    public static final OutputTag<Obligation> OBLIGATIONS = tag("obligations", Obligation.class);
    public static final OutputTag<FxRate> FX = tag("fx", FxRate.class);
    public static final OutputTag<ControlCommand> CONTROL = tag("control", ControlCommand.class);
    public static final OutputTag<AccountInput> ACCOUNT = tag("account", AccountInput.class);

    private final DecoderFactory decoderFactory;
    private final Duration maxSkew;
    private final Duration dedupHorizon;
    private final boolean ageChecks;

    private transient InputGate gate;
    private transient ListState<Tuple2<String, Long>> progressState;
    private transient LabelledMetric<Counter> eventsIn;
    private transient LabelledMetric<LongGauge> lastEventTime;

    public InputDecoder(
            DecoderFactory decoderFactory,
            Duration maxSkew,
            Duration dedupHorizon,
            boolean ageChecks) {
        this.decoderFactory = decoderFactory;
        this.maxSkew = maxSkew;
        this.dedupHorizon = dedupHorizon;
        this.ageChecks = ageChecks;
    }

    private static <T> OutputTag<T> tag(String name, Class<T> type) {
        return new OutputTag<>(name, TypeInformation.of(type));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        progressState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "stream-progress",
                                        TypeInformation.of(
                                                new TypeHint<Tuple2<String, Long>>() {})));
        gate = new InputGate(decoderFactory.create(), maxSkew, dedupHorizon, ageChecks);
        if (context.isRestored()) {
            Map<String, Long> progress = new java.util.HashMap<>();
            for (Tuple2<String, Long> t : progressState.get()) {
                progress.merge(t.f0, t.f1, Math::max);
            }
            gate.restore(progress);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        progressState.clear();
        for (var e : gate.progress().entrySet()) {
            progressState.add(Tuple2.of(e.getKey(), e.getValue()));
        }
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        var group = getRuntimeContext().getMetricGroup().addGroup("treso");
        // Per input type (a bounded enum): a bank feed that stops shows as its own line.
        eventsIn = LabelledMetric.counters(group, "events_in", EventType.values().length, "input");
        lastEventTime =
                LabelledMetric.gauges(
                        group, "last_event_time_seconds", EventType.values().length, "input");
    }

    @Override
    public void processElement(SourceRecord raw, Context ctx, Collector<DeadLetter> out) {
        InputGate.Outcome outcome = gate.admit(raw);
        if (outcome.rejected() != null) {
            out.collect(outcome.rejected());
            return;
        }
        if (outcome.isHeartbeat()) {
            return; // It has moved the watermark at the source; nothing flows on.
        }
        SpecificRecord r = outcome.accepted();
        String input = EventType.of(r).wireName();
        eventsIn.of(input).inc();
        LongGauge last = lastEventTime.of(input);
        long seconds = EventType.eventTime(r).getEpochSecond();
        if (seconds > last.getValue()) last.set(seconds);
        if (r instanceof OrderEvent o) ctx.output(ORDERS, o);
        else if (r instanceof PayoutEvent p) ctx.output(PAYOUTS, p);
        else if (r instanceof BankTransaction b) {
            ctx.output(BANK, b);
            ctx.output(ACCOUNT, AccountInput.of(b));
        } else if (r instanceof BankStatement s) {
            ctx.output(STATEMENTS, s);
            ctx.output(ACCOUNT, AccountInput.of(s));
        } else if (r instanceof Obligation ob) ctx.output(OBLIGATIONS, ob);
        else if (r instanceof FxRate f) ctx.output(FX, f);
        else if (r instanceof ControlCommand c) {
            ctx.output(CONTROL, c);
            ctx.output(ACCOUNT, AccountInput.of(c));
        }
    }
}
