package io.treso.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this whole process, every thread included (Flink's, the embedded broker's, the JIT's
 * and the collector's), from {@code /proc/self/stat}: what a core is busy with while a job runs.
 */
final class ProcessCpu {
    /** Linux reports utime and stime in clock ticks; USER_HZ is 100 on every kernel we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /**
     * CPU seconds used so far, or -1 where there is no {@code /proc} (the figure is then absent).
     */
    static double seconds() {
        try {
            return parse(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime: fields 14 and 15, counted after the command name's closing parenthesis. */
    static double parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }
}
