package io.treso.jobs.testing;

import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.ReplayRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A simulation replayed the way the quality tests judge it: written as a replay file, run with
 * RocksDB at parallelism 2 on the shared MiniCluster, outputs in {@code dir/out}.
 */
public final class SimulatedReplay {
    private SimulatedReplay() {}

    /** Replays {@code sim} in {@code dir}; returns the seconds it took. */
    public static double run(ShopSimulator.Output sim, Path dir) throws Exception {
        Path input = dir.resolve("events.jsonl");
        List<String> lines = sim.events().stream().map(EventJson::toLine).toList();
        Files.write(input, lines);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.base("rocksdb"));
        env.setParallelism(2);
        long t0 = System.nanoTime();
        ReplayRuntime.run(env, input, dir.resolve("out"), TresoOptions.defaults());
        return (System.nanoTime() - t0) / 1e9;
    }
}
