package io.treso.jobs.variance;

import io.treso.event.CashAlert;
import io.treso.event.ControlCommand;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.input.AccountInput;
import io.treso.jobs.input.InputStreams;
import io.treso.jobs.input.PayoutsOnce;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The variance pipeline: orders and payouts summed per scope in hourly buckets (an {@link
 * BucketAggregate}, never buffered events), judged against seasonal baselines in RocksDB per store
 * and per PSP; booked debits judged per account on statement coverage. Rules, promotions and store
 * zones arrive as broadcast state. It takes its inputs and returns its alerts, so replay, tests,
 * the demo and clusters run this one code path.
 */
public final class VariancePipeline {
    private static final OutputTag<Activity> LATE =
            new OutputTag<>("variance-late", ActivitySerializer.TYPE);

    private VariancePipeline() {}

    public static DataStream<CashAlert> build(
            InputStreams in, List<ControlCommand> seeds, TresoOptions options, long endOfTime) {
        List<VarianceControl> seedControls =
                seeds.stream().flatMap(c -> VarianceControl.of(c).stream()).toList();
        long bucket = options.get(TresoOptions.VARIANCE_BUCKET).toMillis();
        int p = in.control().getParallelism();
        BroadcastStream<VarianceControl> controls =
                in.control()
                        .flatMap(
                                (ControlCommand c,
                                        org.apache.flink.util.Collector<VarianceControl> out) ->
                                        VarianceControl.of(c).ifPresent(out::collect))
                        .returns(VarianceControl.class)
                        .setParallelism(p)
                        .name("variance controls")
                        .uid("variance-controls")
                        .broadcast(VarianceFunction.CONTROLS);

        int orderParallelism = in.orders().getParallelism();
        DataStream<Activity> sales =
                in.orders()
                        .filter(
                                o ->
                                        o.getKind() == OrderKind.CAPTURED
                                                || o.getKind() == OrderKind.REFUNDED
                                                || o.getKind() == OrderKind.CHARGEBACK)
                        .setParallelism(orderParallelism)
                        .name("sales and refunds")
                        .uid("variance-sales-and-refunds")
                        .map(Activity::of)
                        .returns(ActivitySerializer.TYPE)
                        .setParallelism(orderParallelism)
                        .name("store activity")
                        .uid("variance-store-activity")
                        .keyBy(OrderEventsOnce::key)
                        .process(
                                new OrderEventsOnce(
                                        options.get(TresoOptions.DEDUP_HORIZON), endOfTime))
                        .returns(ActivitySerializer.TYPE)
                        .uid("variance-orders-once")
                        .name("order events, once");
        DataStream<Activity> fees =
                in.payouts()
                        .keyBy(PayoutEvent::getPayoutId)
                        .process(PayoutsOnce.all(options.get(TresoOptions.DEDUP_HORIZON)))
                        .uid("variance-payouts-once")
                        .name("payouts, once")
                        .map(Activity::of)
                        .returns(ActivitySerializer.TYPE)
                        .name("psp fees")
                        .uid("variance-psp-fees");
        SingleOutputStreamOperator<Bucket> buckets =
                sales.union(fees)
                        .keyBy(Activity::key)
                        .window(TumblingEventTimeWindows.of(Duration.ofMillis(bucket)))
                        .sideOutputLateData(LATE)
                        .aggregate(
                                new BucketAggregate(),
                                new BucketWindow(),
                                BucketSerializer.TYPE,
                                BucketSerializer.TYPE,
                                BucketSerializer.TYPE)
                        .uid("variance-buckets")
                        .name("hourly buckets");
        DataStream<CashAlert> late =
                buckets.getSideOutput(LATE)
                        .process(new LateActivities())
                        .name("late events")
                        .uid("variance-late-events");
        DataStream<CashAlert> scopeAlerts =
                buckets.keyBy(Bucket::key)
                        .connect(controls)
                        .process(new VarianceFunction(seedControls, bucket, endOfTime))
                        .uid("variance-detectors")
                        .name("variance detectors");
        DataStream<CashAlert> debitAlerts =
                in.account()
                        .keyBy(AccountInput::accountId)
                        .connect(controls)
                        .process(
                                new UnusualDebitFunction(
                                        seedControls,
                                        options.get(TresoOptions.BANK_RETENTION),
                                        endOfTime))
                        .uid("variance-debits")
                        .name("unusual debits");
        return scopeAlerts.union(debitAlerts, late);
    }
}
