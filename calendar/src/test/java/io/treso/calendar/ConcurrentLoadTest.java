package io.treso.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Calendars loaded at once from many threads of a fresh JVM all load: a TaskManager with two slots
 * failed its job on start with "unknown calendar 'US'" when both loaded calendars together (five of
 * twelve failed in each of six fresh JVMs before loads were serialised).
 */
class ConcurrentLoadTest {
    @Test
    void calendarsLoadedTogetherInAFreshJvmAllLoad() throws Exception {
        for (int run = 1; run <= 3; run++) {
            Process p =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    ConcurrentCalendars.class.getName())
                            .redirectErrorStream(true)
                            .start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "run " + run + " did not finish");
            assertEquals(0, p.exitValue(), "run " + run + ":\n" + said);
            String all = ConcurrentCalendars.IDS.size() + " of " + ConcurrentCalendars.IDS.size();
            assertTrue(said.contains(all + " loaded"), said);
        }
    }
}
