package io.treso.jobs.runtime;

import io.treso.event.CashAlert;
import io.treso.event.DeadLetter;
import io.treso.event.ForecastPoint;
import io.treso.event.ReconciliationRecord;
import java.util.Comparator;

/** The total orders outputs are written in, so replays compare byte for byte. */
public final class OutputOrder {
    private OutputOrder() {}

    public static final Comparator<CashAlert> ALERTS =
            Comparator.comparing(CashAlert::getDetectedAt)
                    .thenComparing(CashAlert::getScope)
                    .thenComparing(CashAlert::getAlertId)
                    .thenComparing(CashAlert::getState);

    public static final Comparator<ReconciliationRecord> RECONCILIATION =
            Comparator.comparing(ReconciliationRecord::getDecidedAt)
                    .thenComparing(ReconciliationRecord::getMatchId)
                    .thenComparingInt(ReconciliationRecord::getRevision);

    public static final Comparator<ForecastPoint> FORECAST =
            Comparator.comparing(ForecastPoint::getAsOf)
                    .thenComparing(ForecastPoint::getScope)
                    .thenComparing(ForecastPoint::getScenarioId)
                    .thenComparing(ForecastPoint::getDate);

    public static final Comparator<DeadLetter> DEAD_LETTERS =
            Comparator.comparing(
                            (DeadLetter d) -> d.getSourceFile() == null ? "" : d.getSourceFile())
                    .thenComparing(d -> d.getSourceLine() == null ? 0L : d.getSourceLine())
                    .thenComparing(d -> d.getSourceTopic() == null ? "" : d.getSourceTopic())
                    .thenComparing(d -> d.getSourcePartition() == null ? 0 : d.getSourcePartition())
                    .thenComparing(d -> d.getSourceOffset() == null ? 0L : d.getSourceOffset());
}
