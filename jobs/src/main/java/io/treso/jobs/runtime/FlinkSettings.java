package io.treso.jobs.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The Flink settings every Treso job runs with, whichever runtime starts it. */
public final class FlinkSettings {
    private FlinkSettings() {}

    /** The classpath resource holding the Flink configuration block every runtime carries. */
    public static final String CLUSTER_BLOCK = "treso-flink.yaml";

    /**
     * The Flink configuration block a cluster needs (RocksDB, its tuning, checkpoint mode), read
     * from {@value #CLUSTER_BLOCK}: the file docker/ and helm/ ship, so the embedded runtime owns
     * no tuning that a cluster lacks. Flat {@code key: value} lines; each line's why is in the
     * file.
     */
    public static Map<String, String> clusterBlock() {
        try (InputStream in =
                FlinkSettings.class.getClassLoader().getResourceAsStream(CLUSTER_BLOCK)) {
            if (in == null) {
                throw new IllegalStateException(CLUSTER_BLOCK + " is not on the classpath");
            }
            return parseBlock(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flat YAML: {@code key: value} per line, comments and blank lines skipped. */
    static Map<String, String> parseBlock(String text) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int colon = l.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException(CLUSTER_BLOCK + ": not a key: value line: " + l);
            }
            if (keys.put(l.substring(0, colon), l.substring(colon + 2).strip()) != null) {
                throw new IllegalArgumentException(
                        CLUSTER_BLOCK + ": key given twice: " + l.substring(0, colon));
            }
        }
        return keys;
    }

    /**
     * An embedded run's settings: the job defaults ({@link #jobDefaults}), the cluster block, and
     * {@code stateBackend} ({@code rocksdb}, or {@code hashmap} for quick replays).
     */
    public static Configuration base(String stateBackend) {
        Configuration conf = jobDefaults();
        clusterBlock().forEach(conf::setString);
        conf.setString("state.backend.type", stateBackend);
        conf.setString("execution.runtime-mode", "STREAMING");
        // Embedded runs only (a cluster's TaskManagers size their own): Flink's local default of
        // 128 MB of managed memory for all slots gave a dozen RocksDB instances tiny write
        // buffers, and flushing and compacting the small files took 15 % of the CPU.
        conf.setString("taskmanager.memory.managed.size", EMBEDDED_MANAGED_MEMORY);
        return conf;
    }

    /**
     * Applies the job defaults whoever made the environment: {@code pipeline.generic-types: false},
     * and object reuse between chained operators (no function keeps or mutates its input; the
     * profile showed a third of the source threads copying records).
     */
    public static void applyJobDefaults(
            org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
        env.configure(jobDefaults());
    }

    /**
     * Avro for records, compact or POJO serializers for state, never Kryo: {@code
     * pipeline.generic-types: false} fails fast instead of silently falling back.
     */
    private static Configuration jobDefaults() {
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.object-reuse", "true");
        return conf;
    }

    /**
     * For live jobs: network buffers leave at most 25 ms after their first record, not Flink's 100
     * ms, since an alert crosses four exchanges. Replays keep the default: 10 ms cost them 13 % of
     * their throughput, and nobody waits on a replay's alert.
     */
    public static void liveNetworkBuffers(
            org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.setString("execution.buffer-timeout.interval", LIVE_BUFFER_TIMEOUT_MS + " ms");
        env.configure(conf);
    }

    static final int LIVE_BUFFER_TIMEOUT_MS = 25;

    /**
     * An embedded run's scratch (Flink's extracted RPC jar, the MiniCluster's working directory,
     * blobs, REST uploads) inside {@code dir}, which the caller deletes when the run ends: left in
     * the system temp directory, every run leaves 21 MB behind.
     */
    public static Configuration scratchIn(Configuration conf, java.nio.file.Path dir) {
        conf.setString("io.tmp.dirs", dir.resolve("flink-tmp").toString());
        conf.setString("blob.storage.directory", dir.resolve("flink-blobs").toString());
        conf.setString("web.upload.dir", dir.resolve("flink-uploads").toString());
        return conf;
    }

    static final String EMBEDDED_MANAGED_MEMORY = "512m";

    /** Exactly-once checkpoints at {@code interval}, incremental on RocksDB. */
    public static Configuration checkpointed(String stateBackend, Duration interval, String dir) {
        Configuration conf = base(stateBackend);
        conf.setString("execution.checkpointing.interval", interval.toMillis() + " ms");
        conf.setString("execution.checkpointing.dir", dir);
        return conf;
    }
}
