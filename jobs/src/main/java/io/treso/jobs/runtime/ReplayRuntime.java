package io.treso.jobs.runtime;

import io.treso.connectors.replay.EventJson;
import io.treso.connectors.source.SkewGuardedWatermarks;
import io.treso.connectors.source.SourceRecord;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.DailyPosition;
import io.treso.event.DeadLetter;
import io.treso.event.ForecastPoint;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.forecast.ForecastPipeline;
import io.treso.jobs.input.DecoderFactory;
import io.treso.jobs.input.InputGate;
import io.treso.jobs.input.InputStreams;
import io.treso.jobs.position.DailyCloseFunction;
import io.treso.jobs.position.PositionPipeline;
import io.treso.jobs.reconciliation.ReconciliationPipeline;
import io.treso.jobs.variance.VariancePipeline;
import io.treso.schemas.EventType;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Replay: the same pipeline classes in STREAMING mode over a bounded file of JSON lines. Event time
 * ends at the last input event; outputs are written in a total order, so the same input gives
 * byte-identical files at any parallelism.
 */
public final class ReplayRuntime {
    public static final String POSITIONS = "positions.jsonl";
    public static final String DAILY_POSITIONS = "daily_positions.jsonl";
    public static final String ALERTS = "alerts.jsonl";
    public static final String DEAD_LETTERS = "dead_letters.jsonl";
    public static final String RECONCILIATION = "reconciliation.jsonl";
    public static final String FORECAST = "forecast.jsonl";

    /** What a replay wrote. */
    public record Result(
            Path outputDir,
            int lines,
            int positions,
            int dailyPositions,
            int alerts,
            int deadLetters,
            int reconciliation,
            int forecast) {}

    /** What replay learns before data flows: the control commands and where event time ends. */
    public record Preamble(List<ControlCommand> controls, long endOfTime, int lines) {}

    private ReplayRuntime() {}

    public static Result run(
            StreamExecutionEnvironment env, Path input, Path outputDir, TresoOptions options)
            throws Exception {
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("input file not found: " + input);
        }
        refuseUtf16(input);
        FlinkSettings.applyJobDefaults(env);
        // Outputs are handed over as they come (ReplayOutputSink): a restarted task would hand
        // them over twice. A failure ends the replay with its cause; run it again.
        org.apache.flink.configuration.Configuration noRestart =
                new org.apache.flink.configuration.Configuration();
        noRestart.setString("restart-strategy.type", "none");
        env.configure(noRestart);
        Preamble preamble = preamble(input, options);
        String origin = input.getFileName().toString();
        DataStream<SourceRecord> raw =
                env.fromSource(
                                FileSource.forRecordStreamFormat(
                                                new TextLineInputFormat(),
                                                new org.apache.flink.core.fs.Path(input.toUri()))
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "replay " + origin)
                        .setParallelism(1)
                        .map(new NumberedLine(origin))
                        .setParallelism(1)
                        .name("number lines")
                        .assignTimestampsAndWatermarks(
                                SkewGuardedWatermarks.strategy(
                                        options.get(TresoOptions.OUT_OF_ORDERNESS),
                                        options.get(TresoOptions.MAX_SKEW)))
                        .setParallelism(1)
                        .name("watermarks");
        InputStreams in =
                InputStreams.decode(
                        raw, DecoderFactory.jsonLines(), options, true, "replay-decode");
        PositionPipeline.Outputs position =
                PositionPipeline.build(in, preamble.controls(), options, preamble.endOfTime());

        ReconciliationPipeline.Outputs reconciliation =
                ReconciliationPipeline.build(
                        in, preamble.controls(), options, preamble.endOfTime());
        ForecastPipeline.Outputs forecast =
                ForecastPipeline.build(in, preamble.controls(), options, preamble.endOfTime());
        DataStream<CashPosition> allPositions =
                position.positions().union(reconciliation.positions());
        DataStream<DailyPosition> daily =
                DailyCloseFunction.of(position.accountCloses(), allPositions, preamble.endOfTime());
        DataStream<CashAlert> variance =
                VariancePipeline.build(in, preamble.controls(), options, preamble.endOfTime());
        // Each output goes to disk in sorted runs as it comes, so memory does not grow with the
        // input; the job hands its records over in this JVM (ReplayOutputSink).
        Path spillDir = Files.createTempDirectory("treso-replay-outputs-");
        Map<String, CashPosition> lastByScope = new LinkedHashMap<>();
        try (OrderedSpill<DailyPosition> dailySpill =
                        spill(spillDir, DailyPosition.getClassSchema(), DAILY_ORDER);
                OrderedSpill<CashAlert> alertSpill =
                        spill(spillDir, CashAlert.getClassSchema(), OutputOrder.ALERTS);
                OrderedSpill<DeadLetter> deadSpill =
                        spill(spillDir, DeadLetter.getClassSchema(), OutputOrder.DEAD_LETTERS);
                OrderedSpill<ReconciliationRecord> recordSpill =
                        spill(
                                spillDir,
                                ReconciliationRecord.getClassSchema(),
                                OutputOrder.RECONCILIATION);
                OrderedSpill<ForecastPoint> pointSpill =
                        spill(spillDir, ForecastPoint.getClassSchema(), OutputOrder.FORECAST);
                // Only the last position of each scope is written: a map of scopes.
                ReplayOutputSink.Receiver<CashPosition> positionsOut =
                        ReplayOutputSink.open(
                                p -> lastByScope.put(p.getScope() + "|" + p.getCurrency(), p));
                ReplayOutputSink.Receiver<DailyPosition> dailyOut =
                        ReplayOutputSink.open(dailySpill::add);
                ReplayOutputSink.Receiver<CashAlert> alertsOut =
                        ReplayOutputSink.open(alertSpill::add);
                ReplayOutputSink.Receiver<DeadLetter> deadOut =
                        ReplayOutputSink.open(deadSpill::add);
                ReplayOutputSink.Receiver<ReconciliationRecord> recordsOut =
                        ReplayOutputSink.open(recordSpill::add);
                ReplayOutputSink.Receiver<ForecastPoint> pointsOut =
                        ReplayOutputSink.open(pointSpill::add)) {
            output(allPositions.union(forecast.vatPositions()), positionsOut, "positions");
            output(daily, dailyOut, "daily positions");
            output(
                    position.alerts().union(reconciliation.alerts(), variance, forecast.alerts()),
                    alertsOut,
                    "alerts");
            output(in.deadLetters().union(position.refused()), deadOut, "dead letters");
            output(reconciliation.records(), recordsOut, "reconciliation records");
            output(forecast.points(), pointsOut, "forecast points");
            JobClient job = env.executeAsync("treso replay " + origin);
            try {
                job.getJobExecutionResult().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            // Closed before reading: what the job's threads handed over is then visible here.
            for (AutoCloseable r :
                    List.of(positionsOut, dailyOut, alertsOut, deadOut, recordsOut, pointsOut)) {
                r.close();
            }

            List<CashPosition> positionList = new ArrayList<>(lastByScope.values());
            positionList.sort(
                    Comparator.comparing(CashPosition::getAsOf)
                            .thenComparing(CashPosition::getScope)
                            .thenComparing(CashPosition::getCurrency));
            Files.createDirectories(outputDir);
            int positionCount;
            try (OutputLines out = new OutputLines(outputDir.resolve(POSITIONS))) {
                for (CashPosition p : positionList) out.accept(p);
                positionCount = out.count;
            }
            // A revised day replaces the earlier close of that scope and date.
            int dailyCount = write(outputDir.resolve(DAILY_POSITIONS), dailySpill, true);
            int alertCount = write(outputDir.resolve(ALERTS), alertSpill, false);
            int deadCount = write(outputDir.resolve(DEAD_LETTERS), deadSpill, false);
            int recordCount = write(outputDir.resolve(RECONCILIATION), recordSpill, false);
            int pointCount = write(outputDir.resolve(FORECAST), pointSpill, false);
            return new Result(
                    outputDir,
                    preamble.lines(),
                    positionCount,
                    dailyCount,
                    alertCount,
                    deadCount,
                    recordCount,
                    pointCount);
        } finally {
            org.apache.flink.util.FileUtils.deleteDirectoryQuietly(spillDir.toFile());
        }
    }

    /** Records each output holds in memory at most before it sorts them to disk. */
    static final int SPILL_RUN = 50_000;

    private static final Comparator<DailyPosition> DAILY_ORDER =
            Comparator.comparing(DailyPosition::getDate)
                    .thenComparing(DailyPosition::getScope)
                    .thenComparing(DailyPosition::getCurrency);

    private static <T extends org.apache.avro.specific.SpecificRecord> OrderedSpill<T> spill(
            Path dir, org.apache.avro.Schema schema, Comparator<T> order) {
        return new OrderedSpill<>(dir, schema, order, SPILL_RUN);
    }

    /** Reads the control commands and the end of event time, through the same gate as the job. */
    /**
     * A UTF-16 file (what some Windows tools save) is refused whole, naming the fix: read as UTF-8,
     * every one of its lines would be a dead letter and nothing else would happen.
     */
    static void refuseUtf16(Path input) throws IOException {
        byte[] head = new byte[512];
        int n;
        try (var in = Files.newInputStream(input)) {
            n = in.readNBytes(head, 0, head.length);
        }
        boolean bom =
                n >= 2
                        && ((head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
                                || (head[0] == (byte) 0xFE && head[1] == (byte) 0xFF));
        int nuls = 0;
        for (int i = 0; i < n; i++) if (head[i] == 0) nuls++;
        // ASCII text in UTF-16 has a NUL every other byte; UTF-8 JSON has none.
        if (bom || (n >= 16 && nuls * 4 >= n)) {
            throw new IllegalArgumentException(
                    input
                            + " is UTF-16 text; replay reads UTF-8 JSON lines. Convert it first,"
                            + " e.g. iconv -f UTF-16 -t UTF-8 "
                            + input.getFileName()
                            + " > events.jsonl");
        }
    }

    public static Preamble preamble(Path input, TresoOptions options) throws IOException {
        String origin = input.getFileName().toString();
        InputGate gate =
                new InputGate(
                        DecoderFactory.jsonLines().create(),
                        options.get(TresoOptions.MAX_SKEW),
                        options.get(TresoOptions.DEDUP_HORIZON),
                        true);
        List<ControlCommand> controls = new ArrayList<>();
        long end = Long.MIN_VALUE;
        int n = 0;
        // Bytes that are not UTF-8 become U+FFFD, as in the job's own reader: that line is then
        // dead-lettered, instead of the whole replay failing on it.
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(input),
                                StandardCharsets.UTF_8
                                        .newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPLACE)
                                        .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            List<SourceRecord> batch = new ArrayList<>(PREAMBLE_BATCH);
            String line;
            boolean more = true;
            while (more) {
                line = reader.readLine();
                more = line != null;
                if (more) {
                    n++;
                    line = withoutBom(line, n);
                    batch.add(
                            new SourceRecord(
                                    origin,
                                    0,
                                    n,
                                    true,
                                    Long.MIN_VALUE,
                                    line.getBytes(StandardCharsets.UTF_8)));
                }
                if (batch.size() < PREAMBLE_BATCH && more) continue;
                // Parsing is most of the preamble and each line parses alone: on every core,
                // before the gate admits them one by one, in order.
                batch.parallelStream().forEach(ReplayRuntime::parseAhead);
                for (SourceRecord r : batch) {
                    var outcome = gate.admit(r);
                    if (outcome.accepted() instanceof ControlCommand c) {
                        controls.add(c); // Its issue time is not data time: it ends no input.
                    } else if (outcome.accepted() != null) {
                        end = Math.max(end, EventType.eventTime(outcome.accepted()).toEpochMilli());
                    }
                }
                batch.clear();
            }
        }
        // The end is where the stream's clock got to, not the latest time admitted: a lone
        // future-dated first record (admitted before the clock could tell) would otherwise keep
        // every timer stepping until its date. A file too short to start the clock keeps the max.
        for (long t : gate.progress().values()) end = t;
        return new Preamble(controls, end, n);
    }

    /** Lines the preamble parses together. */
    private static final int PREAMBLE_BATCH = 4_096;

    /** Parses a line ahead of its decoder; one that fails is parsed again there, for its reason. */
    private static void parseAhead(SourceRecord r) {
        try {
            r.parsed = EventJson.parseLine(new String(r.payload, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            r.parsed = null;
        }
    }

    /** Sends one output to its receiver, at parallelism 1 (records of a subtask keep order). */
    private static <T extends org.apache.avro.specific.SpecificRecord> void output(
            DataStream<T> stream, ReplayOutputSink.Receiver<T> receiver, String name) {
        stream.sinkTo(receiver.sink()).setParallelism(1).name("replay: " + name);
    }

    /** Writes a spill's records in their order, one output line each; returns how many. */
    private static int write(
            Path file,
            OrderedSpill<? extends org.apache.avro.specific.SpecificRecord> spill,
            boolean lastOfEqual)
            throws IOException {
        try (OutputLines out = new OutputLines(file)) {
            spill.drainTo(out, lastOfEqual);
            return out.count;
        }
    }

    /** One output file of JSON lines, counting what it wrote. */
    private static final class OutputLines
            implements OrderedSpill.Sink<org.apache.avro.specific.SpecificRecord>,
                    java.io.Closeable {
        private final BufferedWriter writer;
        int count;

        OutputLines(Path file) throws IOException {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        @Override
        public void accept(org.apache.avro.specific.SpecificRecord r) throws IOException {
            writer.write(EventJson.toOutputLine(r));
            writer.write('\n');
            count++;
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    /** Gives each line its number and its event time, so watermarks can be set before decoding. */
    /** A byte-order mark at the start of a file is no part of its first record. */
    static String withoutBom(String text, long line) {
        return line == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    static final class NumberedLine extends RichMapFunction<String, SourceRecord> {
        private static final long serialVersionUID = 1L;
        private final String origin;
        private long line;

        NumberedLine(String origin) {
            this.origin = origin;
        }

        @Override
        public SourceRecord map(String text) {
            line++;
            text = withoutBom(text, line);
            long timestamp = Long.MIN_VALUE;
            org.apache.avro.specific.SpecificRecord parsed = null;
            try {
                parsed = EventJson.parseLine(text);
                timestamp = EventType.eventTime(parsed).toEpochMilli();
            } catch (RuntimeException e) {
                // Malformed: the decoder dead-letters it with the reason.
            }
            SourceRecord r =
                    new SourceRecord(
                            origin,
                            0,
                            line,
                            true,
                            timestamp,
                            text.getBytes(StandardCharsets.UTF_8));
            r.parsed = parsed; // the decoder, chained after, reads this instead of parsing again
            return r;
        }
    }
}
