package io.treso.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The README table comes from the bench's JSON; the CPU figure from the kernel's own fields. */
class BenchTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theTableShowsEachFigureBeforeAndAfterWithItsRatio() throws Exception {
        JsonNode before =
                JSON.readTree(
                        "{\"profile\":\"default\",\"records\":1000,\"store_days\":30,"
                                + "\"all_pipelines\":{\"sustained_rps\":20000},"
                                + "\"cpu_ms_per_store_day\":25.5,"
                                + "\"replay\":{\"stores\":110,\"lines\":272286,\"wall_ms\":26000,"
                                + "\"peak_rss_bytes\":1887436800}}");
        JsonNode after =
                JSON.readTree(
                        "{\"profile\":\"default\",\"records\":1000,\"store_days\":30,"
                                + "\"all_pipelines\":{\"sustained_rps\":50000},"
                                + "\"cpu_ms_per_store_day\":10.0,"
                                + "\"replay\":{\"stores\":110,\"lines\":272286,\"wall_ms\":13000,"
                                + "\"peak_rss_bytes\":943718400}}");
        String table = BenchTable.markdown(before, after);
        assertTrue(
                table.contains("| all pipelines, sustained | 20,000 rec/s | 50,000 rec/s | 2.50 |"),
                table);
        assertTrue(
                table.contains("| CPU per store-day (whole process) | 25.5 ms | 10 ms | 0.39 |"),
                table);
        assertTrue(
                table.contains("| replay peak RSS | 1,800 MB | 900 MB | 0.50 | ≤ 1,024 |"), table);
        assertTrue(table.contains("replay: 110 stores, 272,286 lines"), table);
        // A figure the older bench did not print shows as absent, not as zero.
        assertTrue(table.contains("| ceiling (plain consumers + decode) | – | – | – |"), table);
    }

    @Test
    void theReadmeShowsWhatTheKeptBenchOutputsGive() throws Exception {
        java.nio.file.Path kept = java.nio.file.Path.of("..", "docs", "bench");
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        String table =
                BenchTable.markdown(
                        kept.resolve("default-before.json"), kept.resolve("default-after.json"));
        assertTrue(readme.contains(table), "README's Performance table is not:\n" + table);
        String small = BenchTable.markdown(null, kept.resolve("small-shops-after.json"));
        assertTrue(readme.contains(small), "README's small-shops table is not:\n" + small);
    }

    @Test
    void theReplayPhaseStartsItsJvmAsTheLauncherDoes() throws Exception {
        java.nio.file.Path launcher = java.nio.file.Path.of("..", "treso");
        String script = java.nio.file.Files.readString(launcher);
        assertTrue(
                script.contains("DEFAULT_OPTS=\"" + ReplayProbe.REPLAY_JVM + "\""),
                "the treso script's replay JVM options are ReplayProbe.REPLAY_JVM");
    }

    @Test
    void cpuIsUserPlusSystemTicksEvenWithSpacesInTheCommandName() {
        String stat =
                "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 0 0 20 0 40 0"
                        + " 100 0 0";
        assertEquals(18.00, ProcessCpu.parse(stat), 1e-9);
        assertTrue(ProcessCpu.seconds() > 0, "this JVM has used some CPU");
    }
}
