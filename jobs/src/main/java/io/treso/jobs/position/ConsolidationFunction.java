package io.treso.jobs.position;

import io.treso.event.CashPosition;
import io.treso.event.FxRate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** The Flink shell of {@link Consolidation}: one key holds every account's latest position. */
public final class ConsolidationFunction
        extends KeyedProcessFunction<String, ConsolidationInput, CashPosition> {
    private static final long serialVersionUID = 1L;

    private final String baseCurrency;
    private transient MapState<String, CashPosition> accounts;
    private transient MapState<String, FxRate> rates;

    public ConsolidationFunction(String baseCurrency) {
        this.baseCurrency = baseCurrency;
    }

    @Override
    public void open(OpenContext openContext) {
        var ctx = getRuntimeContext();
        accounts =
                ctx.getMapState(
                        new MapStateDescriptor<>("accounts", String.class, CashPosition.class));
        rates = ctx.getMapState(new MapStateDescriptor<>("rates", String.class, FxRate.class));
    }

    @Override
    public void processElement(ConsolidationInput in, Context ctx, Collector<CashPosition> out)
            throws Exception {
        List<CashPosition> all = new ArrayList<>();
        if (in.position != null) {
            // A copy: with object reuse, the input instance may be refilled by the next record.
            CashPosition p = CashPosition.newBuilder(in.position).build();
            accounts.put(p.getScope(), p);
            for (CashPosition a : accounts.values()) all.add(a);
            out.collect(Consolidation.perCurrency(all, p.getCurrency()));
        } else {
            FxRate r = FxRate.newBuilder(in.rate).build();
            if (!r.getBaseCurrency().equals(baseCurrency)
                    || !Consolidation.isNewer(r, rates.get(r.getCurrency()))) {
                return;
            }
            rates.put(r.getCurrency(), r);
            for (CashPosition a : accounts.values()) all.add(a);
            if (all.stream().noneMatch(a -> a.getCurrency().equals(r.getCurrency()))) {
                return; // No account holds it: the base total does not move.
            }
        }
        Map<String, FxRate> byCurrency = new HashMap<>();
        for (Map.Entry<String, FxRate> e : rates.entries())
            byCurrency.put(e.getKey(), e.getValue());
        Consolidation.inBase(all, byCurrency, baseCurrency).ifPresent(out::collect);
    }
}
