package io.treso.jobs.reconciliation;

import io.treso.event.AlertState;
import io.treso.event.ReconciliationStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a decision changes after it is made, in plain Java: a treasurer's action (confirm, reject,
 * match by hand, write off), a payout called off after it was matched, a payout announced after the
 * window of the credit that named it. Each is a new revision of the same match. {@link BankMatcher}
 * finds when; this class says what the new revision is, through the matcher's working copy of the
 * account's state.
 */
final class MatchRevisions {
    /** The matcher's working copy of one account's state, and what it says. */
    interface Workspace {
        TrackedPayout payout(String payoutId);

        BankEntry credit(String bankEventId);

        void touch(TrackedPayout p);

        void touch(BankEntry c);

        /** Keeps the revision and records it downstream. */
        void save(Match m);

        MatchingRules rulesAt(long time);

        MatchStore store();

        /** Raises or resolves the credit's UNRECONCILED_BANK_LINE; returns its alert id. */
        String unreconciled(BankEntry c, AlertState state, long at, String why);

        /** Resolves the payout's MISSING_DEPOSIT: a credit settles it after all. */
        void depositFound(TrackedPayout p, long at, BankEntry c);
    }

    private final Workspace work;
    private final CreditRules rules;

    MatchRevisions(Workspace work, CreditRules rules) {
        this.work = work;
        this.rules = rules;
    }

    /** A treasurer's action on a decided match: a new revision, and what it frees or claims. */
    void act(MatchAction a, Match m) {
        BankEntry c = work.credit(m.bankEventIds[0]);
        if (c == null) return; // Cleaned up after the retention: nothing left to act on.
        List<TrackedPayout> chosen = new ArrayList<>();
        if (a.kind() == MatchAction.Kind.MATCH) {
            for (String id : a.payoutIds) {
                TrackedPayout p = work.payout(id);
                if (p == null || (p.matchId != null && !p.matchId.equals(m.matchId))) {
                    return; // An unknown payout, or one another match settles: refused.
                }
                chosen.add(p);
            }
        }
        if (a.kind() == MatchAction.Kind.CONFIRM && !m.settles()) {
            return; // Nothing to confirm on an ambiguous or unmatched record: match it instead.
        }
        m.revision++;
        m.decidedAt = Math.max(a.effectiveAt, m.decidedAt);
        switch (a.kind()) {
            case CONFIRM -> {
                m.confidence = 100;
                m.needsReview = false;
                m.rule = "treasurer-confirm";
            }
            case REJECT -> {
                release(m);
                m.status(ReconciliationStatus.REJECTED);
                m.confidence = 0;
                m.needsReview = true;
                m.rule = "treasurer-reject";
            }
            case MATCH -> {
                release(m);
                long expected = 0;
                for (TrackedPayout p : chosen) {
                    p.matchId = m.matchId;
                    Long v = rules.inAccountCurrency(p, c.currency);
                    expected += v == null ? p.netMinor : v;
                    work.touch(p);
                    if (p.depositAlertId != null) work.depositFound(p, m.decidedAt, c);
                }
                for (String doc : a.obligationIds) {
                    ObligationProgress o = work.store().obligation(doc);
                    if (o == null) {
                        o = new ObligationProgress();
                        o.documentId = doc;
                    }
                    o.paidBy = c.eventId;
                    o.paidAt = c.bookedAt;
                    work.store().putObligation(o);
                }
                m.payoutIds = a.payoutIds;
                m.obligationIds = a.obligationIds;
                m.status(ReconciliationStatus.MATCHED);
                m.differenceMinor = a.obligationIds.length == 0 ? c.amountMinor - expected : 0;
                m.confidence = 100;
                m.needsReview = false;
                m.rule = "treasurer-match";
            }
            case WRITE_OFF -> {
                m.status(ReconciliationStatus.WRITTEN_OFF);
                m.needsReview = false;
                m.rule = "treasurer-write-off: " + a.reason;
            }
        }
        work.save(m);
        if (c.amountMinor > 0 && c.unreconciledAlertId != null) {
            boolean open = m.isOpen();
            if (!open) {
                work.unreconciled(
                        c, AlertState.RESOLVED, m.decidedAt, "treasurer " + a.action.toLowerCase());
                c.unreconciledAlertId = null;
            }
        } else if (c.amountMinor > 0 && m.is(ReconciliationStatus.REJECTED)) {
            c.unreconciledAlertId = work.unreconciled(c, AlertState.FIRING, m.decidedAt, null);
        }
        work.touch(c);
    }

    /** Frees what a match held: its payouts settle nothing, its candidates are out of review. */
    private void release(Match m) {
        for (String id : m.payoutIds) {
            TrackedPayout p = work.payout(id);
            if (p == null) continue;
            if (m.matchId.equals(p.matchId)) p.matchId = null;
            p.reviewMatchIds = without(p.reviewMatchIds, m.matchId);
            work.touch(p);
        }
        for (String doc : m.obligationIds) {
            ObligationProgress o = work.store().obligation(doc);
            if (o != null && o.paidBy != null && o.paidBy.equals(m.bankEventIds[0])) {
                o.paidBy = null;
                o.paidAt = Long.MAX_VALUE;
                work.store().putObligation(o);
            }
        }
    }

    /** A payout called off (FAILED or CANCELLED) after a decision that counted on it. */
    /**
     * A payout FAILED or CANCELLED after a decision that names it: the decision loses it (a new
     * revision), and an ambiguous one with a single candidate left settles on it.
     */
    void calledOff(Match m, TrackedPayout p) {
        if (m == null || !Arrays.asList(m.payoutIds).contains(p.payoutId)) return;
        BankEntry c = work.credit(m.bankEventIds[0]);
        MatchingRules r = work.rulesAt(c.bookedAt);
        List<String> rest = new ArrayList<>(Arrays.asList(m.payoutIds));
        rest.remove(p.payoutId);
        boolean wasAmbiguous = m.is(ReconciliationStatus.AMBIGUOUS);
        m.revision++;
        m.decidedAt = p.failedAt;
        m.rule = "payout-called-off";
        if (wasAmbiguous) {
            p.reviewMatchIds = without(p.reviewMatchIds, m.matchId);
            List<TrackedPayout> left = new ArrayList<>();
            for (String id : rest) {
                TrackedPayout q = work.payout(id);
                if (q != null && q.matchId == null && q.failedAt > p.failedAt) left.add(q);
            }
            if (left.size() == 1) {
                TrackedPayout q = left.get(0);
                q.reviewMatchIds = without(q.reviewMatchIds, m.matchId);
                rules.settle(c, left, 85, "payout-called-off", r, m);
                q.matchId = m.matchId;
                work.touch(q);
            } else if (left.isEmpty()) {
                m.status(ReconciliationStatus.UNMATCHED);
                m.payoutIds = new String[0];
                m.needsReview = true;
            } else {
                m.payoutIds = left.stream().map(q -> q.payoutId).sorted().toArray(String[]::new);
            }
        } else {
            p.matchId = null;
            if (rest.isEmpty()) {
                m.status(ReconciliationStatus.UNMATCHED);
                m.payoutIds = new String[0];
                m.differenceMinor = c.amountMinor;
                m.confidence = 0;
                m.needsReview = true;
            } else {
                List<TrackedPayout> left = new ArrayList<>();
                for (String id : rest) left.add(work.payout(id));
                rules.settle(c, left, 80, "payout-called-off", r, m);
                m.needsReview = true;
            }
        }
        work.touch(p);
        work.save(m);
        if (m.is(ReconciliationStatus.UNMATCHED)) {
            c.unreconciledAlertId = work.unreconciled(c, AlertState.FIRING, m.decidedAt, null);
            work.touch(c);
        }
    }

    /** A payout announced after the window of the unmatched credit that named it. */
    void lateMatch(BankEntry c, TrackedPayout p, Match m, MatchingRules r) {
        m.revision++;
        m.decidedAt = p.firstSeenAt;
        rules.settle(c, List.of(p), 90, "reference-late-payout", r, m);
        p.matchId = m.matchId;
        work.touch(p);
        work.save(m);
        if (c.unreconciledAlertId != null) {
            work.unreconciled(
                    c,
                    AlertState.RESOLVED,
                    m.decidedAt,
                    "payout " + p.payoutId + " announced late");
            c.unreconciledAlertId = null;
        }
    }

    private static String[] without(String[] a, String s) {
        return Arrays.stream(a).filter(x -> !x.equals(s)).toArray(String[]::new);
    }
}
