package io.treso.jobs.reconciliation;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.input.InputStreams;
import io.treso.jobs.input.PayoutsOnce;
import java.util.List;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The reconciliation pipeline: payout lines against the orders they settle (keyed by order), the
 * PSPs' balances and overdue money (keyed by PSP, store and currency), then bank lines against
 * payouts, payables and receivables (keyed by account), with the payout's identity checked on the
 * way. It takes its inputs and returns its outputs, so replay, tests, the demo and clusters run
 * this one code path.
 */
public final class ReconciliationPipeline {
    /** What the pipeline produces. */
    public record Outputs(
            DataStream<ReconciliationRecord> records,
            DataStream<CashAlert> alerts,
            DataStream<CashPosition> positions) {}

    private ReconciliationPipeline() {}

    public static Outputs build(
            InputStreams in, List<ControlCommand> seeds, TresoOptions options, long endOfTime) {
        List<MatchingRules> seedRules =
                seeds.stream().flatMap(c -> MatchingRules.of(c).stream()).toList();
        List<AccountConfig> seedAccounts =
                seeds.stream().flatMap(c -> AccountConfig.of(c).stream()).toList();
        DataStream<MatchingBroadcast> rules =
                in.control()
                        .filter(
                                c ->
                                        MatchingRules.KIND.equals(c.getKind())
                                                || AccountConfig.KIND.equals(c.getKind())
                                                || BankCategories.KIND.equals(c.getKind()))
                        .setParallelism(in.control().getParallelism())
                        .name("recon controls")
                        .uid("reconciliation-controls")
                        .map(MatchingBroadcast::of)
                        .setParallelism(in.control().getParallelism())
                        .name("recon rules")
                        .uid("reconciliation-rules");

        SingleOutputStreamOperator<LineBreak> lineBreaks =
                orderSide(in, options)
                        .keyBy(OrderInput::orderId)
                        .connect(rules.broadcast(BankMatchingFunction.RULES))
                        .process(
                                new OrderCheckFunction(
                                        seedRules,
                                        options.get(TresoOptions.DEDUP_HORIZON),
                                        endOfTime))
                        .uid("reconciliation-orders")
                        .name("payout lines vs orders");

        BroadcastStream<MatchingBroadcast> broadcast =
                rules.union(
                                in.fx()
                                        .map(MatchingBroadcast::of)
                                        .setParallelism(in.fx().getParallelism())
                                        .name("fx for matching")
                                        .uid("reconciliation-fx-for-matching"),
                                in.obligations()
                                        .map(o -> MatchingBroadcast.of(ObligationFacts.of(o)))
                                        .setParallelism(in.obligations().getParallelism())
                                        .name("obligations for matching")
                                        .uid("reconciliation-obligations-for-matching"))
                        .broadcast(
                                BankMatchingFunction.FX,
                                BankMatchingFunction.RULES,
                                BankMatchingFunction.OBLIGATIONS,
                                BankMatchingFunction.ACCOUNTS,
                                BankMatchingFunction.CATEGORIES);
        SingleOutputStreamOperator<ReconciliationRecord> records =
                bankSide(in)
                        .union(
                                lineBreaks
                                        .map(MatchingInput::of)
                                        .name("line breaks")
                                        .uid("reconciliation-line-breaks"))
                        .keyBy(MatchingInput::accountKey)
                        .connect(broadcast)
                        .process(
                                new BankMatchingFunction(
                                        seedRules,
                                        seedAccounts,
                                        seeds.stream()
                                                .flatMap(c -> BankCategories.of(c).stream())
                                                .toList(),
                                        options.get(TresoOptions.STATEMENT_GRACE_DAYS),
                                        options.get(TresoOptions.DEDUP_HORIZON),
                                        options.get(TresoOptions.BANK_RETENTION),
                                        endOfTime))
                        .uid("reconciliation-bank")
                        .name("bank matching");
        SingleOutputStreamOperator<CashAlert> pspAlerts =
                lineBreaks
                        .getSideOutput(OrderCheckFunction.PSP)
                        .union(
                                in.payouts()
                                        .map(PspInput::of)
                                        .setParallelism(in.payouts().getParallelism())
                                        .name("payouts for PSP balances")
                                        .uid("reconciliation-payouts-for-psp-balances"))
                        .keyBy(PspInput::scope)
                        .connect(rules.broadcast(BankMatchingFunction.RULES))
                        .process(
                                new PspLedgerFunction(
                                        seedRules,
                                        options.get(TresoOptions.DEDUP_HORIZON),
                                        endOfTime))
                        .uid("reconciliation-psp-ledger")
                        .name("PSP balances and missing payouts");
        DataStream<ReconciliationRecord> transfers =
                records.filter(r -> TransferPairs.Leg.of(r) != null)
                        .name("internal transfer legs")
                        .uid("reconciliation-transfer-legs")
                        .keyBy(r -> TransferPairingFunction.KEY)
                        .connect(
                                in.fx()
                                        .map(MatchingBroadcast::of)
                                        .setParallelism(in.fx().getParallelism())
                                        .name("fx for transfers")
                                        .uid("reconciliation-fx-for-transfers")
                                        .broadcast(BankMatchingFunction.FX))
                        .process(new TransferPairingFunction(endOfTime))
                        .uid("reconciliation-transfers")
                        .name("internal transfers");
        return new Outputs(
                records.union(transfers),
                records.getSideOutput(BankMatchingFunction.ALERTS).union(pspAlerts),
                records.getSideOutput(BankMatchingFunction.AGING)
                        .union(pspAlerts.getSideOutput(PspLedgerFunction.BALANCES)));
    }

    /**
     * Captures, refunds and chargebacks, and the payout lines (or order ids) that name orders, once
     * each.
     */
    private static DataStream<OrderInput> orderSide(InputStreams in, TresoOptions options) {
        return in.orders()
                .filter(o -> o.getKind() != OrderKind.PLACED) // money moves at capture
                .setParallelism(in.orders().getParallelism())
                .name("captures")
                .uid("reconciliation-captures")
                .map(o -> OrderInput.of(OrderFacts.of(o)))
                .returns(OrderInputSerializer.TYPE)
                .setParallelism(in.orders().getParallelism())
                .name("order facts")
                .uid("reconciliation-order-facts")
                .union(
                        in.payouts()
                                .keyBy(PayoutEvent::getPayoutId)
                                .process(
                                        PayoutsOnce.namingOrders(
                                                options.get(TresoOptions.DEDUP_HORIZON)))
                                .uid("reconciliation-payout-lines")
                                .name("payouts, once")
                                .flatMap(
                                        (PayoutEvent p, Collector<OrderInput> out) ->
                                                SettlementLine.of(p)
                                                        .forEach(
                                                                l -> out.collect(OrderInput.of(l))))
                                .returns(OrderInputSerializer.TYPE)
                                .name("payout lines")
                                .uid("reconciliation-settlement-lines"));
    }

    /** An account's lines, statements and MATCH_ACTIONs, and the payouts destined to it. */
    private static DataStream<MatchingInput> bankSide(InputStreams in) {
        int p = in.account().getParallelism();
        return in.account()
                .filter(i -> i.control == null || MatchAction.KIND.equals(i.control.getKind()))
                .setParallelism(p)
                .name("bank side")
                .uid("reconciliation-bank-side")
                .map(MatchingInput::of)
                .setParallelism(p)
                .name("bank input")
                .uid("reconciliation-bank-input")
                .union(
                        in.payouts()
                                .map(e -> MatchingInput.of(PayoutFacts.of(e)))
                                .setParallelism(in.payouts().getParallelism())
                                .name("payout facts")
                                .uid("reconciliation-payout-facts"));
    }
}
