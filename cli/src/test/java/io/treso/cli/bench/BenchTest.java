package io.treso.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bench end to end on a small input: every phase runs on the real embedded stack, every latency
 * probe comes back as an alert, and the table and the ratio line come out. Figures are not judged
 * here (they live in the README), only that each was measured.
 */
class BenchTest {
    @Test
    void everyPhaseMeasuresAndTheRatioLineComesOut() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Bench.Result r =
                new Bench(
                                12_000,
                                1,
                                Duration.ofSeconds(4),
                                SimulatorConfig.Profile.DEFAULT,
                                1,
                                new PrintStream(progress, true, StandardCharsets.UTF_8))
                        .run();
        assertTrue(r.records() >= 12_000, "events and heartbeats pre-filled: " + r.records());
        assertTrue(r.ceiling() > 0, "" + r);
        for (Bench.Phase p : new Bench.Phase[] {r.rocksdb(), r.heap(), r.all()}) {
            assertTrue(p.sustainedRps() > 0 && p.endToEndRps() > 0, "" + p);
            assertTrue(p.commitTailMs() >= 0, "the commit tail is after the last read: " + p);
            assertTrue(p.cpuSeconds() > 0, "CPU read from /proc: " + p);
        }
        assertEquals(5 * Bench.DAYS, r.storeDays(), "5 stores of 12,000 events, 30 days");
        assertTrue(r.storesPerCore() > 0, "" + r.storesPerCore());
        Bench.Replay replay = r.replay();
        assertTrue(replay.lines() > ReplayProbe.STARTUP_LINES, "" + replay);
        assertTrue(
                replay.wallMs() > 0 && replay.startupMs() > 0 && replay.peakRssBytes() > 0,
                "replay timed and its RSS sampled in its own JVM: " + replay);
        assertTrue(r.rocksdbStateBytes() > 0, "RocksDB state sampled on disk");
        for (Bench.Latency l : new Bench.Latency[] {r.exactlyOnce(), r.atLeastOnce()}) {
            assertTrue(l.sent() >= 10, "probes sent: " + l);
            assertEquals(l.sent(), l.count(), "every probe line raised its LOW_BALANCE: " + l);
            assertTrue(0 < l.p50() && l.p50() <= l.p99() && l.p99() <= l.max(), "" + l);
        }
        assertTrue(r.exactlyOnce().checkpointP99() > 0, "checkpoint p99 read from the REST API");
        for (Bench.Latency l : new Bench.Latency[] {r.matchExactlyOnce(), r.matchAtLeastOnce()}) {
            assertTrue(l.sent() >= 5, "credits naming a payout sent: " + l);
            assertEquals(
                    l.sent(),
                    l.count(),
                    "every probe credit was MATCHED: "
                            + l
                            + "\n"
                            + progress.toString(StandardCharsets.UTF_8));
            assertTrue(0 < l.p50() && l.p50() <= l.p99() && l.p99() <= l.max(), "" + l);
        }

        ByteArrayOutputStream table = new ByteArrayOutputStream();
        r.print(new PrintStream(table, true, StandardCharsets.UTF_8));
        String printed = table.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ceiling (plain consumers + decode)"), printed);
        assertTrue(printed.contains("all pipelines together"), printed);
        assertTrue(printed.contains("CPU per store-day"), printed);
        assertTrue(printed.contains("replay of a month of 1 store ("), printed);
        assertTrue(
                r.ratioLine()
                        .matches(
                                "position/ceiling=\\d+\\.\\d\\d rocksdb/heap=\\d+\\.\\d\\d"
                                        + " all/ceiling=\\d+\\.\\d\\d cpu_ms_per_store_day=\\d+\\.\\d"
                                        + " stores_per_core=\\d+ replay_ms=\\d+ replay_rss_mb=\\d+"
                                        + " p99_alert_ms=\\d+"
                                        + " p99_alert_alo_ms=\\d+ p99_match_ms=\\d+"
                                        + " p99_checkpoint_ms=\\d+"),
                r.ratioLine());
    }
}
