package io.treso.cli.kafka;

import io.treso.connectors.replay.EventJson;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.ReplayRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Events written as a replay file and replayed (parallelism 2, default options): the reference a
 * Kafka run is compared with.
 *
 * @param out the replay's outputs ({@link ReplayRuntime#ALERTS} and the others)
 * @param endOfTime where the replay's event time ended, for a bounded Kafka run
 */
public record Replayed(Path events, Path out, long endOfTime) {
    public static Replayed of(List<? extends SpecificRecord> events, Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<String> lines = new ArrayList<>();
        events.forEach(e -> lines.add(EventJson.toLine(e)));
        Files.write(file, lines);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Path out = dir.resolve("replay");
        ReplayRuntime.run(env, file, out, TresoOptions.defaults());
        return new Replayed(
                file, out, ReplayRuntime.preamble(file, TresoOptions.defaults()).endOfTime());
    }
}
