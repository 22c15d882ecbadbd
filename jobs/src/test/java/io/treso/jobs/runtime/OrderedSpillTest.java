package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.DailyPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay's outputs go through a spill: the order out must be the one an in-memory stable sort
 * gives, runs on disk or not, and "last of equal" must keep what a map keyed by the order keeps.
 */
class OrderedSpillTest {
    private static final Comparator<DailyPosition> ORDER =
            Comparator.comparing(DailyPosition::getDate).thenComparing(DailyPosition::getScope);

    @TempDir Path dir;

    private static DailyPosition close(int day, String scope, long balance) {
        LocalDate date = LocalDate.of(2026, 3, 1).plusDays(day);
        return DailyPosition.newBuilder()
                .setScope(scope)
                .setCurrency("EUR")
                .setDate(date)
                .setClosingBalanceMinor(balance)
                .setClosedAt(Instant.parse(date.plusDays(1) + "T00:00:00Z"))
                .build();
    }

    /** 10,000 closes in a shuffled order, with revisions: balance tells them apart. */
    private static List<DailyPosition> shuffled() {
        Random random = new Random(5);
        List<DailyPosition> in = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            in.add(close(random.nextInt(60), "acct-" + random.nextInt(40), i));
        }
        Collections.shuffle(in, random);
        return in;
    }

    @Test
    void runsOnDiskComeBackInTheOrderAStableSortGives() throws Exception {
        List<DailyPosition> in = shuffled();
        List<DailyPosition> expected = new ArrayList<>(in);
        expected.sort(ORDER);
        List<DailyPosition> out = new ArrayList<>();
        try (OrderedSpill<DailyPosition> spill =
                new OrderedSpill<>(dir, DailyPosition.getClassSchema(), ORDER, 700)) {
            in.forEach(spill::add);
            assertTrue(files() >= 14, "10,000 records in runs of 700 went to disk: " + files());
            spill.drainTo(out::add, false);
            assertEquals(10_000, spill.count());
        }
        assertEquals(expected, out);
        assertEquals(0, files(), "runs are removed when the spill closes");
    }

    @Test
    void lastOfEqualKeepsTheLastPutOfEachKeyAsAMapWould() throws Exception {
        List<DailyPosition> in = shuffled();
        Map<String, DailyPosition> last = new LinkedHashMap<>();
        for (DailyPosition d : in) last.put(d.getDate() + "|" + d.getScope(), d);
        List<DailyPosition> expected = new ArrayList<>(last.values());
        expected.sort(ORDER);
        for (int run : new int[] {333, 50_000}) {
            List<DailyPosition> out = new ArrayList<>();
            try (OrderedSpill<DailyPosition> spill =
                    new OrderedSpill<>(dir, DailyPosition.getClassSchema(), ORDER, run)) {
                in.forEach(spill::add);
                spill.drainTo(out::add, true);
            }
            assertEquals(expected, out, "runs of " + run);
        }
    }

    private long files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
