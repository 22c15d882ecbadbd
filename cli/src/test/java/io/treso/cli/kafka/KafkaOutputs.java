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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a Kafka run committed (read with read_committed), in replay's output form, and the check
 * that it equals a replay's: last position per scope, every alert and reconciliation record once,
 * the same dead letters.
 */
public record KafkaOutputs(
        List<String> positions,
        List<String> alerts,
        List<String> deadLetters,
        List<String> reconciliation) {

    public static KafkaOutputs read(
            String bootstrap, RegistryEndpoint registry, TresoTopics topics) {
        Map<String, String> lastPosition = new LinkedHashMap<>();
        for (CashPosition p :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.POSITION), CashPosition.class)) {
            lastPosition.put(p.getScope() + "|" + p.getCurrency(), EventJson.toOutputLine(p));
        }
        List<String> alerts = new ArrayList<>();
        for (CashAlert a :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.ALERT), CashAlert.class)) {
            assertTrue(a.getEmittedAt() != null, "Kafka alerts carry emitted_at");
            a.setEmittedAt(null);
            alerts.add(EventJson.toOutputLine(a));
        }
        List<String> dead = new ArrayList<>();
        for (DeadLetter d :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.DEAD_LETTER), DeadLetter.class)) {
            dead.add(withoutLocation(d));
        }
        List<String> reconciliation = new ArrayList<>();
        for (ReconciliationRecord r :
                TopicReader.readAll(
                        bootstrap,
                        registry,
                        topics.of(EventType.RECONCILIATION),
                        ReconciliationRecord.class)) {
            reconciliation.add(EventJson.toOutputLine(r));
        }
        return new KafkaOutputs(
                new ArrayList<>(lastPosition.values()), alerts, dead, reconciliation);
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
    }
}
