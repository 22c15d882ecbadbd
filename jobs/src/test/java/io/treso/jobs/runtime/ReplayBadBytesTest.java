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
}
