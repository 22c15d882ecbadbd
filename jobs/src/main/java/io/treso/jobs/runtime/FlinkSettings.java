package io.treso.jobs.runtime;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The Flink settings every Treso job runs with, whichever runtime starts it. */
public final class FlinkSettings {
    private FlinkSettings() {}

    /**
     * An embedded run's settings: the job defaults ({@link #jobDefaults}), the state backend, and
     * its RocksDB tuning. A cluster deployment carries the same RocksDB keys in its own config.
     */
    public static Configuration base(String stateBackend) {
        Configuration conf = jobDefaults();
        conf.setString("state.backend.type", stateBackend);
        // Timers in RocksDB with the state: heap timers are written whole and synchronously at
        // every checkpoint, and with one per open order that grew with the book (40 % of the
        // order check's thread at 600k events; all pipelines 10.3k -> 13.2k rec/s in RocksDB).
        conf.setString("state.backend.rocksdb.timer-service.factory", "ROCKSDB");
        // Most reads of a new order, payout or bank line miss: a bloom filter answers those
        // without touching every file (the order check spent its time in RocksDB.get).
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        // Every checkpoint flushes each state's memtable into a small file that is soon compacted
        // again: compressing the first two levels cost CPU for no lasting saving (flush and
        // compaction threads 12.5 s -> 7.7 s of one all-pipelines run). Deeper levels, where
        // state settles, stay compressed.
        conf.setString(
                "state.backend.rocksdb.compression.per.level",
                "NO_COMPRESSION;NO_COMPRESSION;SNAPPY_COMPRESSION");
        conf.setString("execution.runtime-mode", "STREAMING");
        // Embedded runs only (a cluster's TaskManagers set their own): Flink's local default of
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
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.dir", dir);
        return conf;
    }
}
