package io.treso.cli.report;

import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.replay.EventJson;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import io.treso.event.ForecastPoint;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * The pipelines' outputs a report reads, and nothing else: the latest position per scope, the daily
 * closes (the last revision of each day), the alerts, every revision of the reconciliation records,
 * and the forecast points. From a replay directory or from the Kafka topics; both hold the same.
 */
public record ReportData(
        List<CashPosition> positions,
        List<DailyPosition> daily,
        List<CashAlert> alerts,
        List<ReconciliationRecord> records,
        List<ForecastPoint> forecast) {

    /** The outputs of {@code ./treso replay} in {@code dir}. */
    public static ReportData fromReplay(Path dir) throws IOException {
        Path positions = dir.resolve(ReplayRuntime.POSITIONS);
        if (!Files.isRegularFile(positions)) {
            throw new IllegalArgumentException(
                    dir
                            + " holds no "
                            + ReplayRuntime.POSITIONS
                            + ": give the output directory of ./treso replay");
        }
        Path daily = dir.resolve(ReplayRuntime.DAILY_POSITIONS);
        if (!Files.isRegularFile(daily)) {
            throw new IllegalArgumentException(
                    dir
                            + " holds no "
                            + ReplayRuntime.DAILY_POSITIONS
                            + ": it was written by an older Treso; replay its input again");
        }
        return new ReportData(
                lastOf(
                        read(positions, EventType.POSITION, CashPosition.class),
                        p -> p.getScope() + "|" + p.getCurrency()),
                lastOf(read(daily, EventType.DAILY_POSITION, DailyPosition.class), ReportData::day),
                read(dir.resolve(ReplayRuntime.ALERTS), EventType.ALERT, CashAlert.class),
                read(
                        dir.resolve(ReplayRuntime.RECONCILIATION),
                        EventType.RECONCILIATION,
                        ReconciliationRecord.class),
                read(dir.resolve(ReplayRuntime.FORECAST), EventType.FORECAST, ForecastPoint.class));
    }

    /** The same outputs from their topics (read_committed, as they stand now). */
    public static ReportData fromKafka(
            String bootstrap,
            Map<String, String> client,
            RegistryEndpoint registry,
            TresoTopics topics) {
        return new ReportData(
                lastOf(
                        TopicReader.readAll(
                                bootstrap,
                                client,
                                registry,
                                topics.of(EventType.POSITION),
                                CashPosition.class),
                        p -> p.getScope() + "|" + p.getCurrency()),
                lastOf(
                        TopicReader.readAll(
                                bootstrap,
                                client,
                                registry,
                                topics.of(EventType.DAILY_POSITION),
                                DailyPosition.class),
                        ReportData::day),
                TopicReader.readAll(
                        bootstrap, client, registry, topics.of(EventType.ALERT), CashAlert.class),
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.RECONCILIATION),
                        ReconciliationRecord.class),
                TopicReader.readAll(
                        bootstrap,
                        client,
                        registry,
                        topics.of(EventType.FORECAST),
                        ForecastPoint.class));
    }

    private static String day(DailyPosition d) {
        return d.getScope() + "|" + d.getCurrency() + "|" + d.getDate();
    }

    /** The last record of each key, as a compacted topic keeps it. */
    private static <T> List<T> lastOf(List<T> all, Function<T, String> key) {
        Map<String, T> last = new LinkedHashMap<>();
        for (T t : all) {
            last.remove(key.apply(t));
            last.put(key.apply(t), t);
        }
        return new ArrayList<>(last.values());
    }

    private static <T extends SpecificRecord> List<T> read(Path file, EventType type, Class<T> as)
            throws IOException {
        List<T> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) return out;
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) out.add(as.cast(EventJson.fromOutputLine(type, line)));
        }
        return out;
    }
}
