package io.treso.jobs.reconciliation;

import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a treasurer still has to look at: the latest revision of every match that is unmatched,
 * ambiguous, short or over, rejected, or waiting for a confirmation. Oldest first.
 */
public final class OpenItems {
    private static final Set<ReconciliationStatus> OPEN =
            Set.of(
                    ReconciliationStatus.UNMATCHED,
                    ReconciliationStatus.AMBIGUOUS,
                    ReconciliationStatus.PARTIAL,
                    ReconciliationStatus.AMOUNT_MISMATCH,
                    ReconciliationStatus.REJECTED);

    private OpenItems() {}

    /** The one definition of an open item, for the listing, the gauges and cleanup alike. */
    public static boolean isOpen(ReconciliationStatus status, boolean needsReview) {
        return needsReview || OPEN.contains(status);
    }

    /** The open items among {@code records}, which may hold several revisions of a match. */
    public static List<ReconciliationRecord> of(Iterable<ReconciliationRecord> records) {
        Map<String, ReconciliationRecord> latest = new LinkedHashMap<>();
        for (ReconciliationRecord r : records) {
            ReconciliationRecord known = latest.get(r.getMatchId());
            if (known == null || r.getRevision() > known.getRevision()) {
                latest.put(r.getMatchId(), r);
            }
        }
        List<ReconciliationRecord> open = new ArrayList<>();
        for (ReconciliationRecord r : latest.values()) {
            if (isOpen(r.getStatus(), r.getNeedsReview())) open.add(r);
        }
        open.sort(
                Comparator.comparing(ReconciliationRecord::getDecidedAt)
                        .thenComparing(ReconciliationRecord::getMatchId));
        return open;
    }
}
