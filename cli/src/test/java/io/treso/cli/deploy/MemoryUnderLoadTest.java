package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.cli.embedded.TempDirs;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Memory under load, outside the suite ({@code -Dtreso.memory=true}, about 15 minutes): the job
 * with every pipeline on one TaskManager process (1400 MB, two slots, RocksDB with managed memory),
 * fed a month of the bench's default business (238 stores, about 600k events) three times, one job
 * after the other on the same TaskManager ({@code -Dtreso.memory.stores=238,1190} for another
 * sequence: 1190 stores is 5x, about 3M events, about an hour on two cores). Sampled every second:
 * the TaskManager's resident memory (/proc), its heap, and RocksDB's memory from RocksDB's own
 * metrics (the slots' shared block cache, which holds the memtables and index blocks too when
 * managed memory bounds RocksDB). Prints one line per run, also to target/memory-under-load.txt.
 */
@EnabledIfSystemProperty(named = "treso.memory", matches = "true")
class MemoryUnderLoadTest {
    private static final Pattern VALUE =
            Pattern.compile("\\{\"id\":\"([^\"]+)\",\"value\":\"([0-9.E-]+)\"}");

    @Test
    void rocksDbStaysWithinManagedMemoryAtOneAndFiveTimesTheBenchSize() throws Exception {
        Path dir = Files.createTempDirectory("treso-memory-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            Map<String, String> flink = new LinkedHashMap<>(FlinkSettings.clusterBlock());
            flink.put("execution.checkpointing.dir", dir.resolve("cp").toUri().toString());
            flink.put("execution.checkpointing.interval", "10 s");
            flink.put("state.backend.rocksdb.metrics.block-cache-usage", "true");
            flink.put("state.backend.rocksdb.metrics.block-cache-capacity", "true");
            flink.put("state.backend.rocksdb.metrics.cur-size-all-mem-tables", "true");
            try (StandaloneFlinkCluster cluster =
                            StandaloneFlinkCluster.launch(dir.resolve("flink"), flink, 1);
                    var client = cluster.client()) {
                cluster.awaitReady();
                long pid = cluster.pid("tm-0");
                List<Run> runs = new ArrayList<>();
                String[] sizes =
                        System.getProperty("treso.memory.stores", "238,238,238").split(",");
                for (int i = 0; i < sizes.length; i++) {
                    int[] run = {Integer.parseInt(sizes[i].trim()), i + 1};
                    String suffix = "-mem-" + run[1];
                    TresoTopics topics = TresoTopics.withSuffix(suffix);
                    TopicAdmin.createAll(kafka.bootstrapServers(), topics, 2);
                    long events = simulateAndPublish(dir, run[0], kafka, registry, suffix);
                    List<String> args =
                            List.of(
                                    "--set",
                                            "treso.kafka.bootstrap-servers="
                                                    + kafka.bootstrapServers(),
                                    "--set", "treso.registry.url=" + registry.url(),
                                    "--set", "treso.topics.suffix=" + suffix,
                                    "--set", "treso.job.name=memory",
                                    "--set", "treso.job.checkpoint-interval=PT10S");
                    long start = System.nanoTime();
                    JobID job = cluster.submit(ClusterDeployTest.jobJar(), 2, null, args);
                    Sampler sampler = new Sampler(cluster, pid, job);
                    sampler.start();
                    ClusterDeployTest.awaitCaughtUp(
                            kafka.bootstrapServers(),
                            "treso-memory" + suffix,
                            topics,
                            client,
                            job,
                            Duration.ofMinutes(120));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    client.cancel(job).get();
                    sampler.interrupt();
                    sampler.join();
                    Thread.sleep(5_000);
                    Run r =
                            new Run(
                                    run[0],
                                    events,
                                    seconds,
                                    sampler.peakRss.get(),
                                    sampler.peakHeap.get(),
                                    sampler.heapMax,
                                    sampler.peakRocks.get(),
                                    sampler.rocksCapacity,
                                    sampler.managed,
                                    rss(pid));
                    runs.add(r);
                    String line =
                            "memory: "
                                    + r
                                    + "; allocator "
                                    + System.getProperty("treso.cluster.preload", "glibc malloc")
                                    + "; "
                                    + sampler.failedSamples.get()
                                    + " samples failed";
                    System.out.println(line);
                    // Kept as it comes: a long run cut short still leaves its finished runs.
                    Files.writeString(
                            Path.of("target", "memory-under-load.txt"),
                            line + "\n",
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                }
                for (Run r : runs) {
                    assertTrue(r.peakRocks() > 0, "RocksDB's metrics were read: " + r);
                    assertTrue(
                            r.peakRocks() <= r.managed(),
                            "RocksDB stays within the TaskManager's managed memory: " + r);
                }
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    /** One run's figures, in bytes. */
    record Run(
            int stores,
            long events,
            double seconds,
            long peakRss,
            long peakHeap,
            long heapMax,
            long peakRocks,
            long rocksCapacity,
            long managed,
            long rssAfter) {
        @Override
        public String toString() {
            return String.format(
                    "%d stores, %,d events in %.0f s: TaskManager RSS peak %d MB (%d MB after the"
                            + " job), heap peak %d of %d MB, RocksDB peak %d MB (cache capacity %d"
                            + " MB, managed memory %d MB)",
                    stores,
                    events,
                    seconds,
                    peakRss >> 20,
                    rssAfter >> 20,
                    peakHeap >> 20,
                    heapMax >> 20,
                    peakRocks >> 20,
                    rocksCapacity >> 20,
                    managed >> 20);
        }
    }

    /**
     * A month of {@code stores} simulated in a JVM of its own (it holds every event), published.
     */
    private static long simulateAndPublish(
            Path dir,
            int stores,
            EmbeddedKafka kafka,
            EmbeddedSchemaRegistry registry,
            String suffix)
            throws Exception {
        Path events = dir.resolve("events-" + stores + ".jsonl");
        if (!Files.exists(events)) {
            Process p =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx12g",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    TresoCli.class.getName(),
                                    "simulate",
                                    "--days",
                                    "30",
                                    "--seed",
                                    "7",
                                    "--stores",
                                    Integer.toString(stores),
                                    "--output",
                                    events.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("simulate-" + stores + ".out").toFile())
                            .start();
            assertTrue(p.waitFor(20, TimeUnit.MINUTES), "simulate did not finish");
            assertEquals(0, p.exitValue(), "simulate --stores " + stores);
        }
        int code =
                TresoCli.execute(
                        new String[] {
                            "publish",
                            "--input",
                            events.toString(),
                            "--kafka",
                            kafka.bootstrapServers(),
                            "--registry",
                            registry.url(),
                            "--topic-suffix",
                            suffix
                        },
                        new java.io.PrintWriter(java.io.Writer.nullWriter()),
                        new java.io.PrintWriter(System.err, true));
        assertEquals(0, code, "publish");
        try (var lines = Files.lines(events)) {
            return lines.count();
        }
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) << 10;
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }

    /** Samples the TaskManager and the job's RocksDB metrics every second. */
    private static final class Sampler extends Thread {
        final StandaloneFlinkCluster cluster;
        final long pid;
        final JobID job;
        final AtomicLong peakRss = new AtomicLong();
        final AtomicLong peakHeap = new AtomicLong();
        final AtomicLong peakRocks = new AtomicLong();
        final AtomicLong failedSamples = new AtomicLong();
        volatile long heapMax;
        volatile long managed;
        volatile long rocksCapacity;

        Sampler(StandaloneFlinkCluster cluster, long pid, JobID job) {
            super("memory-sampler");
            setDaemon(true);
            this.cluster = cluster;
            this.pid = pid;
            this.job = job;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try {
                    sample();
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // The job may be starting or ending; the next sample will do.
                    failedSamples.incrementAndGet();
                }
            }
        }

        private void sample() throws Exception {
            peakRss.accumulateAndGet(rss(pid), Math::max);
            Map<String, Double> tm =
                    values(
                            cluster.rest(
                                    "/taskmanagers/tm-0/metrics?get=Status.JVM.Memory.Heap.Used,"
                                            + "Status.JVM.Memory.Heap.Max,"
                                            + "Status.Flink.Memory.Managed.Total"));
            peakHeap.accumulateAndGet(
                    tm.getOrDefault("Status.JVM.Memory.Heap.Used", 0.0).longValue(), Math::max);
            heapMax = tm.getOrDefault("Status.JVM.Memory.Heap.Max", 0.0).longValue();
            managed = tm.getOrDefault("Status.Flink.Memory.Managed.Total", 0.0).longValue();
            // Each slot's RocksDB instances share one cache: its usage is what every column
            // family reports, so take the largest per subtask and add the subtasks up.
            Map<String, Long> usage = new LinkedHashMap<>();
            Map<String, Long> capacity = new LinkedHashMap<>();
            Matcher v =
                    Pattern.compile("\"id\":\"([0-9a-f]{32})\"")
                            .matcher(cluster.rest("/jobs/" + job));
            List<String> vertices = new ArrayList<>();
            while (v.find()) if (!vertices.contains(v.group(1))) vertices.add(v.group(1));
            for (String vertex : vertices) {
                String base = "/jobs/" + job + "/vertices/" + vertex + "/metrics";
                Matcher ids = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(cluster.rest(base));
                List<String> wanted = new ArrayList<>();
                while (ids.find()) {
                    String id = ids.group(1);
                    // Flink names them <subtask>.<operator>.<state>.rocksdb_block-cache-usage.
                    if (id.endsWith("rocksdb_block-cache-usage")
                            || id.endsWith("rocksdb_block-cache-capacity")) {
                        wanted.add(id);
                    }
                }
                for (int from = 0; from < wanted.size(); from += 40) {
                    List<String> part = wanted.subList(from, Math.min(wanted.size(), from + 40));
                    // Operator names hold spaces and arrows: the ids must be encoded.
                    String get = URLEncoder.encode(String.join(",", part), StandardCharsets.UTF_8);
                    for (var e : values(cluster.rest(base + "?get=" + get)).entrySet()) {
                        String subtask = e.getKey().substring(0, e.getKey().indexOf('.'));
                        Map<String, Long> into = e.getKey().endsWith("usage") ? usage : capacity;
                        into.merge(subtask, e.getValue().longValue(), Math::max);
                    }
                }
            }
            peakRocks.accumulateAndGet(
                    usage.values().stream().mapToLong(Long::longValue).sum(), Math::max);
            long cap = capacity.values().stream().mapToLong(Long::longValue).sum();
            if (cap > 0) rocksCapacity = cap;
        }

        private static Map<String, Double> values(String json) {
            Map<String, Double> out = new LinkedHashMap<>();
            Matcher m = VALUE.matcher(json);
            while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
            return out;
        }
    }
}
