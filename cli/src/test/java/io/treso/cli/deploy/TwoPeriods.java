package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.ControlCommand;
import io.treso.schemas.EventType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * One simulated business (2 stores, 8 weeks, seed 17) cut in two periods of four weeks, with {@code
 * ./treso replay}'s outputs for the first and for both: the upgrade tests run the first period,
 * stop, restart from saved state, run the second, and compare with these. Made once per test JVM.
 */
record TwoPeriods(
        List<SpecificRecord> first,
        List<SpecificRecord> second,
        Path firstReplay,
        Path bothReplay) {
    private static TwoPeriods shared;

    static synchronized TwoPeriods get() throws Exception {
        if (shared == null) shared = make();
        return shared;
    }

    /** Both periods as one replay input file; returns its number of lines. */
    int writeBoth(Path file) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        first.forEach(e -> lines.add(EventJson.toLine(e)));
        second.forEach(e -> lines.add(EventJson.toLine(e)));
        Files.write(file, lines);
        return lines.size();
    }

    private static TwoPeriods make() throws Exception {
        Path dir = Files.createTempDirectory("treso-two-periods-");
        dir.toFile().deleteOnExit();
        ShopSimulator.Output sim = ShopSimulator.run(SimulatorConfig.of(17, 56, 2));
        Instant cut =
                sim.events().stream()
                        .map(EventType::eventTime)
                        .min(Instant::compareTo)
                        .orElseThrow()
                        .plus(Duration.ofDays(28));
        List<SpecificRecord> first = new ArrayList<>();
        List<SpecificRecord> second = new ArrayList<>();
        for (SpecificRecord e : sim.events()) {
            boolean early = e instanceof ControlCommand || EventType.eventTime(e).isBefore(cut);
            (early ? first : second).add(e);
        }
        assertTrue(first.size() > 1000 && second.size() > 1000, first.size() + "/" + second.size());
        List<SpecificRecord> both = new ArrayList<>(first);
        both.addAll(second);
        return new TwoPeriods(
                first, second, replay(dir, "first", first), replay(dir, "both", both));
    }

    private static Path replay(Path dir, String name, List<SpecificRecord> events)
            throws Exception {
        Path file = dir.resolve(name + ".jsonl");
        Files.write(file, events.stream().map(EventJson::toLine).toList());
        Path out = dir.resolve(name + "-replay");
        StringWriter err = new StringWriter();
        int code =
                TresoCli.execute(
                        new String[] {
                            "replay", "--input", file.toString(), "--output", out.toString()
                        },
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return out;
    }
}
