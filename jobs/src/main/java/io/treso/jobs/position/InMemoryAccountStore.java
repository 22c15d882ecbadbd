package io.treso.jobs.position;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link AccountStore} on plain maps: {@link AccountBook} without Flink, for unit tests,
 * benchmarks and tools.
 */
public final class InMemoryAccountStore implements AccountStore {
    private AccountState state;
    private final TreeMap<Long, LedgerEntry> ledger = new TreeMap<>();
    private final Map<String, StatementProgress> progress = new LinkedHashMap<>();

    @Override
    public AccountState state() {
        return state;
    }

    @Override
    public void saveState(AccountState s) {
        state = s;
    }

    @Override
    public Iterable<Map.Entry<Long, LedgerEntry>> ledger() {
        return new ArrayList<>(ledger.entrySet());
    }

    @Override
    public void addToLedger(long bookedAt, long amount, String eventId) {
        LedgerEntry prev = ledger.get(bookedAt);
        ledger.put(bookedAt, new LedgerEntry((prev == null ? 0 : prev.amount) + amount, eventId));
    }

    @Override
    public void removeFromLedger(long bookedAt) {
        ledger.remove(bookedAt);
    }

    @Override
    public StatementProgress progress(String statementId) {
        return progress.get(statementId);
    }

    @Override
    public void saveProgress(StatementProgress p) {
        progress.put(p.statementId, p);
    }

    @Override
    public void removeProgress(String statementId) {
        progress.remove(statementId);
    }

    @Override
    public Iterable<StatementProgress> allProgress() {
        return List.copyOf(progress.values());
    }

    public int ledgerSize() {
        return ledger.size();
    }
}
