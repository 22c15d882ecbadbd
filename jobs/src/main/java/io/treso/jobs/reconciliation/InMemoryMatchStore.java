package io.treso.jobs.reconciliation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link MatchStore} on plain maps, for unit tests and benchmarks. */
public final class InMemoryMatchStore implements MatchStore {
    private MatchingProgress progress;
    private final Map<String, TrackedPayout> payouts = new LinkedHashMap<>();
    private final Map<String, BankEntry> credits = new LinkedHashMap<>();
    private final Map<String, Match> matches = new LinkedHashMap<>();
    private final Map<String, CoverageTally> tallies = new LinkedHashMap<>();
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private final Map<String, ObligationProgress> obligations = new LinkedHashMap<>();
    private final Map<String, MatchAction> actions = new LinkedHashMap<>();
    private final java.util.Set<String> unmatched = new java.util.LinkedHashSet<>();
    private final Map<String, String[]> payoutIndex = new LinkedHashMap<>();

    @Override
    public String[] payoutsUnder(String key) {
        return payoutIndex.getOrDefault(key, new String[0]);
    }

    @Override
    public void putPayoutsUnder(String key, String[] payoutIds) {
        if (payoutIds.length == 0) payoutIndex.remove(key);
        else payoutIndex.put(key, payoutIds);
    }

    @Override
    public Iterable<String> unmatchedCredits() {
        return new ArrayList<>(unmatched);
    }

    @Override
    public void indexUnmatched(String bankEventId, boolean isUnmatched) {
        if (isUnmatched) unmatched.add(bankEventId);
        else unmatched.remove(bankEventId);
    }

    @Override
    public Iterable<MatchAction> pendingActions() {
        return new ArrayList<>(actions.values());
    }

    @Override
    public void putAction(MatchAction a) {
        actions.put(a.eventId, a);
    }

    @Override
    public void removeAction(String eventId) {
        actions.remove(eventId);
    }

    @Override
    public ObligationProgress obligation(String documentId) {
        return obligations.get(documentId);
    }

    @Override
    public void putObligation(ObligationProgress p) {
        obligations.put(p.documentId, p);
    }

    @Override
    public MatchingProgress progress() {
        return progress;
    }

    @Override
    public void saveProgress(MatchingProgress p) {
        progress = p;
    }

    @Override
    public TrackedPayout payout(String id) {
        return payouts.get(id);
    }

    @Override
    public void putPayout(TrackedPayout p) {
        payouts.put(p.payoutId, p);
    }

    @Override
    public Iterable<TrackedPayout> payouts() {
        return payouts.values().stream().filter(p -> !p.isSettled()).toList();
    }

    @Override
    public BankEntry credit(String id) {
        return credits.get(id);
    }

    @Override
    public void putCredit(BankEntry c) {
        credits.put(c.eventId, c);
    }

    @Override
    public Iterable<BankEntry> credits() {
        return credits.values().stream().filter(c -> !c.decided).toList();
    }

    @Override
    public Match match(String id) {
        return matches.get(id);
    }

    @Override
    public void putMatch(Match m) {
        matches.put(m.matchId, m);
    }

    @Override
    public CoverageTally tally(String id) {
        return tallies.get(id);
    }

    @Override
    public void putTally(CoverageTally t) {
        tallies.put(t.statementId, t);
    }

    @Override
    public void removeTally(String id) {
        tallies.remove(id);
    }

    @Override
    public Iterable<CoverageTally> tallies() {
        return new ArrayList<>(tallies.values());
    }

    @Override
    public boolean firstSighting(String id, long bookedAt) {
        return seen.putIfAbsent(id, bookedAt) == null;
    }
}
