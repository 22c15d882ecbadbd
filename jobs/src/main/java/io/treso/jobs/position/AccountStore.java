package io.treso.jobs.position;

import java.util.Map;

/**
 * Where an account's state lives. The Flink function backs it with RocksDB ValueState and MapState;
 * unit tests back it with maps. Keeping it narrow keeps {@link AccountBook} free of Flink.
 */
public interface AccountStore {
    AccountState state();

    void saveState(AccountState state);

    /** Booked amounts after the last checked statement, summed per booking millisecond. */
    Iterable<Map.Entry<Long, LedgerEntry>> ledger();

    void addToLedger(long bookedAt, long amount, String eventId);

    void removeFromLedger(long bookedAt);

    StatementProgress progress(String statementId);

    void saveProgress(StatementProgress progress);

    void removeProgress(String statementId);

    Iterable<StatementProgress> allProgress();
}
