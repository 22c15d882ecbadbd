package io.treso.jobs.reconciliation;

import io.treso.event.ReconciliationRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink shell of {@link TransferPairs}. Transfers between a business's own accounts are few,
 * and their legs sit on different accounts' operators, so every leg meets here under one key. A
 * debit is judged on an event-time timer {@link TransferPairs#WAIT} after its decision; an unpaired
 * credit is forgotten twice that long after its own.
 */
public final class TransferPairingFunction
        extends KeyedBroadcastProcessFunction<
                String, ReconciliationRecord, MatchingBroadcast, ReconciliationRecord> {
    private static final long serialVersionUID = 1L;

    /** The one key every leg travels under. */
    public static final String KEY = "internal-transfers";

    private final long endOfTime;
    private transient MapState<String, TransferPairs.Leg> debits;
    private transient MapState<String, TransferPairs.Leg> credits;

    public TransferPairingFunction(long endOfTime) {
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        debits =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "transfer-debits", String.class, TransferPairs.Leg.class));
        credits =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "transfer-credits", String.class, TransferPairs.Leg.class));
    }

    @Override
    public void processElement(
            ReconciliationRecord r, ReadOnlyContext ctx, Collector<ReconciliationRecord> out)
            throws Exception {
        TransferPairs.Leg leg = TransferPairs.Leg.of(r);
        if (leg == null) return;
        if (leg.amountMinor < 0) {
            debits.put(leg.eventId, leg);
            ctx.timerService().registerEventTimeTimer(leg.judgeAt());
        } else {
            credits.put(leg.eventId, leg);
            ctx.timerService()
                    .registerEventTimeTimer(leg.judgeAt() + TransferPairs.WAIT.toMillis());
        }
    }

    @Override
    public void processBroadcastElement(
            MatchingBroadcast in, Context ctx, Collector<ReconciliationRecord> out)
            throws Exception {
        if (in.fx != null)
            BankMatchingFunction.putFx(ctx.getBroadcastState(BankMatchingFunction.FX), in.fx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReconciliationRecord> out)
            throws Exception {
        List<TransferPairs.Leg> due = new ArrayList<>();
        for (Map.Entry<String, TransferPairs.Leg> e : debits.entries()) {
            if (e.getValue().judgeAt() <= timestamp) due.add(e.getValue());
        }
        List<TransferPairs.Leg> open = new ArrayList<>();
        for (TransferPairs.Leg c : credits.values()) open.add(c);
        FxRates fx = BankMatchingFunction.fxRates(ctx.getBroadcastState(BankMatchingFunction.FX));
        for (TransferPairs.Leg d : TransferPairs.sorted(due)) {
            debits.remove(d.eventId);
            TransferPairs.Leg c = TransferPairs.pair(d, open, fx);
            if (c == null) continue; // stays CATEGORISED on its own
            open.remove(c);
            credits.remove(c.eventId);
            // Past the end of a bounded input nothing is emitted: the live path never gets there.
            if (timestamp <= endOfTime) out.collect(TransferPairs.record(d, c));
        }
        for (TransferPairs.Leg c : open) {
            if (c.judgeAt() + TransferPairs.WAIT.toMillis() <= timestamp) credits.remove(c.eventId);
        }
    }
}
