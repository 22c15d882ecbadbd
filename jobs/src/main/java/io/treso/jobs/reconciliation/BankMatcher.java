package io.treso.jobs.reconciliation;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import io.treso.event.Severity;
import io.treso.event.StatementKind;
import io.treso.jobs.alert.Alerts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bank credits to payouts for one account, in plain Java.
 *
 * <p>Arrival order never decides a match. A credit is decided once the watermark has passed the end
 * of its window (so every payout that could settle it has been announced) and the account's
 * statements are complete up to its booking (so every earlier credit is known and decided first).
 * Only payouts announced by the decision time are candidates; a payout announced later, or called
 * off later, revises the decision as a new revision of the same match. Rules, strongest first: the
 * payout id in the reference (whole, or cut short), one payout of the exact amount, one payout
 * within the tolerance (converted when currencies differ), and several payouts of one PSP and store
 * summing to the credit. Candidates nothing tells apart give AMBIGUOUS, never a guess.
 */
public final class BankMatcher {
    /** Where decisions and alerts go. */
    public interface Sink {
        void record(ReconciliationRecord record);

        void alert(CashAlert alert);

        /** Receivables aging, one position per bucket. */
        void position(CashPosition position);
    }

    /** Asks the shell to call {@link #onTime} once the watermark reaches {@code time}. */
    public interface Wakeups {
        void at(long time);
    }

    public static final String MISSING_DEPOSIT = "MISSING_DEPOSIT";
    public static final String UNRECONCILED_BANK_LINE = "UNRECONCILED_BANK_LINE";
    public static final String PAYOUT_AMOUNT_MISMATCH = "PAYOUT_AMOUNT_MISMATCH";

    private static final long DAY = java.time.Duration.ofDays(1).toMillis();

    private final String account;
    private final MatchStore store;
    private final Collection<MatchingRules> rules;
    private final FxRates fx;
    private final ObligationMatcher obligations;
    private final BusinessCalendar calendar;
    private final int statementGraceDays;
    private final long endOfTime;
    private final Sink sink;
    private final Wakeups wakeups;
    private final CreditRules creditRules;
    private final CreditRules.Candidates candidates =
            new CreditRules.Candidates() {
                @Override
                public List<TrackedPayout> namable(String ref, long t) {
                    return BankMatcher.this.namable(ref, t);
                }

                @Override
                public List<TrackedPayout> inWindow(BankEntry c, MatchingRules r) {
                    return BankMatcher.this.inWindow(c, r);
                }
            };

    public BankMatcher(
            String account,
            MatchStore store,
            Collection<MatchingRules> rules,
            FxRates fx,
            Obligations obligations,
            BusinessCalendar calendar,
            Collection<BankCategories> categories,
            int statementGraceDays,
            long endOfTime,
            Sink sink,
            Wakeups wakeups) {
        this.account = account;
        this.store = store;
        this.rules = rules;
        this.fx = fx;
        this.obligations = new ObligationMatcher(account, store, obligations, calendar, sink);
        this.calendar = calendar;
        this.statementGraceDays = statementGraceDays;
        this.endOfTime = endOfTime;
        this.sink = sink;
        this.wakeups = wakeups;
        this.creditRules =
                new CreditRules(
                        account,
                        fx,
                        categories,
                        new CreditRules.Receivables() {
                            @Override
                            public boolean byReference(BankEntry c, MatchingRules r, Match m) {
                                return BankMatcher.this.obligations.receivableByReference(c, r, m);
                            }

                            @Override
                            public boolean byAmount(BankEntry c, MatchingRules r, Match m) {
                                return BankMatcher.this.obligations.receivableByAmount(c, r, m);
                            }
                        });
    }

    // ---- inputs ----

    public void onPayout(PayoutFacts f) {
        TrackedPayout p = payout(f.payoutId);
        boolean isNew = p == null || p.firstEventId == null; // a line break may come first
        if (p == null) {
            p = new TrackedPayout();
            p.payoutId = f.payoutId;
        }
        if (p.firstEventId == null) p.firstEventId = f.eventId;
        if (f.occurredAt >= p.lastEventAt) {
            p.lastEventAt = f.occurredAt;
            p.psp = f.psp;
            p.storeId = f.storeId;
            p.currency = f.currency;
            p.netMinor = f.netMinor;
            p.arrivalDay = f.arrivalDay;
            p.descriptor = f.descriptor;
            p.normalisedDescriptor = References.normalise(f.descriptor);
            p.settles = f.settles;
        }
        if (f.occurredAt < p.firstSeenAt) {
            p.firstSeenAt = f.occurredAt;
            p.firstEventId = f.eventId;
        }
        MatchingRules r = rulesAt(f.occurredAt);
        if ("PAID".equals(f.status) && f.occurredAt < p.paidAt) {
            p.paidAt = f.occurredAt;
            p.paidEventId = f.eventId;
            p.depositDeadline =
                    startOf(
                            calendar.plusBusinessDays(
                                    LocalDate.ofEpochDay(p.arrivalDay),
                                    r.depositGraceBusinessDays + 1));
            wakeups.at(p.depositDeadline);
        }
        boolean newlyFailed = f.isCalledOff() && f.occurredAt < p.failedAt;
        if (newlyFailed) {
            p.failedAt = f.occurredAt;
            p.failedEventId = f.eventId;
        }
        boolean broken =
                Math.abs(f.ownDifference) > r.roundingMinor
                        || Math.abs(f.linesDifference) > r.roundingMinor
                        || f.brokenLineIds.length > 0;
        if (broken && f.occurredAt <= p.identityBreakAt) {
            p.identityBreakAt = f.occurredAt;
            p.identityEventId = f.eventId;
            p.identityOwnDifference = f.ownDifference;
            p.identityLinesDifference = f.linesDifference;
            for (String id : f.brokenLineIds) {
                if (!Arrays.asList(p.brokenLineIds).contains(id)) {
                    p.brokenLineIds = append(p.brokenLineIds, id);
                }
            }
            wakeups.at(p.identityBreakAt);
            pendIdentity(p);
        }
        touch(p);
        if (newlyFailed && (p.matchId != null || p.reviewMatchIds.length > 0)) {
            Match m = store.match(p.matchId != null ? p.matchId : p.reviewMatchIds[0]);
            if (m != null && m.decidedAt < p.failedAt) {
                calledOff(m, p);
            }
        }
        if (isNew) {
            lateAnnouncement(p);
            if (p.failedAt == Long.MAX_VALUE && p.matchId == null) {
                // A credit that already names it may be decided now.
                loadAll();
                List<BankEntry> waiting = new ArrayList<>();
                for (BankEntry c : creditCache.values()) {
                    if (!c.decided && c.amountMinor > 0 && namedBy(c, p, rulesAt(c.bookedAt))) {
                        waiting.add(c);
                    }
                }
                waiting.sort(
                        Comparator.comparingLong((BankEntry c) -> c.bookedAt)
                                .thenComparing(c -> c.eventId));
                for (BankEntry c : waiting) if (decideEarly(c)) break;
            }
        }
        flush();
    }

    /** The prefix of an account's daily cash flow by category: {@code flow:<account>:<cat>}. */
    public static final String FLOW = "flow:";

    /**
     * Counts a bank line once, at its first decision, in its UTC booking day's flow of its category
     * (UNCATEGORISED when nothing gives one).
     */
    private void flow(BankEntry e, String category) {
        MatchingProgress pr = progress();
        long day = Math.floorDiv(e.bookedAt, DAY);
        String cat = category == null ? "UNCATEGORISED" : category;
        for (MatchingProgress.DayFlow f : pr.flows) {
            if (f.day == day && f.category.equals(cat)) {
                f.sumMinor = Math.addExact(f.sumMinor, e.amountMinor);
                store.saveProgress(pr);
                return;
            }
        }
        MatchingProgress.DayFlow f = new MatchingProgress.DayFlow();
        f.day = day;
        f.category = cat;
        f.sumMinor = e.amountMinor;
        pr.flows = Arrays.copyOf(pr.flows, pr.flows.length + 1);
        pr.flows[pr.flows.length - 1] = f;
        store.saveProgress(pr);
    }

    /**
     * At midnight, once every line booked before it is decided: each earlier day's flow by
     * category, as a position dated that midnight (its balance is the day's net flow).
     */
    private void reportFlows(MatchingProgress pr, long midnight) {
        // Lines decided in this pass were saved in a fresher copy of the progress.
        MatchingProgress saved = progress();
        pr.flows = saved.flows;
        List<MatchingProgress.DayFlow> kept = new ArrayList<>(), due = new ArrayList<>();
        for (MatchingProgress.DayFlow f : pr.flows) {
            (f.day < Math.floorDiv(midnight, DAY) ? due : kept).add(f);
        }
        due.sort(
                Comparator.comparingLong((MatchingProgress.DayFlow f) -> f.day)
                        .thenComparing(f -> f.category));
        for (MatchingProgress.DayFlow f : due) {
            sink.position(
                    CashPosition.newBuilder()
                            .setScope(FLOW + account + ":" + f.category)
                            .setCurrency(pr.currency)
                            .setBalanceMinor(f.sumMinor)
                            .setBankReportedBalanceMinor(null)
                            .setInTransitMinor(0)
                            .setInTransitEstimated(false)
                            .setAsOf(Instant.ofEpochMilli((f.day + 1) * DAY))
                            .build());
        }
        pr.flows = kept.toArray(new MatchingProgress.DayFlow[0]);
        store.saveProgress(pr); // decisions after this midnight add to what is left
    }

    /** Remembers a payout whose identity alert waits for the watermark, settled or not. */
    private void pendIdentity(TrackedPayout p) {
        if (p.identityAlerted) return;
        MatchingProgress pr = progress();
        if (Arrays.asList(pr.identityPending).contains(p.payoutId)) return;
        pr.identityPending = append(pr.identityPending, p.payoutId);
        store.saveProgress(pr);
    }

    /** A payout line that disagrees with its order: part of the payout's identity evidence. */
    public void onLineBreak(LineBreak b) {
        TrackedPayout p = payout(b.payoutId);
        if (p == null) {
            p = new TrackedPayout();
            p.payoutId = b.payoutId;
        }
        if (!Arrays.asList(p.brokenLineIds).contains(b.sourceId)) {
            p.brokenLineIds = append(p.brokenLineIds, b.sourceId);
            p.brokenLines++;
        }
        if (b.payoutAt < p.identityBreakAt) {
            p.identityBreakAt = b.payoutAt;
            p.identityEventId = b.payoutEventId;
        }
        touch(p);
        wakeups.at(p.identityBreakAt);
        pendIdentity(p);
        flush();
    }

    public void onBankLine(BankTransaction tx, long watermark) {
        if (tx.getStatus() != BankEntryStatus.BOOKED) {
            return; // Only booked entries settle payouts; the booked one supersedes it.
        }
        long bookedAt = tx.getBookedAt().toEpochMilli();
        if (!store.firstSighting(tx.getEventId(), bookedAt)) {
            return;
        }
        if (tx.getStatementId() != null) {
            CoverageTally t = tally(tx.getStatementId());
            t.linesSeen++;
            store.putTally(t);
        }
        knowCurrency(tx.getCurrency());
        if (tx.getAmountMinor() != 0) {
            LocalDate day = calendar.dateOf(tx.getBookedAt());
            BankEntry c = BankEntry.of(tx, day.toEpochDay());
            // A credit waits for its payout window; a debit only for its own day's payables.
            c.decideAt =
                    tx.getAmountMinor() > 0
                            ? startOf(
                                    calendar.plusBusinessDays(
                                            day, rulesAt(bookedAt).windowBusinessDays + 1))
                            : startOf(day.plusDays(1));
            touch(c);
            wakeups.at(c.decideAt);
            if (c.amountMinor > 0) decideEarly(c);
        }
        if (advanceCoverage()) {
            process(watermark);
        }
        flush();
    }

    public void onStatement(BankStatement s, long watermark) {
        if (s.getKind() != StatementKind.END_OF_DAY) {
            return; // Intraday and export statements do not close a period in sequence.
        }
        CoverageTally t = tally(s.getStatementId());
        if (t.received) {
            return;
        }
        t.received = true;
        knowCurrency(s.getCurrency());
        t.sequence = s.getSequence();
        t.periodStart = s.getPeriodStart().toEpochMilli();
        t.periodEnd = s.getPeriodEnd().toEpochMilli();
        t.entryCount = s.getEntryCount();
        MatchingProgress pr = progress();
        pr.bankTime = Math.max(pr.bankTime, t.periodEnd);
        store.saveProgress(pr);
        if (pr.nextSequence >= 0 && t.sequence < pr.nextSequence) {
            store.removeTally(t.statementId); // An old statement, arriving after its successors.
        } else {
            store.putTally(t);
        }
        if (advanceCoverage()) {
            process(watermark);
        }
        flush();
    }

    /** The watermark reached a time this account asked for. */
    public void onTime(long watermark) {
        process(watermark);
        flush();
    }

    /**
     * A treasurer's action. It waits for its effective time (or applies from the watermark when
     * that is already past: the one documented case where arrival decides) and for its match.
     */
    public void onAction(io.treso.event.ControlCommand command, long watermark) {
        MatchAction a = MatchAction.of(command).orElse(null);
        if (a == null) return;
        a.effectiveAt = Math.max(a.effectiveAt, watermark);
        store.putAction(a);
        wakeups.at(a.effectiveAt);
        process(watermark);
        flush();
    }

    // ---- a working copy of the state touched by one input ----

    private final Map<String, TrackedPayout> payoutCache = new LinkedHashMap<>();
    private final Set<String> dirtyPayouts = new LinkedHashSet<>();
    private final Map<String, BankEntry> creditCache = new LinkedHashMap<>();
    private final Set<String> dirtyCredits = new LinkedHashSet<>();
    private boolean allLoaded;
    private Map<String, List<TrackedPayout>> byIdPrefix;
    private Map<String, List<TrackedPayout>> byDescriptorPrefix;

    private TrackedPayout payout(String id) {
        TrackedPayout p = payoutCache.get(id);
        if (p == null) { // after loadAll, only settled payouts are not in the cache
            p = store.payout(id);
            if (p != null) payoutCache.put(id, p);
        }
        return p;
    }

    private BankEntry credit(String id) {
        BankEntry c = creditCache.get(id);
        if (c == null) { // after loadAll, only decided lines are not in the cache
            c = store.credit(id);
            if (c != null) creditCache.put(id, c);
        }
        return c;
    }

    private void loadAll() {
        if (allLoaded) return;
        for (TrackedPayout p : store.payouts()) payoutCache.putIfAbsent(p.payoutId, p);
        for (BankEntry c : store.credits()) creditCache.putIfAbsent(c.eventId, c);
        allLoaded = true;
    }

    private void touch(TrackedPayout p) {
        payoutCache.put(p.payoutId, p);
        dirtyPayouts.add(p.payoutId);
    }

    private void touch(BankEntry c) {
        creditCache.put(c.eventId, c);
        dirtyCredits.add(c.eventId);
    }

    private void flush() {
        for (String id : dirtyPayouts) store.putPayout(payoutCache.get(id));
        for (String id : dirtyCredits) store.putCredit(creditCache.get(id));
        payoutCache.clear();
        creditCache.clear();
        dirtyPayouts.clear();
        dirtyCredits.clear();
        allLoaded = false;
        byIdPrefix = null;
        byDescriptorPrefix = null;
    }

    // ---- coverage ----

    private CoverageTally tally(String statementId) {
        CoverageTally t = store.tally(statementId);
        if (t == null) {
            t = new CoverageTally();
            t.statementId = statementId;
        }
        return t;
    }

    private boolean advanceCoverage() {
        MatchingProgress pr = progress();
        boolean advanced = false;
        while (true) {
            List<CoverageTally> received = new ArrayList<>();
            for (CoverageTally t : store.tallies()) if (t.received) received.add(t);
            if (received.isEmpty()) break;
            if (pr.nextSequence < 0) {
                pr.nextSequence = received.stream().mapToLong(t -> t.sequence).min().getAsLong();
            }
            CoverageTally next = null, after = null;
            for (CoverageTally t : received) {
                if (t.sequence == pr.nextSequence) next = t;
                else if (t.sequence > pr.nextSequence
                        && (after == null || t.sequence < after.sequence)) after = t;
            }
            if (next != null) {
                boolean complete = next.linesSeen >= next.entryCount;
                if (!complete && pr.bankTime < givenUpAt(next.periodEnd)) break;
                pr.coverage = Math.max(pr.coverage, next.periodEnd);
                pr.nextSequence++;
                store.removeTally(next.statementId);
                advanced = true;
            } else if (after != null && pr.bankTime >= givenUpAt(after.periodEnd)) {
                // A statement in the sequence never came, and the grace has passed after the one
                // that followed it: skip the gap rather than wait for ever.
                pr.nextSequence = after.sequence;
            } else {
                break;
            }
        }
        store.saveProgress(pr);
        return advanced;
    }

    private long givenUpAt(long periodEnd) {
        return startOf(
                calendar.plusBusinessDays(
                        calendar.dateOf(Instant.ofEpochMilli(periodEnd)), statementGraceDays));
    }

    private void knowCurrency(String currency) {
        MatchingProgress pr = progress();
        if (!currency.equals(pr.currency)) {
            pr.currency = currency;
            store.saveProgress(pr);
        }
    }

    private MatchingProgress progress() {
        MatchingProgress p = store.progress();
        return p == null ? new MatchingProgress() : p;
    }

    // ---- decisions in time order ----

    /** A deadline that waits for the statements: a payout's deposit, or a receivable's due date. */
    private record Deadline(long at, TrackedPayout payout, ObligationFacts receivable) {}

    private void process(long watermark) {
        long w = Math.min(watermark, endOfTime); // Past the input's end: decide nothing.
        MatchingProgress pr = progress();
        loadAll();
        List<String> stillPending = new ArrayList<>();
        List<TrackedPayout> due = new ArrayList<>();
        for (String id : pr.identityPending) {
            TrackedPayout p = payout(id);
            if (p == null || p.identityAlerted) continue;
            if (p.currency != null && p.identityBreakAt != Long.MAX_VALUE && p.identityBreakAt <= w)
                due.add(p);
            else stillPending.add(id);
        }
        for (TrackedPayout p : payoutCache.values()) { // open ones, pending or not (older state)
            if (!p.identityAlerted
                    && p.currency != null
                    && p.identityBreakAt != Long.MAX_VALUE
                    && p.identityBreakAt <= w
                    && !due.contains(p)) due.add(p);
        }
        due.sort(
                Comparator.comparingLong((TrackedPayout p) -> p.identityBreakAt)
                        .thenComparing(p -> p.payoutId));
        for (TrackedPayout p : due) {
            identityAlert(p);
            p.identityAlerted = true;
            touch(p);
        }
        pr.identityPending = stillPending.toArray(new String[0]);
        List<BankEntry> credits = new ArrayList<>(), debits = new ArrayList<>();
        for (BankEntry c : creditCache.values()) {
            if (c.decided || c.bookedAt > pr.coverage) continue;
            (c.amountMinor > 0 ? credits : debits).add(c);
        }
        Comparator<BankEntry> booking =
                Comparator.comparingLong((BankEntry c) -> c.bookedAt).thenComparing(c -> c.eventId);
        credits.sort(booking);
        debits.sort(booking);
        for (BankEntry d : debits) {
            if (d.decideAt > w) break;
            decideDebit(d);
        }
        MatchingRules r = rulesAt(Math.min(pr.coverage, w));
        List<Deadline> deadlines = new ArrayList<>();
        for (TrackedPayout p : payoutCache.values()) {
            if (!p.depositChecked && p.depositDeadline <= pr.coverage) {
                deadlines.add(new Deadline(p.depositDeadline, p, null));
            }
        }
        for (var e : obligations.overdueDeadlines(pr.currency, r)) {
            if (e.getKey() <= pr.coverage)
                deadlines.add(new Deadline(e.getKey(), null, e.getValue()));
        }
        deadlines.sort(
                Comparator.comparingLong(Deadline::at)
                        .thenComparing(
                                d ->
                                        d.payout() != null
                                                ? d.payout().payoutId
                                                : d.receivable().documentId));
        if (pr.agedThrough == Long.MIN_VALUE && pr.coverage != Long.MIN_VALUE) {
            pr.agedThrough = Math.floorDiv(pr.coverage, DAY) * DAY - DAY;
        }
        int i = 0, j = 0;
        while (true) {
            BankEntry c = i < credits.size() ? credits.get(i) : null;
            Deadline d = j < deadlines.size() ? deadlines.get(j) : null;
            long tick = pr.agedThrough + DAY;
            long next =
                    Math.min(
                            c != null ? c.bookedAt : Long.MAX_VALUE,
                            d != null ? d.at() : Long.MAX_VALUE);
            if (tick <= next && tick <= pr.coverage && tick <= w && pr.currency != null) {
                // Every credit booked before midnight is decided: report receivables aging.
                if (rulesAt(tick).collectsReceivables) {
                    obligations.aging(tick, pr.currency).forEach(sink::position);
                }
                reportFlows(pr, tick);
                pr.agedThrough = tick;
                continue;
            }
            if (c != null && (d == null || c.bookedAt <= d.at())) {
                if (c.decideAt > w) break;
                decide(c);
                i++;
            } else if (d != null) {
                if (d.at() > w) break;
                if (d.payout() != null) {
                    checkDeposit(d.payout());
                    touch(d.payout());
                } else {
                    obligations.checkOverdue(d.receivable(), d.at());
                }
                j++;
            } else {
                break;
            }
        }
        pr.flows = progress().flows; // decisions of this pass counted theirs in the store
        store.saveProgress(pr);
        applyActions(w);
    }

    private void applyActions(long w) {
        List<MatchAction> due = new ArrayList<>();
        for (MatchAction a : store.pendingActions()) if (a.effectiveAt <= w) due.add(a);
        due.sort(
                Comparator.comparingLong((MatchAction a) -> a.effectiveAt)
                        .thenComparingLong(a -> a.version)
                        .thenComparing(a -> a.eventId));
        for (MatchAction a : due) {
            Match m = store.match(a.matchId);
            if (m == null) continue; // Not decided yet: the action waits for it.
            store.removeAction(a.eventId);
            act(a, m);
        }
    }

    private void act(MatchAction a, Match m) {
        BankEntry c = credit(m.bankEventIds[0]);
        if (c == null) return; // Cleaned up after the retention: nothing left to act on.
        List<TrackedPayout> chosen = new ArrayList<>();
        if (a.kind() == MatchAction.Kind.MATCH) {
            for (String id : a.payoutIds) {
                TrackedPayout p = payout(id);
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
                    Long v = creditRules.inAccountCurrency(p, c.currency);
                    expected += v == null ? p.netMinor : v;
                    touch(p);
                    if (p.depositAlertId != null) depositFound(p, m.decidedAt, c);
                }
                for (String doc : a.obligationIds) {
                    ObligationProgress o = store.obligation(doc);
                    if (o == null) {
                        o = new ObligationProgress();
                        o.documentId = doc;
                    }
                    o.paidBy = c.eventId;
                    o.paidAt = c.bookedAt;
                    store.putObligation(o);
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
        saveMatch(m);
        sink.record(m.toRecord());
        if (c.amountMinor > 0 && c.unreconciledAlertId != null) {
            boolean open = m.isOpen();
            if (!open) {
                unreconciled(
                        c, AlertState.RESOLVED, m.decidedAt, "treasurer " + a.action.toLowerCase());
                c.unreconciledAlertId = null;
            }
        } else if (c.amountMinor > 0 && m.is(ReconciliationStatus.REJECTED)) {
            c.unreconciledAlertId = unreconciled(c, AlertState.FIRING, m.decidedAt, null);
        }
        touch(c);
    }

    /** Frees what a match held: its payouts settle nothing, its candidates are out of review. */
    private void release(Match m) {
        for (String id : m.payoutIds) {
            TrackedPayout p = payout(id);
            if (p == null) continue;
            if (m.matchId.equals(p.matchId)) p.matchId = null;
            p.reviewMatchIds = remove(p.reviewMatchIds, m.matchId);
            touch(p);
        }
        for (String doc : m.obligationIds) {
            ObligationProgress o = store.obligation(doc);
            if (o != null && o.paidBy != null && o.paidBy.equals(m.bankEventIds[0])) {
                o.paidBy = null;
                o.paidAt = Long.MAX_VALUE;
                store.putObligation(o);
            }
        }
    }

    private void depositFound(TrackedPayout p, long at, BankEntry c) {
        sink.alert(
                Alerts.alert(
                                p.depositAlertId,
                                MISSING_DEPOSIT,
                                AlertLifecycle.STATEFUL,
                                Severity.CRITICAL,
                                AlertState.RESOLVED,
                                p.payoutId,
                                Instant.ofEpochMilli(at),
                                String.format(
                                        "Payout %s is matched to the credit of %s booked %s.",
                                        p.payoutId,
                                        Alerts.money(c.amountMinor, c.currency),
                                        LocalDate.ofEpochDay(c.bookedDay)))
                        .setObservedValue(Alerts.decimal(p.netMinor, p.currency))
                        .setUnit(p.currency)
                        .setEvidenceEventIds(List.of(p.paidEventId, c.eventId))
                        .build());
        p.depositAlertId = null;
    }

    private void decideDebit(BankEntry d) {
        Match m = newMatch(d);
        BankCategories.Categorised cat = creditRules.categorise(d);
        if (obligations.debit(d, rulesAt(d.bookedAt), m)) {
            saveMatch(m);
            sink.record(m.toRecord());
        } else if (cat != null) {
            CreditRules.categorised(d, cat, m);
            saveMatch(m);
            sink.record(m.toRecord());
        }
        flow(d, m.category);
        d.decided = true;
        d.matchId = m.matchId;
        touch(d);
    }

    private Match newMatch(BankEntry e) {
        Match m = new Match();
        m.matchId = Match.idFor(e.eventId);
        m.revision = 1;
        m.decidedAt = e.decideAt;
        m.bankEventIds = new String[] {e.eventId};
        m.currency = e.currency;
        m.bookedAt = e.bookedAt;
        m.counterparty = e.counterparty;
        m.reference = e.reference;
        m.accountId = account;
        m.amountMinor = e.amountMinor;
        return m;
    }

    private void checkDeposit(TrackedPayout p) {
        p.depositChecked = true;
        long x = p.depositDeadline;
        if (p.matchId != null || p.reviewMatchIds.length > 0 || p.failedAt <= x || p.paidAt > x) {
            return;
        }
        p.depositAlertId = Alerts.id(MISSING_DEPOSIT, p.payoutId, Instant.ofEpochMilli(x));
        sink.alert(
                Alerts.alert(
                                p.depositAlertId,
                                MISSING_DEPOSIT,
                                AlertLifecycle.STATEFUL,
                                Severity.CRITICAL,
                                AlertState.FIRING,
                                p.payoutId,
                                Instant.ofEpochMilli(x),
                                String.format(
                                        "Payout %s (%s, %s) of %s was PAID for %s; no credit on %s"
                                                + " in the statements through %s.",
                                        p.payoutId,
                                        p.psp,
                                        p.storeId,
                                        Alerts.money(p.netMinor, p.currency),
                                        LocalDate.ofEpochDay(p.arrivalDay),
                                        Alerts.mask(account),
                                        calendar.dateOf(Instant.ofEpochMilli(x - 1))))
                        .setObservedValue(Alerts.decimal(p.netMinor, p.currency))
                        .setUnit(p.currency)
                        .setWindowEnd(Instant.ofEpochMilli(x))
                        .setEvidenceEventIds(List.of(p.paidEventId))
                        .build());
    }

    private void identityAlert(TrackedPayout p) {
        String alertId =
                Alerts.id(
                        PAYOUT_AMOUNT_MISMATCH,
                        p.payoutId,
                        Instant.ofEpochMilli(p.identityBreakAt));
        List<String> evidence = new ArrayList<>();
        evidence.add(p.identityEventId);
        evidence.addAll(Arrays.asList(p.brokenLineIds));
        String what =
                p.identityOwnDifference != 0
                        ? "gross − fees − refunds + adjustments is "
                                + Alerts.money(p.netMinor + p.identityOwnDifference, p.currency)
                        : p.identityLinesDifference != 0
                                ? "its lines sum to "
                                        + Alerts.money(
                                                p.netMinor + p.identityLinesDifference, p.currency)
                                : p.brokenLines
                                        + " of its lines disagree with the orders Treso saw";
        sink.alert(
                Alerts.alert(
                                alertId,
                                PAYOUT_AMOUNT_MISMATCH,
                                AlertLifecycle.ONE_SHOT,
                                Severity.WARNING,
                                AlertState.FIRING,
                                p.payoutId,
                                Instant.ofEpochMilli(p.identityBreakAt),
                                String.format(
                                        "Payout %s (%s, %s) reports a net of %s but %s%s.",
                                        p.payoutId,
                                        p.psp,
                                        p.storeId,
                                        Alerts.money(p.netMinor, p.currency),
                                        what,
                                        p.brokenLineIds.length == 0
                                                ? ""
                                                : "; lines that do not add up: "
                                                        + String.join(", ", p.brokenLineIds)))
                        .setObservedValue(Alerts.decimal(p.netMinor, p.currency))
                        .setThresholdValue(
                                Alerts.decimal(
                                        p.netMinor
                                                + (p.identityOwnDifference != 0
                                                        ? p.identityOwnDifference
                                                        : p.identityLinesDifference),
                                        p.currency))
                        .setUnit(p.currency)
                        .setEvidenceEventIds(evidence)
                        .build());
    }

    // ---- one credit ----

    private void decide(BankEntry c) {
        long t = c.decideAt;
        MatchingRules r = rulesAt(c.bookedAt);
        Match m = newMatch(c);
        creditRules.decide(c, candidates, r, m);
        flow(c, m.category);
        c.decided = true;
        c.matchId = m.matchId;
        apply(m, c);
        if (m.is(ReconciliationStatus.UNMATCHED)) {
            // A payout announced after the window, already read: the same revision the live path
            // makes when it arrives later.
            TrackedPayout late = null;
            for (TrackedPayout p : payoutCache.values()) {
                if (p.matchId == null
                        && p.firstSeenAt > t
                        && p.failedAt == Long.MAX_VALUE
                        && namedBy(c, p, r)
                        && (late == null || p.firstSeenAt < late.firstSeenAt)) late = p;
            }
            if (late != null) {
                lateMatch(c, late, m, r);
            }
        }
        touch(c);
    }

    /**
     * Decides a credit as soon as the evidence is decisive, without waiting for its window or its
     * statement: its reference names exactly one announced payout (whole, or cut short and fitting
     * only one) in the account's currency, and its amount is that payout's net. Nothing that comes
     * later can change that answer, and {@code decided_at} is the later of the two events' times,
     * so the record is the same whichever side arrived first. Everything else waits.
     */
    private boolean decideEarly(BankEntry c) {
        if (c.decided) return false;
        loadAll();
        Match m = newMatch(c);
        TrackedPayout p = creditRules.decisive(c, candidates, rulesAt(c.bookedAt), m);
        if (p == null) return false;
        m.decidedAt = Math.max(c.bookedAt, p.firstSeenAt);
        flow(c, m.category);
        c.decided = true;
        c.matchId = m.matchId;
        apply(m, c);
        touch(c);
        return true;
    }

    /**
     * The live payouts a reference could name, from an index on the first letters of ids and
     * descriptors: the rule then checks a handful, not every open payout (a scan per credit grew
     * with the number of stores).
     */
    private List<TrackedPayout> namable(String ref, long t) {
        if (byIdPrefix == null) {
            byIdPrefix = new HashMap<>();
            byDescriptorPrefix = new HashMap<>();
            for (TrackedPayout p : payoutCache.values()) {
                if (p.referenceId().length() >= References.PREFIX) {
                    byIdPrefix
                            .computeIfAbsent(
                                    p.referenceId().substring(0, References.PREFIX),
                                    k -> new ArrayList<>())
                            .add(p);
                }
                if (p.referenceDescriptor().length() >= References.PREFIX) {
                    byDescriptorPrefix
                            .computeIfAbsent(
                                    p.referenceDescriptor().substring(0, References.PREFIX),
                                    k -> new ArrayList<>())
                            .add(p);
                }
            }
        }
        Set<TrackedPayout> found = new LinkedHashSet<>();
        for (int i = 0; i + References.PREFIX <= ref.length(); i++) {
            String key = ref.substring(i, i + References.PREFIX);
            found.addAll(byIdPrefix.getOrDefault(key, List.of()));
            if (i == 0) found.addAll(byDescriptorPrefix.getOrDefault(key, List.of()));
        }
        List<TrackedPayout> live = new ArrayList<>();
        for (TrackedPayout p : found) if (p.matchId == null && p.liveAt(t)) live.add(p);
        live.sort(Comparator.comparing(p -> p.payoutId));
        return live;
    }

    /**
     * The open payouts arriving within the window of the credit's booking, by payout id. Only
     * credits no reference settles get here: sorting every open payout for each credit was the bank
     * matcher's main cost.
     */
    private List<TrackedPayout> inWindow(BankEntry c, MatchingRules r) {
        LocalDate booked = LocalDate.ofEpochDay(c.bookedDay);
        List<TrackedPayout> in = new ArrayList<>();
        for (TrackedPayout p : payoutCache.values()) {
            if (p.matchId != null || !p.liveAt(c.decideAt)) continue;
            int d = calendar.businessDaysBetween(LocalDate.ofEpochDay(p.arrivalDay), booked);
            if (Math.abs(d) <= r.windowBusinessDays) in.add(p);
        }
        in.sort(Comparator.comparing(p -> p.payoutId));
        return in;
    }

    /** Records the decision, links its payouts, and applies later facts already read. */
    private void apply(Match m, BankEntry c) {
        saveMatch(m);
        sink.record(m.toRecord());
        List<TrackedPayout> involved = new ArrayList<>();
        for (String id : m.payoutIds) involved.add(payout(id));
        for (TrackedPayout p : involved) {
            if (m.is(ReconciliationStatus.AMBIGUOUS)) {
                p.reviewMatchIds = append(p.reviewMatchIds, m.matchId);
            } else {
                p.matchId = m.matchId;
            }
            touch(p);
        }
        if (m.is(ReconciliationStatus.UNMATCHED)) {
            c.unreconciledAlertId = unreconciled(c, AlertState.FIRING, m.decidedAt, null);
        }
        // Called off after the decision but already read: revise now, as the live path would.
        involved.sort(Comparator.comparingLong(p -> p.failedAt));
        for (TrackedPayout p : involved) {
            if (p.failedAt != Long.MAX_VALUE && p.failedAt > m.decidedAt) {
                calledOff(store.match(m.matchId), p);
            }
        }
    }

    private String unreconciled(BankEntry c, AlertState state, long at, String why) {
        String alertId =
                c.unreconciledAlertId != null
                        ? c.unreconciledAlertId
                        : Alerts.id(UNRECONCILED_BANK_LINE, c.eventId, Instant.ofEpochMilli(at));
        String message =
                state == AlertState.FIRING
                        ? String.format(
                                "Credit of %s on %s booked %s (reference '%s', from %s) matches no"
                                        + " payout; review it or match it by hand.",
                                Alerts.money(c.amountMinor, c.currency),
                                Alerts.mask(account),
                                LocalDate.ofEpochDay(c.bookedDay),
                                c.reference == null ? "" : c.reference,
                                c.counterparty == null ? "unknown" : c.counterparty)
                        : String.format(
                                "Credit of %s on %s booked %s is now reconciled: %s.",
                                Alerts.money(c.amountMinor, c.currency),
                                Alerts.mask(account),
                                LocalDate.ofEpochDay(c.bookedDay),
                                why);
        sink.alert(
                Alerts.alert(
                                alertId,
                                UNRECONCILED_BANK_LINE,
                                AlertLifecycle.STATEFUL,
                                Severity.WARNING,
                                state,
                                c.eventId,
                                Instant.ofEpochMilli(at),
                                message)
                        .setObservedValue(Alerts.decimal(c.amountMinor, c.currency))
                        .setUnit(c.currency)
                        .setEvidenceEventIds(List.of(c.eventId))
                        .build());
        return alertId;
    }

    // ---- later facts ----

    /** A payout called off (FAILED or CANCELLED) after a decision that counted on it. */
    private void calledOff(Match m, TrackedPayout p) {
        if (m == null || !Arrays.asList(m.payoutIds).contains(p.payoutId)) return;
        BankEntry c = credit(m.bankEventIds[0]);
        MatchingRules r = rulesAt(c.bookedAt);
        List<String> rest = new ArrayList<>(Arrays.asList(m.payoutIds));
        rest.remove(p.payoutId);
        boolean wasAmbiguous = m.is(ReconciliationStatus.AMBIGUOUS);
        m.revision++;
        m.decidedAt = p.failedAt;
        m.rule = "payout-called-off";
        if (wasAmbiguous) {
            p.reviewMatchIds = remove(p.reviewMatchIds, m.matchId);
            List<TrackedPayout> left = new ArrayList<>();
            for (String id : rest) {
                TrackedPayout q = payout(id);
                if (q != null && q.matchId == null && q.failedAt > p.failedAt) left.add(q);
            }
            if (left.size() == 1) {
                TrackedPayout q = left.get(0);
                q.reviewMatchIds = remove(q.reviewMatchIds, m.matchId);
                creditRules.settle(c, left, 85, "payout-called-off", r, m);
                q.matchId = m.matchId;
                touch(q);
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
                for (String id : rest) left.add(payout(id));
                creditRules.settle(c, left, 80, "payout-called-off", r, m);
                m.needsReview = true;
            }
        }
        touch(p);
        saveMatch(m);
        sink.record(m.toRecord());
        if (m.is(ReconciliationStatus.UNMATCHED)) {
            c.unreconciledAlertId = unreconciled(c, AlertState.FIRING, m.decidedAt, null);
            touch(c);
        }
    }

    private void saveMatch(Match m) {
        store.putMatch(m);
        store.indexUnmatched(
                m.bankEventIds[0],
                m.is(ReconciliationStatus.UNMATCHED) && m.obligationIds.length == 0);
    }

    /** A new payout may be the one an unmatched credit named, announced after its window. */
    private void lateAnnouncement(TrackedPayout p) {
        if (p.failedAt != Long.MAX_VALUE) return;
        BankEntry best = null;
        for (String id : store.unmatchedCredits()) {
            BankEntry c = credit(id);
            if (c == null || !c.decided || c.decideAt >= p.firstSeenAt) continue;
            Match m = store.match(c.matchId);
            if (m == null || !m.is(ReconciliationStatus.UNMATCHED)) continue;
            if (!namedBy(c, p, rulesAt(c.bookedAt))) continue;
            if (best == null || c.bookedAt < best.bookedAt) best = c;
        }
        if (best != null) {
            Match m = store.match(best.matchId);
            lateMatch(best, p, m, rulesAt(best.bookedAt));
            touch(best);
        }
    }

    private boolean namedBy(BankEntry c, TrackedPayout p, MatchingRules r) {
        String ref = References.normalise(c.reference);
        String id = p.referenceId();
        return References.names(ref, id)
                || References.truncates(ref, id, p.referenceDescriptor(), r.minReferenceLength);
    }

    private void lateMatch(BankEntry c, TrackedPayout p, Match m, MatchingRules r) {
        m.revision++;
        m.decidedAt = p.firstSeenAt;
        creditRules.settle(c, List.of(p), 90, "reference-late-payout", r, m);
        p.matchId = m.matchId;
        touch(p);
        saveMatch(m);
        sink.record(m.toRecord());
        if (c.unreconciledAlertId != null) {
            unreconciled(
                    c,
                    AlertState.RESOLVED,
                    m.decidedAt,
                    "payout " + p.payoutId + " announced late");
            c.unreconciledAlertId = null;
        }
    }

    // ---- helpers ----

    private MatchingRules rulesAt(long time) {
        return MatchingRules.inForce(rules, account, time);
    }

    private long startOf(LocalDate day) {
        return calendar.startOf(day).toEpochMilli();
    }

    private static String[] append(String[] a, String s) {
        String[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    private static String[] remove(String[] a, String s) {
        return Arrays.stream(a).filter(x -> !x.equals(s)).toArray(String[]::new);
    }
}
