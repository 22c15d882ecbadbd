package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.input.InputGate;
import io.treso.jobs.testing.SharedMiniCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay file with bytes a user's tools produce: a byte-order mark, a line that is not UTF-8, a 3
 * MB line and a record with a 10,000-character field. Each bad line is dead-lettered with its
 * reason; the replay itself never fails, and the good lines around them are booked.
 */
class ReplayBadBytesTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    @TempDir Path dir;

    @Test
    void badBytesAreDeadLetteredNeverFatal() throws Exception {
        var sim = ShopSimulator.run(SimulatorConfig.of(3, 8, 3));
        List<String> lines = sim.events().stream().map(EventJson::toLine).toList();
        String good = lines.get(lines.size() - 1);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}); // BOM before line 1
        for (String l : lines) {
            file.write(l.getBytes(StandardCharsets.UTF_8));
            file.write('\n');
        }
        file.write(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'}); // invalid UTF-8
        file.write(("{\"type\":\"fx\",\"pad\":\"" + "x".repeat(3_000_000) + "\"}\n").getBytes());
        file.write(
                good.replaceFirst("\"event_id\":\"", "\"event_id\":\"" + "y".repeat(10_000))
                        .getBytes(StandardCharsets.UTF_8));
        file.write('\n');
        Path input = dir.resolve("events.jsonl");
        Files.write(input, file.toByteArray());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        var result = ReplayRuntime.run(env, input, dir.resolve("out"), TresoOptions.defaults());

        Map<Long, String> reasons = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        int biggest = 0;
        for (String l :
                Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.DEAD_LETTERS))) {
            JsonNode d = json.readTree(l);
            reasons.put(d.get("source_line").asLong(), d.get("reason").asText());
            biggest =
                    Math.max(
                            biggest,
                            Base64.getDecoder().decode(d.get("original_bytes").asText()).length);
        }
        long n = lines.size();
        System.out.printf(
                "replay of bad bytes: %d lines, dead letters %s%n", result.lines(), reasons);
        assertTrue(!reasons.containsKey(1L), "the first line, behind its BOM, is a record");
        assertEquals("INVALID_RECORD", reasons.get(n + 1), "not UTF-8");
        assertEquals("INVALID_RECORD", reasons.get(n + 2), "3 MB of nothing");
        assertEquals("CONTRACT_VIOLATION", reasons.get(n + 3), "a 10,000-character id");
        assertTrue(biggest <= InputGate.MAX_KEPT_BYTES, "dead letters keep a bounded prefix");
    }

    /**
     * A 2027 typo as the very first record: before, it set the clock, dead-lettered nearly every
     * valid event after it as beyond the dedup horizon and kept the timers running for a year.
     */
    @Test
    void aFutureDatedFirstRecordPoisonsNothing() throws Exception {
        var sim = ShopSimulator.run(SimulatorConfig.of(5, 8, 2));
        List<String> lines = sim.events().stream().map(EventJson::toLine).toList();
        Path clean = dir.resolve("clean.jsonl");
        Files.write(clean, lines);
        var typo =
                io.treso.event.FxRate.newBuilder()
                        .setEventId("fx-typo")
                        .setOccurredAt(java.time.Instant.parse("2027-03-16T10:00:00Z"))
                        .setCurrency("USD")
                        .setBaseCurrency("EUR")
                        .setRate("0.92")
                        .build();
        List<String> poisoned = new java.util.ArrayList<>();
        poisoned.add(EventJson.toLine(typo));
        poisoned.addAll(lines);
        Path input = dir.resolve("typo.jsonl");
        Files.write(input, poisoned);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ReplayRuntime.run(env, clean, dir.resolve("clean-out"), TresoOptions.defaults());
        ReplayRuntime.run(env, input, dir.resolve("typo-out"), TresoOptions.defaults());
        List<String> dead =
                Files.readAllLines(dir.resolve("typo-out").resolve(ReplayRuntime.DEAD_LETTERS));
        List<String> cleanDead =
                Files.readAllLines(dir.resolve("clean-out").resolve(ReplayRuntime.DEAD_LETTERS));
        System.out.printf(
                "a 2027 first record among %d events: %d dead letters (clean run: %d)%n",
                lines.size(), dead.size(), cleanDead.size());
        assertEquals(cleanDead.size(), dead.size(), dead.toString());
        for (String out : List.of(ReplayRuntime.POSITIONS, ReplayRuntime.ALERTS)) {
            var before =
                    new java.util.TreeSet<>(
                            Files.readAllLines(dir.resolve("clean-out").resolve(out)));
            var after =
                    new java.util.TreeSet<>(
                            Files.readAllLines(dir.resolve("typo-out").resolve(out)));
            // The typo itself was admitted (among a stream's first records nothing can tell it
            // yet): its own 2027 position is the one output it changes.
            after.removeIf(l -> l.contains("\"as_of\":\"2027-"));
            before.removeIf(l -> l.startsWith("{\"scope\":\"base:"));
            after.removeIf(l -> l.startsWith("{\"scope\":\"base:"));
            var lost = new java.util.TreeSet<>(before);
            lost.removeAll(after);
            var added = new java.util.TreeSet<>(after);
            added.removeAll(before);
            assertEquals(
                    List.of(),
                    List.copyOf(lost),
                    out
                            + ": the valid records give what they give without the typo; added "
                            + added);
            assertEquals(List.of(), List.copyOf(added), out);
        }
    }

    /**
     * A bank line repeated under its id with another amount: before, the copy was dropped as a
     * plain repeat and nobody heard of it. Now the first stands and the copy is dead-lettered.
     */
    @Test
    void aRepeatedLineWithAnotherAmountIsRefusedAndTheFirstStands() throws Exception {
        var sim = ShopSimulator.run(SimulatorConfig.of(5, 8, 2));
        List<String> lines = sim.events().stream().map(EventJson::toLine).toList();
        int at = -1;
        for (int i = 0; i < sim.events().size() && at < 0; i++) {
            if (sim.events().get(i) instanceof io.treso.event.BankTransaction t
                    && t.getStatus() == io.treso.event.BankEntryStatus.BOOKED) {
                at = i;
            }
        }
        var line = (io.treso.event.BankTransaction) sim.events().get(at);
        var copy = io.treso.event.BankTransaction.newBuilder(line).build();
        copy.setAmountMinor(line.getAmountMinor() + 100_000);
        List<String> conflicted = new java.util.ArrayList<>(lines);
        conflicted.add(at + 1, EventJson.toLine(copy));
        Files.write(dir.resolve("clean.jsonl"), lines);
        Files.write(dir.resolve("conflict.jsonl"), conflicted);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        for (String run : List.of("clean", "conflict")) {
            ReplayRuntime.run(
                    env,
                    dir.resolve(run + ".jsonl"),
                    dir.resolve(run + "-out"),
                    TresoOptions.defaults());
        }
        List<String> dead = new java.util.ArrayList<>();
        for (String l :
                Files.readAllLines(
                        dir.resolve("conflict-out").resolve(ReplayRuntime.DEAD_LETTERS))) {
            if (!l.contains("\"reason\":\"STATEMENT_UNBALANCED\"")) dead.add(l);
        }
        List<String> cleanDead =
                Files.readAllLines(dir.resolve("clean-out").resolve(ReplayRuntime.DEAD_LETTERS));
        assertTrue(
                cleanDead.stream().allMatch(l -> l.contains("\"reason\":\"STATEMENT_UNBALANCED\"")),
                "the simulator plants one unbalanced statement, nothing else: " + cleanDead);
        assertEquals(1, dead.size(), dead.toString());
        JsonNode d = new ObjectMapper().readTree(dead.get(0));
        System.out.printf("a conflicting repeat: %s%n", d.get("detail").asText());
        assertEquals("CONFLICTING_DUPLICATE", d.get("reason").asText());
        assertEquals(line.getEventId(), d.get("event_id").asText());
        for (String out : List.of(ReplayRuntime.POSITIONS, ReplayRuntime.ALERTS)) {
            assertEquals(
                    Files.readAllLines(dir.resolve("clean-out").resolve(out)),
                    Files.readAllLines(dir.resolve("conflict-out").resolve(out)),
                    out + ": the first line stands, the copy moves nothing");
        }
    }

    /** A UTF-16 file, with or without its byte-order mark, is refused whole with the fix. */
    @Test
    void aUtf16FileIsRefusedWithTheFix() throws Exception {
        String text = "{\"type\":\"fx\"}\n{\"type\":\"fx\"}\n";
        for (var charset :
                List.of(
                        StandardCharsets.UTF_16, // big-endian, with a byte-order mark
                        StandardCharsets.UTF_16LE)) { // no mark
            Path input = dir.resolve("utf16-" + charset.name() + ".jsonl");
            Files.write(input, text.getBytes(charset));
            var e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ReplayRuntime.run(
                                            StreamExecutionEnvironment.getExecutionEnvironment(),
                                            input,
                                            dir.resolve("never"),
                                            TresoOptions.defaults()));
            assertTrue(e.getMessage().contains("is UTF-16 text"), e.getMessage());
            assertTrue(e.getMessage().contains("iconv -f UTF-16 -t UTF-8"), e.getMessage());
        }
        Path utf8 = Files.writeString(dir.resolve("utf8.jsonl"), text);
        ReplayRuntime.refuseUtf16(utf8); // plain UTF-8 passes
    }
}
