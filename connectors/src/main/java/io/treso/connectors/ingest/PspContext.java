package io.treso.connectors.ingest;

import java.time.ZoneId;
import org.apache.flink.util.Preconditions;

/**
 * What PSP exports do not say and Treso needs: the store they belong to, the bank account payouts
 * land on (reconciliation matches only payouts with a destination), and the zone their dates are
 * in.
 */
public record PspContext(String storeId, String destinationAccount, ZoneId zone) {
    public PspContext {
        Preconditions.checkNotNull(storeId, "PSP exports need the Treso store id (--store)");
        Preconditions.checkNotNull(zone);
    }
}
