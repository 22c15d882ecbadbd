package io.treso.calendar;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads twelve calendars at once from twelve threads in a fresh JVM, as the slots of a TaskManager
 * do when a job starts; prints each failure and exits 1 if any.
 */
public final class ConcurrentCalendars {
    static final List<String> IDS =
            List.of("US", "GB-ENG", "TARGET", "CH", "CA", "AU", "JP", "SE", "DK", "NO", "PL", "FR");

    private ConcurrentCalendars() {}

    public static void main(String[] args) throws Exception {
        CyclicBarrier start = new CyclicBarrier(IDS.size());
        ExecutorService threads = Executors.newFixedThreadPool(IDS.size());
        List<Future<String>> results = new ArrayList<>();
        for (String id : IDS) {
            results.add(
                    threads.submit(
                            () -> {
                                start.await();
                                try {
                                    BusinessCalendar.of(id, ZoneId.of("UTC"));
                                    return null;
                                } catch (RuntimeException e) {
                                    return id + ": " + e.getMessage();
                                }
                            }));
        }
        int failed = 0;
        for (Future<String> r : results) {
            String failure = r.get();
            if (failure != null) {
                System.out.println(failure);
                failed++;
            }
        }
        threads.shutdownNow();
        System.out.println(IDS.size() - failed + " of " + IDS.size() + " loaded");
        System.exit(failed == 0 ? 0 : 1);
    }
}
