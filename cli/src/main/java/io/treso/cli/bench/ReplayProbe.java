package io.treso.cli.bench;

import io.treso.cli.embedded.TempDirs;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code treso replay} as a user runs it: a JVM of its own, with the launcher's options, timed from
 * its start to its exit and sampled for its peak resident memory ({@code VmHWM}, which only grows,
 * so the last sample before the exit holds the peak).
 */
final class ReplayProbe {
    /** The launcher's JVM options for a replay when TRESO_JAVA_OPTS is unset (the script's). */
    static final String REPLAY_JVM =
            "-Xmx4g -XX:+UseParallelGC -XX:GCTimeRatio=2 -XX:Tier4InvocationThreshold=50000"
                    + " -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000"
                    + " -XX:Tier4BackEdgeThreshold=400000";

    /** The lines of the start-up replay: too few to do work, enough to start every operator. */
    static final int STARTUP_LINES = 200;

    private ReplayProbe() {}

    /** One replay: wall time, peak RSS, and the lines it read. */
    record Run(long wallMs, long peakRssBytes, int lines) {}

    /** Writes a month of {@code stores} simulated stores as JSON lines, and the first 200 apart. */
    static Path[] write(Path dir, SimulatorConfig config) throws IOException {
        List<SpecificRecord> events = new ArrayList<>(ShopSimulator.run(config).events());
        Path full = dir.resolve("replay-month.jsonl");
        Path startup = dir.resolve("replay-startup.jsonl");
        writeLines(full, events);
        writeLines(startup, events.subList(0, Math.min(STARTUP_LINES, events.size())));
        return new Path[] {full, startup};
    }

    private static void writeLines(Path file, List<SpecificRecord> events) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (SpecificRecord e : events) {
                w.write(EventJson.toLine(e));
                w.write('\n');
            }
        }
    }

    /** Runs {@code treso replay --input input} in a child JVM and waits for it. */
    static Run run(Path input, Path workDir) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory(workDir, "replay-out-");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.treso.cli.TresoCli");
        cmd.add("replay");
        cmd.add("--input");
        cmd.add(input.toString());
        cmd.add("--output");
        cmd.add(out.toString());
        Path log = workDir.resolve("replay.log");
        long started = System.nanoTime();
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, peakRss(status));
        }
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "replay of "
                            + input
                            + " failed (exit "
                            + p.exitValue()
                            + "): "
                            + Files.readString(log));
        }
        int lines;
        try (var s = Files.lines(input)) {
            lines = (int) s.count();
        }
        TempDirs.deleteRecursively(out);
        return new Run(wallMs, peak, lines);
    }

    /**
     * The launcher's memory and module options ({@code TRESO_JAVA_OPTS}, else its default), and
     * this JVM's {@code --add-opens}: the child must be the JVM a user's {@code ./treso} starts.
     */
    static List<String> jvmOptions() {
        List<String> opts = new ArrayList<>();
        String env = System.getenv("TRESO_JAVA_OPTS");
        if (env != null && !env.isBlank()) {
            opts.addAll(List.of(env.trim().split("\\s+")));
        } else {
            opts.addAll(List.of(REPLAY_JVM.split(" ")));
        }
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) opts.add(a);
        }
        if (opts.stream().noneMatch(o -> o.startsWith("--add-opens"))) {
            for (String pkg :
                    List.of(
                            "java.util",
                            "java.lang",
                            "java.lang.invoke",
                            "java.time",
                            "java.nio",
                            "sun.nio.ch",
                            "java.io",
                            "java.net",
                            "java.util.concurrent",
                            "java.math")) {
                opts.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
            }
        }
        return opts;
    }

    /** VmHWM in bytes, or 0 once the process has gone. */
    private static long peakRss(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Exited between the wait and the read.
        }
        return 0;
    }
}
