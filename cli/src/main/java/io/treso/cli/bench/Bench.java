package io.treso.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.cli.embedded.TempDirs;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.connectors.source.SourceRecord;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.ControlCommand;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import io.treso.event.StatementKind;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.wire.AvroWireDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Measures, in one run and on the same data, the ceiling (plain consumers), the position pipeline
 * with RocksDB and with heap state, and the alert latency at half the sustainable rate, with
 * exactly-once and at-least-once sinks.
 */
final class Bench {
    static final String PROBE_ACCOUNT = "BE71096123456769";

    /** The fewest probes a latency figure is made of. */
    static final int MIN_PROBES = 12;

    /** The account of the match-latency probes: it gets no statement. */
    static final String MATCH_ACCOUNT = "BE62510007547061";

    static final long PROBE_THRESHOLD = 1_000_000;

    /** The days every simulated input covers. */
    static final int DAYS = 30;

    private final int events;
    private final int runs;
    private final Duration latencyWindow;
    private final SimulatorConfig.Profile profile;
    private final int replayStores;
    private final int parallelism = 2;
    private final Duration checkpointInterval = Duration.ofSeconds(2);
    private final PrintStream log;
    private Path workDir;
    private String bootstrap;
    private RegistryEndpoint registry;
    private TresoTopics topics;
    private long totalRecords;
    private long storeDays;
    private long endOfTime;
    private List<SpecificRecord> simEvents;
    private volatile boolean stopWatching;
    private int probesSent;
    private volatile long alertsSeen;

    Bench(int events, int runs, PrintStream log) {
        this(events, runs, Duration.ofSeconds(20), SimulatorConfig.Profile.DEFAULT, 110, log);
    }

    /**
     * {@code latencyWindow}: how long each latency job is fed (shorter in the smoke test); {@code
     * replayStores}: the stores of the month the replay phase reads.
     */
    Bench(
            int events,
            int runs,
            Duration latencyWindow,
            SimulatorConfig.Profile profile,
            int replayStores,
            PrintStream log) {
        this.events = events;
        this.runs = runs;
        this.latencyWindow = latencyWindow;
        this.profile = profile;
        this.replayStores = replayStores;
        this.log = log;
    }

    /**
     * One job over the pre-filled topics. {@code endToEndRps}: all records over first record read
     * to last output committed (the old figure); {@code sustainedRps}: the records between 10 % and
     * 90 % of the input over the time the source took to read them, which no start or final commit
     * is part of; {@code commitTailMs}: last record read to last output committed; {@code
     * cpuSeconds}: the whole process's CPU while the job ran, start-up included.
     */
    record Phase(double endToEndRps, double sustainedRps, long commitTailMs, double cpuSeconds) {
        static Phase median(List<Phase> runs) {
            return new Phase(
                    Bench.median(runs.stream().map(Phase::endToEndRps).toList()),
                    Bench.median(runs.stream().map(Phase::sustainedRps).toList()),
                    Math.round(
                            Bench.median(
                                    runs.stream().map(p -> (double) p.commitTailMs()).toList())),
                    Bench.median(runs.stream().map(Phase::cpuSeconds).toList()));
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("end_to_end_rps", Math.round(endToEndRps));
            m.put("sustained_rps", Math.round(sustainedRps));
            m.put("commit_tail_ms", commitTailMs);
            m.put("cpu_seconds", round(cpuSeconds));
            return m;
        }
    }

    /** The replay of a month: medians of wall times, the highest peak RSS. */
    record Replay(
            int stores,
            int lines,
            long wallMs,
            long startupMs,
            long peakRssBytes,
            long startupRss) {
        long workMs() {
            return Math.max(0, wallMs - startupMs);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stores", stores);
            m.put("lines", lines);
            m.put("wall_ms", wallMs);
            m.put("startup_ms", startupMs);
            m.put("wall_less_startup_ms", workMs());
            m.put("peak_rss_bytes", peakRssBytes);
            m.put("startup_peak_rss_bytes", startupRss);
            return m;
        }
    }

    /** Everything measured. */
    record Result(
            int cores,
            String profile,
            long records,
            long storeDays,
            double ceiling,
            Phase rocksdb,
            Phase heap,
            Phase all,
            Replay replay,
            long rocksdbStateBytes,
            long peakHeapBytes,
            Latency exactlyOnce,
            Latency atLeastOnce,
            Latency matchExactlyOnce,
            Latency matchAtLeastOnce) {

        /** CPU seconds the all-pipelines job spends per store-day of input. */
        double cpuPerStoreDay() {
            return all.cpuSeconds() / storeDays;
        }

        /** Stores one core keeps live at this shop size: a day of CPU over a store-day's cost. */
        long storesPerCore() {
            return Math.round(86_400 / cpuPerStoreDay());
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cores", cores);
            m.put("profile", profile);
            m.put("records", records);
            m.put("store_days", storeDays);
            m.put("ceiling_rps", Math.round(ceiling));
            m.put("position_rocksdb", rocksdb.asMap());
            m.put("position_heap", heap.asMap());
            m.put("all_pipelines", all.asMap());
            m.put("position_sustained_over_ceiling", round(rocksdb.sustainedRps() / ceiling));
            m.put("rocksdb_over_heap", round(rocksdb.sustainedRps() / heap.sustainedRps()));
            m.put("all_sustained_over_ceiling", round(all.sustainedRps() / ceiling));
            m.put("cpu_ms_per_store_day", round(cpuPerStoreDay() * 1000));
            m.put("stores_per_core", storesPerCore());
            m.put("replay", replay.asMap());
            m.put("rocksdb_state_bytes", rocksdbStateBytes);
            m.put("peak_heap_bytes", peakHeapBytes);
            m.put("alert_latency_exactly_once_ms", exactlyOnce.asMap());
            m.put("alert_latency_at_least_once_ms", atLeastOnce.asMap());
            m.put("match_latency_exactly_once_ms", matchExactlyOnce.asMap());
            m.put("match_latency_at_least_once_ms", matchAtLeastOnce.asMap());
            return m;
        }

        String ratioLine() {
            return String.format(
                    "position/ceiling=%.2f rocksdb/heap=%.2f all/ceiling=%.2f cpu_ms_per_store_day=%.1f"
                            + " stores_per_core=%d replay_ms=%d replay_rss_mb=%d p99_alert_ms=%d"
                            + " p99_alert_alo_ms=%d p99_match_ms=%d p99_checkpoint_ms=%d",
                    rocksdb.sustainedRps() / ceiling,
                    rocksdb.sustainedRps() / heap.sustainedRps(),
                    all.sustainedRps() / ceiling,
                    cpuPerStoreDay() * 1000,
                    storesPerCore(),
                    replay.wallMs(),
                    replay.peakRssBytes() / (1024 * 1024),
                    exactlyOnce.p99(),
                    atLeastOnce.p99(),
                    matchExactlyOnce.p99(),
                    exactlyOnce.checkpointP99());
        }

        void print(PrintStream out) {
            out.printf(
                    "%nTreso bench (%s shops): %,d input records (events + heartbeats), %,d store-days,"
                            + " %d cores, median of runs%n%n",
                    profile, records, storeDays, cores);
            out.printf(
                    "  %-42s %12s %12s %10s %8s%n",
                    "", "sustained/s", "end-to-end/s", "tail ms", "ratio");
            out.printf(
                    "  %-42s %,12.0f %12s %10s %8s%n",
                    "ceiling (plain consumers + decode)", ceiling, "", "", "1.00");
            printPhase(
                    out,
                    "position, RocksDB, exactly-once",
                    rocksdb,
                    rocksdb.sustainedRps() / ceiling,
                    "of ceiling");
            printPhase(
                    out,
                    "position, heap state, exactly-once",
                    heap,
                    rocksdb.sustainedRps() / heap.sustainedRps(),
                    "RocksDB/heap");
            printPhase(
                    out,
                    "all pipelines together (RocksDB)",
                    all,
                    all.sustainedRps() / ceiling,
                    "of ceiling");
            out.printf(
                    "%n  cost: %.1f ms of CPU per store-day (all pipelines, whole process: %.1f s for %,d"
                            + " store-days); one core serves about %,d stores live%n",
                    cpuPerStoreDay() * 1000, all.cpuSeconds(), storeDays, storesPerCore());
            out.printf(
                    "  replay of a month of %d store%s (%,d lines): %,d ms wall (start-up %,d ms with %d"
                            + " lines, so %,d ms of work), peak RSS %,d MB (start-up %,d MB)%n",
                    replay.stores(),
                    replay.stores() == 1 ? "" : "s",
                    replay.lines(),
                    replay.wallMs(),
                    replay.startupMs(),
                    ReplayProbe.STARTUP_LINES,
                    replay.workMs(),
                    replay.peakRssBytes() / (1024 * 1024),
                    replay.startupRss() / (1024 * 1024));
            out.printf(
                    "%n  alert latency (bank line produced -> LOW_BALANCE readable, read_committed)%n");
            out.printf(
                    "  %-42s p50 %6d ms  p99 %6d ms  max %6d ms  (%d of %d probes; p99 checkpoint %d ms)%n",
                    "exactly-once sinks, checkpoint every 2 s",
                    exactlyOnce.p50(),
                    exactlyOnce.p99(),
                    exactlyOnce.max(),
                    exactlyOnce.count(),
                    exactlyOnce.sent(),
                    exactlyOnce.checkpointP99());
            out.printf(
                    "  %-42s p50 %6d ms  p99 %6d ms  max %6d ms  (%d of %d probes)%n",
                    "at-least-once sinks",
                    atLeastOnce.p50(),
                    atLeastOnce.p99(),
                    atLeastOnce.max(),
                    atLeastOnce.count(),
                    atLeastOnce.sent());
            out.printf(
                    "%n  match latency (bank credit naming a payout produced -> MATCHED readable, read_committed)%n");
            printLatency(out, "exactly-once sinks, checkpoint every 2 s", matchExactlyOnce);
            printLatency(out, "at-least-once sinks", matchAtLeastOnce);
            out.printf(
                    "%n  RocksDB state on disk (peak): %,d bytes;  peak heap: %,d MB%n%n",
                    rocksdbStateBytes, peakHeapBytes / (1024 * 1024));
        }
    }

    private static void printPhase(
            PrintStream out, String what, Phase p, double ratio, String ratioOf) {
        out.printf(
                "  %-42s %,12.0f %,12.0f %,10d %8.2f  %s%n",
                what, p.sustainedRps(), p.endToEndRps(), p.commitTailMs(), ratio, ratioOf);
    }

    private static void printLatency(PrintStream out, String what, Latency l) {
        out.printf(
                "  %-42s p50 %6d ms  p99 %6d ms  max %6d ms  (%d of %d probes)%n",
                what, l.p50(), l.p99(), l.max(), l.count(), l.sent());
    }

    /** What one latency job measured: alerts, and reconciliation decisions. */
    record Probed(Latency alerts, Latency matches) {}

    /** Alert latency figures. */
    record Latency(long p50, long p99, long max, long count, long sent, long checkpointP99) {
        Map<String, Object> asMap() {
            return Map.of(
                    "p50",
                    p50,
                    "p99",
                    p99,
                    "max",
                    max,
                    "probes",
                    count,
                    "probes_sent",
                    sent,
                    "checkpoint_p99",
                    checkpointP99);
        }
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    Result run() throws Exception {
        workDir = Files.createTempDirectory("treso-bench-");
        // The replay first, before the broker and its topics exist: it runs in a JVM of its own,
        // and
        // a user's machine has no idle broker of 600,000 records beside it (with one, the same
        // replay took 28 s instead of 22).
        Replay replay;
        try {
            replay = replay();
        } catch (Exception | Error e) {
            TempDirs.deleteRecursively(workDir);
            throw e;
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.start(0)) {
            bootstrap = kafka.bootstrapServers();
            registry = RegistryEndpoint.of(server.url());
            prefill();
            List<Double> ceilings = new ArrayList<>();
            List<Phase> rocks = new ArrayList<>();
            List<Phase> heaps = new ArrayList<>();
            List<Phase> alls = new ArrayList<>();
            long state = 0;
            // A discarded warm-up of every phase: RocksDB's native library unpacks on first use,
            // and the JIT was still compiling the position job's paths in the first measured run
            // (position 62k, 103k, 130k rec/s in runs 1 to 3 with only an all-pipelines warm-up).
            CeilingReader.run(bootstrap, registry, topics, parallelism);
            pipeline("rocksdb", "-warm", new long[1], KafkaRuntime.Pipelines.POSITION_ONLY);
            pipeline("hashmap", "-warmh", new long[1], KafkaRuntime.Pipelines.POSITION_ONLY);
            pipeline("rocksdb", "-warma", new long[1], KafkaRuntime.Pipelines.ALL);
            log.println("warm-up done");
            for (int r = 1; r <= runs; r++) {
                ceilings.add(CeilingReader.run(bootstrap, registry, topics, parallelism));
                log.printf("run %d: ceiling %,.0f rec/s%n", r, ceilings.get(r - 1));
                long[] peakState = new long[1];
                rocks.add(
                        pipeline(
                                "rocksdb",
                                "-r" + r,
                                peakState,
                                KafkaRuntime.Pipelines.POSITION_ONLY));
                state = Math.max(state, peakState[0]);
                log.printf("run %d: position RocksDB %s%n", r, rocks.get(r - 1));
                heaps.add(
                        pipeline(
                                "hashmap",
                                "-h" + r,
                                new long[1],
                                KafkaRuntime.Pipelines.POSITION_ONLY));
                log.printf("run %d: position heap %s%n", r, heaps.get(r - 1));
                alls.add(pipeline("rocksdb", "-a" + r, new long[1], KafkaRuntime.Pipelines.ALL));
                log.printf("run %d: all pipelines RocksDB %s%n", r, alls.get(r - 1));
            }
            Phase all = Phase.median(alls);
            // The latency job runs every pipeline: half of what all of them sustain together.
            Probed eos = latency(DeliveryGuarantee.EXACTLY_ONCE, all.sustainedRps() / 2);
            Probed alo = latency(DeliveryGuarantee.AT_LEAST_ONCE, all.sustainedRps() / 2);
            long heapPeak = peakHeap();
            return new Result(
                    Runtime.getRuntime().availableProcessors(),
                    profile.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    totalRecords,
                    storeDays,
                    ceilings.stream().mapToDouble(d -> d).max().orElse(0),
                    Phase.median(rocks),
                    Phase.median(heaps),
                    all,
                    replay,
                    state,
                    heapPeak,
                    eos.alerts(),
                    alo.alerts(),
                    eos.matches(),
                    alo.matches());
        } finally {
            TempDirs.deleteRecursively(workDir);
        }
    }

    /**
     * {@code treso replay} of a month of {@code replayStores} stores, in a JVM of its own, and of
     * its first 200 lines for the fixed start-up: medians of the runs, the highest peak RSS.
     */
    private Replay replay() throws Exception {
        Path[] files = ReplayProbe.write(workDir, config(replayStores));
        List<Double> walls = new ArrayList<>();
        List<Double> startups = new ArrayList<>();
        long rss = 0;
        long startupRss = 0;
        int lines = 0;
        for (int r = 1; r <= runs; r++) {
            ReplayProbe.Run startup = ReplayProbe.run(files[1], workDir);
            ReplayProbe.Run month = ReplayProbe.run(files[0], workDir);
            startups.add((double) startup.wallMs());
            walls.add((double) month.wallMs());
            rss = Math.max(rss, month.peakRssBytes());
            startupRss = Math.max(startupRss, startup.peakRssBytes());
            lines = month.lines();
            log.printf("run %d: replay %s, start-up %s%n", r, month, startup);
        }
        return new Replay(
                replayStores,
                lines,
                Math.round(median(walls)),
                Math.round(median(startups)),
                rss,
                startupRss);
    }

    private SimulatorConfig config(int stores) {
        return SimulatorConfig.of(7, DAYS, stores).withProfile(profile);
    }

    private void prefill() throws Exception {
        // Events per store-month, as the simulator makes them (seed 42: 2,520 and 2,376).
        int perStoreMonth = profile == SimulatorConfig.Profile.DEFAULT ? 2520 : 2376;
        int stores = Math.max(3, (int) Math.round(events / (double) perStoreMonth));
        var sim = ShopSimulator.run(config(stores));
        storeDays = (long) stores * DAYS;
        simEvents = new ArrayList<>(sim.events());
        topics = TresoTopics.withSuffix("-bench");
        TopicAdmin.createAll(bootstrap, topics, parallelism);
        long heartbeats;
        try (EventPublisher p = new EventPublisher(bootstrap, registry.client(), topics, "bench")) {
            p.publishAll(simEvents);
            p.flush();
            heartbeats = p.heartbeats();
        }
        totalRecords = simEvents.size() + heartbeats;
        endOfTime =
                simEvents.stream()
                        .filter(e -> !(e instanceof ControlCommand))
                        .mapToLong(e -> EventType.eventTime(e).toEpochMilli())
                        .max()
                        .orElseThrow();
        log.printf(
                "pre-filled %,d events (%d %s stores, %d days) + %,d heartbeats%n",
                simEvents.size(), stores, profile, DAYS, heartbeats);
    }

    private Phase pipeline(
            String backend, String runSuffix, long[] peakState, KafkaRuntime.Pipelines which)
            throws Exception {
        Path rocksDir = workDir.resolve("rocksdb" + runSuffix);
        Configuration conf =
                FlinkSettings.checkpointed(
                        backend,
                        checkpointInterval,
                        workDir.resolve("checkpoints" + runSuffix).toUri().toString());
        conf.setString("state.backend.rocksdb.localdir", rocksDir.toString());
        conf.setString("restart-strategy.type", "none");
        FlinkSettings.scratchIn(conf, workDir.resolve("tmp" + runSuffix));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        TresoTopics runTopics = topics.withOutputSuffix(runSuffix);
        TopicAdmin.createAll(bootstrap, runTopics, parallelism);
        var settings =
                new KafkaRuntime.Settings(
                        bootstrap,
                        registry,
                        runTopics,
                        "bench",
                        runSuffix,
                        true,
                        endOfTime,
                        DeliveryGuarantee.EXACTLY_ONCE);
        var seeds = KafkaRuntime.readControl(bootstrap, registry, topics.of(EventType.CONTROL));
        FirstRecordClock.reset(totalRecords);
        KafkaRuntime.build(
                env,
                settings,
                TresoOptions.defaults(),
                seeds,
                raw ->
                        raw.map(new FirstRecordClock())
                                .setParallelism(raw.getParallelism())
                                .name("clock"),
                which);
        Thread sampler =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                peakState[0] = Math.max(peakState[0], size(rocksDir));
                                try {
                                    Thread.sleep(500);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "rocksdb-size");
        sampler.setDaemon(true);
        sampler.start();
        double cpuBefore = ProcessCpu.seconds();
        env.execute("treso bench " + backend);
        long end = System.currentTimeMillis();
        double cpu = ProcessCpu.seconds() - cpuBefore;
        sampler.interrupt();
        long first = FirstRecordClock.FIRST.get();
        long last = FirstRecordClock.LAST.get();
        long from = FirstRecordClock.AT_10.get();
        long to = FirstRecordClock.AT_90.get();
        double middle = FirstRecordClock.at90(totalRecords) - FirstRecordClock.at10(totalRecords);
        return new Phase(
                totalRecords / ((end - first) / 1000.0),
                middle / (Math.max(1, to - from) / 1000.0),
                end - last,
                cpu);
    }

    /**
     * Publishes at {@code rate} events/s, with a probe bank line every 200 ms, for the window. The
     * debits cross the probe account's threshold (alert latency); each credit names a payout
     * announced just before it, for exactly its net (match latency).
     */
    private Probed latency(DeliveryGuarantee guarantee, double rate) throws Exception {
        String suffix = "-lat-" + guarantee.name().toLowerCase().replace('_', '-');
        TresoTopics t = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, t, parallelism);
        Instant start = Instant.parse("2026-03-16T00:00:00Z");
        try (EventPublisher p =
                new EventPublisher(bootstrap, registry.client(), t, "bench-rules")) {
            simEvents.stream().filter(e -> e instanceof ControlCommand).forEach(p::publish);
            p.publishWithoutHeartbeats(
                    ControlCommand.newBuilder()
                            .setEventId("bench:probe-threshold")
                            .setOccurredAt(start)
                            .setKind("LOW_BALANCE_THRESHOLD")
                            .setScope(PROBE_ACCOUNT)
                            .setVersion(1)
                            .setEffectiveAt(start.minus(Duration.ofDays(30)))
                            .setThresholdMinor(PROBE_THRESHOLD)
                            .setCurrency("EUR")
                            .setParams(Map.of())
                            .build());
        }
        var seeds = KafkaRuntime.readControl(bootstrap, registry, t.of(EventType.CONTROL));
        int restPort = 0;
        JobClient job = null;
        for (int attempt = 1; job == null; attempt++) {
            // The REST port is picked free, then bound by Flink: another process may take it in
            // between. Pick again rather than fail the whole bench.
            restPort = freePort();
            Configuration conf =
                    FlinkSettings.checkpointed(
                            "rocksdb",
                            checkpointInterval,
                            workDir.resolve("checkpoints" + suffix).toUri().toString());
            conf.setString("rest.port", Integer.toString(restPort));
            FlinkSettings.scratchIn(conf, workDir.resolve("tmp" + suffix));
            conf.setString(
                    "state.backend.rocksdb.localdir",
                    workDir.resolve("rocksdb" + suffix).toString());
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            var settings =
                    new KafkaRuntime.Settings(
                            bootstrap,
                            registry,
                            t,
                            "bench",
                            suffix,
                            false,
                            Long.MAX_VALUE,
                            guarantee);
            KafkaRuntime.build(env, settings, TresoOptions.defaults(), seeds, raw -> raw);
            try {
                job = env.executeAsync("treso bench latency " + guarantee);
            } catch (Exception e) {
                if (attempt == 3) throw e;
                log.printf("latency job did not start (%s); trying another port%n", e.getMessage());
            }
        }

        Map<String, Long> sent = new ConcurrentHashMap<>();
        probesSent = 0;
        Histogram histogram = new Histogram(60_000, 3);
        AtomicLong probesSeen = new AtomicLong();
        stopWatching = false;
        alertsSeen = 0;
        Thread watcher =
                new Thread(
                        () -> watchAlerts(t.of(EventType.ALERT), sent, histogram, probesSeen),
                        "alert-watcher");
        watcher.setDaemon(true);
        watcher.start();
        Map<String, Long> credited = new ConcurrentHashMap<>();
        Histogram matches = new Histogram(60_000, 3);
        AtomicLong matchesSeen = new AtomicLong();
        int[] creditsSent = {0};
        Thread matchWatcher =
                new Thread(
                        () ->
                                watchMatches(
                                        t.of(EventType.RECONCILIATION),
                                        credited,
                                        matches,
                                        matchesSeen),
                        "match-watcher");
        matchWatcher.setDaemon(true);
        matchWatcher.start();

        try (EventPublisher p = new EventPublisher(bootstrap, registry.client(), t, "bench")) {
            long balance = 2 * PROBE_THRESHOLD;
            Instant period = start.minus(Duration.ofDays(1));
            p.publish(probeStatement(0, period, period.plus(Duration.ofDays(1)), balance, 0, 0));
            period = start;
            long wallStart = System.nanoTime();
            long duration = latencyWindow.toNanos();
            int next = 0;
            int probe = 0;
            long nextProbe = wallStart;
            // At least MIN_PROBES, however long they take: a percentile of fewer is no figure,
            // and on a loaded machine the publisher gets fewer turns within the window.
            while (System.nanoTime() - wallStart < duration || probe < MIN_PROBES) {
                long now = System.nanoTime();
                long due = (long) ((now - wallStart) / 1e9 * rate);
                while (next < due && next < simEvents.size()) {
                    SpecificRecord e = simEvents.get(next++);
                    if (!(e instanceof ControlCommand)) p.publish(e);
                }
                if (now >= nextProbe) {
                    probe++;
                    long amount =
                            probe % 2 == 1 ? -3 * PROBE_THRESHOLD / 2 : 3 * PROBE_THRESHOLD / 2;
                    Instant end = period.plus(Duration.ofMinutes(1));
                    BankTransaction line =
                            BankTransaction.newBuilder()
                                    .setEventId(PROBE_ACCOUNT + ":P" + probe)
                                    .setBookedAt(period.plusSeconds(10))
                                    .setAccountId(PROBE_ACCOUNT)
                                    .setAmountMinor(amount)
                                    .setCurrency("EUR")
                                    .setStatus(BankEntryStatus.BOOKED)
                                    .setStatementId("PROBE-" + probe)
                                    .build();
                    sent.put(line.getEventId(), System.currentTimeMillis());
                    probesSent++;
                    // A payout and the credit that names it, on an account with no statements:
                    // only the decisive-evidence rule can decide it, when both are in.
                    String payoutId = String.format("po_PROBE%06d", probe);
                    p.publish(probePayout(payoutId, period, 10_000 + probe));
                    BankTransaction credit =
                            BankTransaction.newBuilder(line)
                                    .setEventId(MATCH_ACCOUNT + ":M" + probe)
                                    .setAccountId(MATCH_ACCOUNT)
                                    .setAmountMinor(10_000 + probe)
                                    .setReference("PROBE " + payoutId)
                                    .setStatementId(null)
                                    .build();
                    credited.put(credit.getEventId(), System.currentTimeMillis());
                    creditsSent[0]++;
                    p.publish(credit);
                    p.publish(line);
                    p.publish(probeStatement(probe, period, end, balance, amount, 1));
                    p.flush();
                    balance += amount;
                    period = end;
                    nextProbe += 200_000_000L;
                }
                Thread.sleep(1);
            }
        }
        // Every probe's alert, or a generous bound: an exactly-once alert waits for a checkpoint.
        long waitUntil = System.currentTimeMillis() + 30_000;
        while ((probesSeen.get() < probesSent || matchesSeen.get() < creditsSent[0])
                && System.currentTimeMillis() < waitUntil) {
            Thread.sleep(50);
        }
        if (!credited.isEmpty()) {
            log.printf(
                    "latency %s: probe credits never MATCHED: %s%n", guarantee, credited.keySet());
        }
        Thread.sleep(checkpointInterval.toMillis()); // one more checkpoint for the REST figures
        long checkpointP99 = checkpointP99(restPort, job.getJobID().toHexString());
        log.printf(
                "latency %s: job %s, %d probe alerts of %d probes sent, %d alerts in all%n",
                guarantee,
                job.getJobStatus().get(),
                histogram.getTotalCount(),
                probesSent,
                alertsSeen);
        job.cancel().get();
        stopWatching = true;
        watcher.join(5_000);
        matchWatcher.join(5_000);
        return new Probed(
                new Latency(
                        histogram.getValueAtPercentile(50),
                        histogram.getValueAtPercentile(99),
                        histogram.getMaxValue(),
                        histogram.getTotalCount(),
                        probesSent,
                        checkpointP99),
                new Latency(
                        matches.getValueAtPercentile(50),
                        matches.getValueAtPercentile(99),
                        matches.getMaxValue(),
                        matches.getTotalCount(),
                        creditsSent[0],
                        checkpointP99));
    }

    /** A PAID payout to the match probe account, for exactly {@code net}, that a credit names. */
    private static PayoutEvent probePayout(String payoutId, Instant at, long net) {
        return PayoutEvent.newBuilder()
                .setEventId("stripe:" + payoutId + ":PAID")
                .setOccurredAt(at)
                .setPsp(Psp.STRIPE)
                .setStoreId("bench-probe")
                .setPayoutId(payoutId)
                .setStatus(PayoutStatus.PAID)
                .setGrossMinor(net)
                .setFeeMinor(0)
                .setRefundMinor(0)
                .setAdjustmentMinor(0)
                .setNetMinor(net)
                .setCurrency("EUR")
                .setExpectedArrivalDate(at.atZone(java.time.ZoneOffset.UTC).toLocalDate())
                .setDestinationAccountId(MATCH_ACCOUNT)
                .setOrderIds(List.of())
                .setDescriptor("PROBE " + payoutId)
                .setLines(List.of())
                .build();
    }

    private void watchMatches(
            String topic, Map<String, Long> credited, Histogram histogram, AtomicLong seen) {
        follow(
                topic,
                ReconciliationRecord.class,
                (m, now) -> {
                    if (m.getStatus() == ReconciliationStatus.MATCHED) {
                        observed(m.getBankEventIds(), credited, now, histogram, seen);
                        return;
                    }
                    for (String id : m.getBankEventIds()) {
                        if (credited.containsKey(id)) {
                            log.printf(
                                    "probe credit %s: %s by %s%n", id, m.getStatus(), m.getRule());
                        }
                    }
                });
    }

    /** Reads {@code topic} until the bench stops watching, with each record's arrival time. */
    private <T extends org.apache.avro.specific.SpecificRecord> void follow(
            String topic, Class<T> type, java.util.function.BiConsumer<T, Long> onRecord) {
        AvroWireDecoder<T> decoder = new AvroWireDecoder<>(registry.client(), type);
        TopicReader.follow(
                bootstrap,
                topic,
                20,
                () -> stopWatching,
                r -> {
                    long now = System.currentTimeMillis();
                    onRecord.accept(decoder.decode(r.value()), now);
                });
    }

    /** Records how long each probe among {@code ids} took, from its send time to {@code now}. */
    private static void observed(
            Iterable<String> ids,
            Map<String, Long> sent,
            long now,
            Histogram histogram,
            AtomicLong seen) {
        for (String id : ids) {
            Long at = sent.remove(id);
            if (at != null) {
                histogram.recordValue(Math.min(60_000, Math.max(0, now - at)));
                seen.incrementAndGet();
            }
        }
    }

    private static BankStatement probeStatement(
            int seq, Instant from, Instant to, long opening, long sum, int count) {
        return BankStatement.newBuilder()
                .setEventId(PROBE_ACCOUNT + ":PROBE-" + seq)
                .setAccountId(PROBE_ACCOUNT)
                .setKind(StatementKind.END_OF_DAY)
                .setStatementId("PROBE-" + seq)
                .setSequence(seq + 1)
                .setPeriodStart(from)
                .setPeriodEnd(to)
                .setCurrency("EUR")
                .setOpeningBalanceMinor(opening)
                .setClosingBalanceMinor(opening + sum)
                .setEntryCount(count)
                .setEntrySumMinor(sum)
                .build();
    }

    private void watchAlerts(
            String topic, Map<String, Long> sent, Histogram histogram, AtomicLong seen) {
        follow(
                topic,
                CashAlert.class,
                (a, now) -> {
                    alertsSeen++;
                    if (a.getScope().equals(PROBE_ACCOUNT)) {
                        observed(a.getEvidenceEventIds(), sent, now, histogram, seen);
                    }
                });
    }

    private static long checkpointP99(int restPort, String jobId) {
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://localhost:"
                                                                    + restPort
                                                                    + "/jobs/"
                                                                    + jobId
                                                                    + "/checkpoints"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            JsonNode n = new ObjectMapper().readTree(r.body());
            return n.path("summary").path("end_to_end_duration").path("p99").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long size(Path dir) {
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * The source's progress, counted as records leave it (every subtask runs in this JVM): when the
     * first, the 10 %, the 90 % and the last record were read, so start-up and the final commit are
     * apart from the sustained rate.
     */
    static final class FirstRecordClock extends RichMapFunction<SourceRecord, SourceRecord> {
        static final AtomicLong FIRST = new AtomicLong();
        static final AtomicLong LAST = new AtomicLong();
        static final AtomicLong AT_10 = new AtomicLong();
        static final AtomicLong AT_90 = new AtomicLong();
        private static final AtomicLong READ = new AtomicLong();
        private static volatile long mark10;
        private static volatile long mark90;

        static void reset(long total) {
            FIRST.set(0);
            LAST.set(0);
            AT_10.set(0);
            AT_90.set(0);
            READ.set(0);
            mark10 = at10(total);
            mark90 = at90(total);
        }

        static long at10(long total) {
            return Math.max(1, total / 10);
        }

        static long at90(long total) {
            return Math.max(at10(total) + 1, total * 9 / 10);
        }

        @Override
        public SourceRecord map(SourceRecord r) {
            long now = System.currentTimeMillis();
            if (FIRST.get() == 0) FIRST.compareAndSet(0, now);
            LAST.set(now);
            long n = READ.incrementAndGet();
            if (n == mark10) AT_10.set(now);
            if (n == mark90) AT_90.set(now);
            return r;
        }
    }
}
