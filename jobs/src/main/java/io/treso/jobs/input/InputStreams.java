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

    /** Merges the streams of several decoders (one per Kafka topic). */
    public InputStreams union(InputStreams other) {
        return new InputStreams(
                orders.union(other.orders),
                payouts.union(other.payouts),
                bank.union(other.bank),
                statements.union(other.statements),
                obligations.union(other.obligations),
                fx.union(other.fx),
                control.union(other.control),
                account.union(other.account),
                deadLetters.union(other.deadLetters));
    }
}
