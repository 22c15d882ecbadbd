package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.replay.EventJson;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DeadLetter;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a Kafka run committed (read with read_committed), in replay's output form, and the check
 * that it equals a replay's: last position per scope, every alert and reconciliation record once,
 * the same dead letters.
 */
public record KafkaOutputs(
        List<String> positions,
        List<String> dailyPositions,
        List<String> alerts,
        List<String> deadLetters,
        List<String> reconciliation,
        List<String> forecast) {

    /**
     * Waits until the output topics have stopped growing for {@code quiet}: after the job commits
     * offsets past its input, the last watermark still fires timers (watermarks leave on a
     * processing-time tick), and what they write commits with a later checkpoint.
     */
    public static void awaitQuiet(String bootstrap, TresoTopics topics, Duration quiet)
            throws Exception {
        awaitQuiet(bootstrap, Map.of(), topics, quiet);
    }

    /** The same, with Kafka client properties (TLS, SASL). */
    public static void awaitQuiet(
            String bootstrap, Map<String, String> client, TresoTopics topics, Duration quiet)
            throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> outputs =
                Stream.of(
                                EventType.POSITION,
                                EventType.DAILY_POSITION,
                                EventType.ALERT,
                                EventType.RECONCILIATION,
                                EventType.FORECAST,
                                EventType.DEAD_LETTER)
                        .map(topics::of)
                        .toList();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, Long> last = null;
            long stableSince = System.nanoTime();
            while (true) {
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                admin.describeTopics(outputs)
                        .allTopicNames()
                        .get()
                        .forEach(
                                (name, d) ->
                                        d.partitions()
                                                .forEach(
                                                        i ->
                                                                latest.put(
                                                                        new TopicPartition(
                                                                                name,
                                                                                i.partition()),
                                                                        OffsetSpec.latest())));
                Map<TopicPartition, Long> ends = new LinkedHashMap<>();
                admin.listOffsets(latest).all().get().forEach((tp, o) -> ends.put(tp, o.offset()));
                if (!ends.equals(last)) {
                    last = ends;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= quiet.toNanos()) {
                    return;
                }
                assertTrue(System.nanoTime() < deadline, "the outputs kept growing for 2 minutes");
                Thread.sleep(250);
            }
        }
    }

    public static KafkaOutputs read(
            String bootstrap, RegistryEndpoint registry, TresoTopics topics) {
        return read(bootstrap, Map.of(), registry, topics);
    }

    /** The same, with Kafka client properties (TLS, SASL). */
    public static KafkaOutputs read(
            String bootstrap,
            Map<String, String> client,
            RegistryEndpoint registry,
            TresoTopics topics) {
        Map<String, String> lastPosition = new LinkedHashMap<>();
        for (CashPosition p :
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.POSITION),
                        CashPosition.class)) {
            lastPosition.put(p.getScope() + "|" + p.getCurrency(), EventJson.toOutputLine(p));
        }
        Map<String, String> lastDay = new LinkedHashMap<>();
        for (io.treso.event.DailyPosition d :
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.DAILY_POSITION),
                        io.treso.event.DailyPosition.class)) {
            // A revised day replaces its earlier close, as compaction would.
            lastDay.put(
                    d.getScope() + "|" + d.getCurrency() + "|" + d.getDate(),
                    EventJson.toOutputLine(d));
        }
        List<String> alerts = new ArrayList<>();
        for (CashAlert a :
                TopicReader.readAll(
                        bootstrap, client, registry, topics.of(EventType.ALERT), CashAlert.class)) {
            assertTrue(a.getEmittedAt() != null, "Kafka alerts carry emitted_at");
            a.setEmittedAt(null);
            alerts.add(EventJson.toOutputLine(a));
        }
        List<String> dead = new ArrayList<>();
        for (DeadLetter d :
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.DEAD_LETTER),
                        DeadLetter.class)) {
            dead.add(withoutLocation(d));
        }
        List<String> reconciliation = new ArrayList<>();
        for (ReconciliationRecord r :
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.RECONCILIATION),
                        ReconciliationRecord.class)) {
            reconciliation.add(EventJson.toOutputLine(r));
        }
        List<String> forecast = new ArrayList<>();
        for (io.treso.event.ForecastPoint f :
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.FORECAST),
                        io.treso.event.ForecastPoint.class)) {
            forecast.add(EventJson.toOutputLine(f));
        }
        return new KafkaOutputs(
                new ArrayList<>(lastPosition.values()),
                new ArrayList<>(lastDay.values()),
                alerts,
                dead,
                reconciliation,
                forecast);
    }

    /** A dead letter without its topic, partition and offset, which differ between paths. */
    public static String withoutLocation(DeadLetter d) {
        return d.getReason()
                + "|"
                + d.getDetail()
                + "|"
                + d.getRecordType()
                + "|"
                + d.getEventId()
                + "|"
                + d.getEventTime();
    }

    /** Fails, saying what differs, unless these outputs are the replay's in {@code replayOut}. */
    public void assertSameAsReplay(Path replayOut) throws Exception {
        assertEquals(
                new TreeSet<>(Files.readAllLines(replayOut.resolve(ReplayRuntime.POSITIONS))),
                new TreeSet<>(positions),
                "positions");
        List<String> replayDaily =
                Files.readAllLines(replayOut.resolve(ReplayRuntime.DAILY_POSITIONS));
        assertTrue(replayDaily.size() >= 10, "daily closes to compare: " + replayDaily.size());
        TreeSet<String> dailyOnlyReplay = new TreeSet<>(replayDaily);
        dailyOnlyReplay.removeAll(dailyPositions);
        TreeSet<String> dailyOnlyKafka = new TreeSet<>(dailyPositions);
        dailyOnlyKafka.removeAll(replayDaily);
        assertEquals(
                List.of(),
                dailyOnlyReplay.stream().limit(6).toList(),
                "daily closes only replay has ("
                        + dailyOnlyReplay.size()
                        + "); Kafka's instead ("
                        + dailyOnlyKafka.size()
                        + "): "
                        + dailyOnlyKafka.stream().limit(6).toList());
        assertEquals(List.of(), List.copyOf(dailyOnlyKafka), "daily closes only Kafka has");
        List<String> replayAlerts = Files.readAllLines(replayOut.resolve(ReplayRuntime.ALERTS));
        assertTrue(replayAlerts.size() >= 3, "something to compare: " + replayAlerts);
        TreeSet<String> onlyReplay = new TreeSet<>(replayAlerts);
        onlyReplay.removeAll(alerts);
        TreeSet<String> onlyKafka = new TreeSet<>(alerts);
        onlyKafka.removeAll(replayAlerts);
        assertEquals(
                List.of(),
                List.copyOf(onlyKafka),
                "alerts Kafka raised that replay did not (replay's instead: " + onlyReplay + ")");
        assertEquals(replayAlerts.size(), alerts.size(), "exactly once: no alert twice");
        List<String> replayDead = new ArrayList<>();
        for (String line : Files.readAllLines(replayOut.resolve(ReplayRuntime.DEAD_LETTERS))) {
            replayDead.add(
                    withoutLocation(
                            (DeadLetter) EventJson.fromOutputLine(EventType.DEAD_LETTER, line)));
        }
        assertEquals(new TreeSet<>(replayDead), new TreeSet<>(deadLetters), "dead letters");
        List<String> replayRecords =
                Files.readAllLines(replayOut.resolve(ReplayRuntime.RECONCILIATION));
        assertEquals(new TreeSet<>(replayRecords), new TreeSet<>(reconciliation), "matches");
        assertEquals(replayRecords.size(), reconciliation.size(), "exactly once");
        List<String> replayForecast = Files.readAllLines(replayOut.resolve(ReplayRuntime.FORECAST));
        TreeSet<String> forecastOnlyReplay = new TreeSet<>(replayForecast);
        forecastOnlyReplay.removeAll(forecast);
        assertEquals(
                List.of(),
                forecastOnlyReplay.stream().limit(3).toList(),
                "forecast points only replay has (" + forecastOnlyReplay.size() + ")");
        assertEquals(replayForecast.size(), forecast.size(), "forecast points exactly once");
    }

    /**
     * Fails unless these outputs, written by a job restored from state saved after {@code
     * firstReplay}'s input, are what one replay of both periods added to the first's: every alert,
     * reconciliation record and dead letter of {@code bothReplay} not already in {@code
     * firstReplay}, once; every scope's last position as in {@code bothReplay}. Running totals
     * whose scope starts with one of {@code countedFromTheRestore} were added after the saved
     * state's release, which did not keep what they count: they must grow as the replay's do from
     * the restore on, not equal them.
     */
    public void assertContinues(
            Path firstReplay, Path bothReplay, Set<String> countedFromTheRestore) throws Exception {
        assertEquals(
                minus(
                        lines(bothReplay, ReplayRuntime.ALERTS),
                        lines(firstReplay, ReplayRuntime.ALERTS)),
                sorted(alerts),
                "alerts after the restore");
        assertEquals(
                minus(
                        lines(bothReplay, ReplayRuntime.RECONCILIATION),
                        lines(firstReplay, ReplayRuntime.RECONCILIATION)),
                sorted(reconciliation),
                "reconciliation records after the restore");
        assertEquals(
                minus(deadLetters(bothReplay), deadLetters(firstReplay)),
                sorted(deadLetters),
                "dead letters after the restore");
        Map<String, String> before = lastPositions(lines(firstReplay, ReplayRuntime.POSITIONS));
        Map<String, String> after = lastPositions(lines(bothReplay, ReplayRuntime.POSITIONS));
        Map<String, String> restored = lastPositions(positions);
        assertTrue(!restored.isEmpty(), "the restored job wrote positions");
        List<String> wrong = new ArrayList<>();
        for (var e : after.entrySet()) {
            if (countedFromTheRestore.stream().anyMatch(e.getKey()::startsWith)) continue;
            String expected = e.getValue();
            String got = restored.getOrDefault(e.getKey(), before.get(e.getKey()));
            if (!expected.equals(got)) {
                wrong.add(
                        e.getKey()
                                + (restored.containsKey(e.getKey())
                                        ? " written after the restore as "
                                        : " not written after the restore; before it ")
                                + got
                                + ", expected "
                                + expected);
            }
        }
        assertEquals(List.of(), wrong, "last positions");
        List<String> replayDaily = lines(bothReplay, ReplayRuntime.DAILY_POSITIONS);
        TreeSet<String> notInReplay = new TreeSet<>();
        Map<String, TreeMap<String, Long>> restoredTotals = new TreeMap<>();
        for (String line : dailyPositions) {
            var d =
                    (io.treso.event.DailyPosition)
                            EventJson.fromOutputLine(EventType.DAILY_POSITION, line);
            if (countedFromTheRestore.stream().anyMatch(d.getScope()::startsWith)) {
                restoredTotals
                        .computeIfAbsent(d.getScope(), k -> new TreeMap<>())
                        .put(d.getDate().toString(), d.getClosingBalanceMinor());
            } else if (!replayDaily.contains(line)) {
                notInReplay.add(line);
            }
        }
        assertEquals(Set.of(), notInReplay, "daily closes after the restore are the replay's");
        Map<String, Long> replayTotals = new TreeMap<>();
        for (String line : replayDaily) {
            var d =
                    (io.treso.event.DailyPosition)
                            EventJson.fromOutputLine(EventType.DAILY_POSITION, line);
            replayTotals.put(d.getScope() + "|" + d.getDate(), d.getClosingBalanceMinor());
        }
        List<String> grewOtherwise = new ArrayList<>();
        int steps = 0;
        for (var e : restoredTotals.entrySet()) {
            String previous = null;
            for (var day : e.getValue().entrySet()) {
                if (previous != null) {
                    steps++;
                    long ours = day.getValue() - e.getValue().get(previous);
                    Long a = replayTotals.get(e.getKey() + "|" + day.getKey());
                    Long b = replayTotals.get(e.getKey() + "|" + previous);
                    if (a == null || b == null || a - b != ours) {
                        grewOtherwise.add(
                                e.getKey()
                                        + " "
                                        + previous
                                        + ".."
                                        + day.getKey()
                                        + ": "
                                        + ours
                                        + " vs "
                                        + a
                                        + " - "
                                        + b);
                    }
                }
                previous = day.getKey();
            }
        }
        assertEquals(
                List.of(), grewOtherwise, "running totals grow as the replay's after the restore");
        assertTrue(countedFromTheRestore.isEmpty() || steps > 10, "totals to compare: " + steps);
    }

    private static List<String> lines(Path dir, String file) throws Exception {
        return Files.readAllLines(dir.resolve(file));
    }

    private static List<String> deadLetters(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : lines(dir, ReplayRuntime.DEAD_LETTERS)) {
            out.add(
                    withoutLocation(
                            (DeadLetter) EventJson.fromOutputLine(EventType.DEAD_LETTER, line)));
        }
        return out;
    }

    /** {@code all} without one occurrence of each line of {@code some}, sorted. */
    private static List<String> minus(List<String> all, List<String> some) {
        List<String> rest = new ArrayList<>(all);
        for (String s : some) {
            assertTrue(rest.remove(s), "the first period's output is in the whole run's: " + s);
        }
        return sorted(rest);
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        java.util.Collections.sort(c);
        return c;
    }

    private static Map<String, String> lastPositions(List<String> lines) {
        Map<String, String> last = new LinkedHashMap<>();
        for (String l : lines) {
            CashPosition p = (CashPosition) EventJson.fromOutputLine(EventType.POSITION, l);
            last.put(p.getScope() + "|" + p.getCurrency(), l);
        }
        return last;
    }
}
