package io.treso.jobs.position;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.input.AccountInput;
import io.treso.jobs.input.InputStreams;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The position pipeline: running booked balances per bank account anchored to the bank's
 * statements, LOW_BALANCE and BALANCE_BREAK alerts, cash in transit, and consolidated positions per
 * currency and in the base currency. It takes its inputs and returns its outputs; the runtime
 * chooses sources and sinks, so replay, tests, the demo and clusters run this one code path.
 */
public final class PositionPipeline {
    /** What the pipeline produces. */
    public record Outputs(
            DataStream<CashPosition> positions,
            DataStream<CashAlert> alerts,
            DataStream<io.treso.event.DeadLetter> refused,
            DataStream<io.treso.event.DailyPosition> accountCloses) {}

    private PositionPipeline() {}

    /**
     * @param seeds control commands read before data flows (at start-up), so that replays are
     *     deterministic
     * @param endOfTime the last input event time; timers past it only clean state. {@code
     *     Long.MAX_VALUE} on a live stream.
     */
    public static Outputs build(
            InputStreams in, List<ControlCommand> seeds, TresoOptions options, long endOfTime) {
        List<ThresholdRule> seedRules =
                seeds.stream().flatMap(c -> ThresholdRule.of(c).stream()).toList();
        DataStream<AccountInput> accountInputs =
                in.account()
                        .filter(
                                i ->
                                        i.control == null
                                                || ThresholdRule.KIND.equals(i.control.getKind())
                                                || AccountConfig.KIND.equals(i.control.getKind()))
                        .setParallelism(in.account().getParallelism())
                        .name("account inputs")
                        .uid("position-account-inputs");
        SingleOutputStreamOperator<CashPosition> accounts =
                accountInputs
                        .keyBy(AccountInput::accountId)
                        .process(
                                new AccountPositionFunction(
                                        seedRules,
                                        seeds.stream()
                                                .flatMap(c -> AccountConfig.of(c).stream())
                                                .toList(),
                                        options.get(TresoOptions.STATEMENT_GRACE_DAYS),
                                        options.get(TresoOptions.BANK_RETENTION),
                                        endOfTime,
                                        options.get(TresoOptions.METRICS_MAX_SERIES)))
                        .uid("position-accounts")
                        .name("account positions");

        DataStream<CashPosition> transit =
                in.payouts()
                        .map(TransitPayout::of)
                        .setParallelism(in.payouts().getParallelism())
                        .name("payout in transit")
                        .uid("position-payout-in-transit")
                        .keyBy(t -> t.scope)
                        .process(
                                new TransitFunction(
                                        options.get(TresoOptions.TRANSIT_GRACE_DAYS),
                                        options.get(TresoOptions.DEDUP_HORIZON),
                                        endOfTime))
                        .uid("position-transit")
                        .name("cash in transit");

        DataStream<CashPosition> consolidated =
                accounts.map(ConsolidationInput::of)
                        .name("account position")
                        .uid("position-to-consolidation")
                        .union(
                                in.fx()
                                        .map(ConsolidationInput::of)
                                        .name("fx rate")
                                        .uid("position-fx-rate"))
                        .keyBy(i -> "all")
                        .process(new ConsolidationFunction(options.get(TresoOptions.BASE_CURRENCY)))
                        .uid("position-consolidation")
                        .name("consolidated positions");

        return new Outputs(
                accounts.union(transit, consolidated),
                accounts.getSideOutput(AccountPositionFunction.ALERTS),
                accounts.getSideOutput(AccountPositionFunction.REFUSED),
                accounts.getSideOutput(AccountPositionFunction.DAILY));
    }
}
