package io.treso.jobs.forecast;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.ForecastPoint;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.input.EventsOnce;
import io.treso.jobs.input.InputStreams;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The forecast pipeline: each currency's cash, projected day by day over 13 weeks from the
 * accounts' end-of-day balances, with PROJECTED_SHORTFALL alerts. It takes its inputs and returns
 * its outputs; the runtime chooses sources and sinks.
 */
public final class ForecastPipeline {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(ForecastPipeline.class);

    /** What the pipeline produces. */
    public record Outputs(
            DataStream<ForecastPoint> points,
            DataStream<CashAlert> alerts,
            DataStream<CashPosition> vatPositions) {}

    private ForecastPipeline() {}

    public static Outputs build(
            InputStreams in, List<ControlCommand> seeds, TresoOptions options, long endOfTime) {
        DataStream<ForecastEvent> events =
                each(in.orders(), ForecastEvent::of, "captures")
                        // A redelivered order must not count its sale (and its VAT) twice.
                        .keyBy(e -> EventsOnce.key(e.series, e.time))
                        .process(
                                new EventsOnce<ForecastEvent>(
                                        options.get(TresoOptions.DEDUP_HORIZON),
                                        endOfTime,
                                        e -> e.id,
                                        e -> e.time))
                        .returns(
                                ForecastEventSerializer.INSTANCE.typeInformation(
                                        ForecastEvent.class))
                        .uid("forecast-captures-once")
                        .name("forecast: captures, once")
                        .union(
                                each(in.payouts(), ForecastEvent::of, "payouts"),
                                // Lines and statements from the account stream, which keeps each
                                // account's read order: the bank side advances on it.
                                each(in.account(), ForecastPipeline::bankSide, "bank"),
                                each(in.obligations(), ForecastEvent::of, "obligations"),
                                each(in.fx(), ForecastEvent::of, "rates"),
                                each(in.control(), ForecastEvent::of, "rules"));
        SingleOutputStreamOperator<ForecastPoint> points =
                events.keyBy(e -> ForecastFunction.KEY)
                        .process(
                                new ForecastFunction(
                                        seeds.stream()
                                                .flatMap(c -> ForecastEvent.of(c).stream())
                                                .toList(),
                                        options.get(TresoOptions.FORECAST_PAYOUT_LAG_DAYS),
                                        endOfTime))
                        .uid("forecast")
                        .name("cash forecast");
        return new Outputs(
                points,
                points.getSideOutput(ForecastFunction.ALERTS),
                points.getSideOutput(ForecastFunction.VAT_POSITIONS));
    }

    private static Optional<ForecastEvent> bankSide(io.treso.jobs.input.AccountInput a) {
        if (a.bank != null) return ForecastEvent.of(a.bank);
        if (a.statement != null) return ForecastEvent.of(a.statement);
        return Optional.empty();
    }

    /** Each input's events the forecast reads, flattened next to the decoder (chained). */
    private static <T> DataStream<ForecastEvent> each(
            DataStream<T> input, SerializableFunction<T, Optional<ForecastEvent>> of, String name) {
        return input.flatMap(new Flatten<>(of))
                .returns(ForecastEventSerializer.INSTANCE.typeInformation(ForecastEvent.class))
                .setParallelism(input.getParallelism())
                .uid("forecast-" + name)
                .name("forecast: " + name);
    }

    private static final class Flatten<T> implements FlatMapFunction<T, ForecastEvent> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, Optional<ForecastEvent>> of;

        Flatten(SerializableFunction<T, Optional<ForecastEvent>> of) {
            this.of = of;
        }

        @Override
        public void flatMap(T value, Collector<ForecastEvent> out) {
            Optional<ForecastEvent> e;
            try {
                e = of.apply(value);
            } catch (RuntimeException x) {
                // The gate accepted it, so the other pipelines take it: the forecast does without
                // it rather than stop the job, and says so.
                LOG.warn(
                        "The forecast skips a {} it cannot read ({}); the other pipelines take it. Please report it with the record's event id.",
                        value.getClass().getSimpleName(),
                        x.toString());
                return;
            }
            e.ifPresent(out::collect);
        }
    }
}
