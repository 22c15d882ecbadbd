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
import io.treso.jobs.config.TresoOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The canonical input streams every pipeline takes ({@code account} carries bank lines, statements
 * and control commands together, in read order), whatever runtime feeds them: Kafka for the cluster
 * and the demo, files for replay, test sources in tests. One code path.
 */
public record InputStreams(
        DataStream<OrderEvent> orders,
        DataStream<PayoutEvent> payouts,
        DataStream<BankTransaction> bank,
        DataStream<BankStatement> statements,
        DataStream<Obligation> obligations,
        DataStream<FxRate> fx,
        DataStream<ControlCommand> control,
        DataStream<AccountInput> account,
        DataStream<DeadLetter> deadLetters) {

    /**
     * Decodes raw records that already carry timestamps and watermarks. {@code ageChecks} is false
     * only for {@code dlq replay}, which skips the age checks but not deduplication.
     */
    public static InputStreams decode(
            DataStream<SourceRecord> raw,
            DecoderFactory decoders,
            TresoOptions options,
            boolean ageChecks,
            String uid) {
        SingleOutputStreamOperator<DeadLetter> decoded =
                raw.process(
                                new InputDecoder(
                                        decoders,
                                        options.get(TresoOptions.MAX_SKEW),
                                        options.get(TresoOptions.DEDUP_HORIZON),
                                        ageChecks))
                        .setParallelism(raw.getParallelism())
                        .uid(uid)
                        .name("decode " + uid);
        return new InputStreams(
                decoded.getSideOutput(InputDecoder.ORDERS),
                decoded.getSideOutput(InputDecoder.PAYOUTS),
                decoded.getSideOutput(InputDecoder.BANK),
                decoded.getSideOutput(InputDecoder.STATEMENTS),
                decoded.getSideOutput(InputDecoder.OBLIGATIONS),
                decoded.getSideOutput(InputDecoder.FX),
                decoded.getSideOutput(InputDecoder.CONTROL),
                decoded.getSideOutput(InputDecoder.ACCOUNT),
                decoded);
    }

    /**
     * Adds the control topic's decoder, which only ever emits control commands (alone and as
     * account input) and dead letters. The other streams stay this decoder's alone: a union gives
     * each consumer a second input, and Flink chains no operator that has two, so every order and
     * payout would cross the network (serialised once per consumer) just to be filtered.
     */
    public InputStreams withControl(InputStreams controlTopic) {
        return new InputStreams(
                orders,
                payouts,
                bank,
                statements,
                obligations,
                fx,
                control.union(controlTopic.control),
                account.union(controlTopic.account),
                deadLetters.union(controlTopic.deadLetters));
    }
}
