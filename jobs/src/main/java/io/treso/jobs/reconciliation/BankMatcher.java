package io.treso.jobs.reconciliation;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.AlertState;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
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
 * Bank lines of one account against payouts, payables and receivables, in plain Java: when each
 * line is decided, and what follows a decision.
 *
 * <p>Arrival order never decides a match. A credit whose evidence is decisive (its reference names
 * one payout, for exactly its net) is decided as soon as both sides are in. Any other is decided
 * once the watermark has passed the end of its window (so every payout that could settle it has
 * been announced) and the account's statements are complete up to its booking (so every earlier
 * credit is known and decided first). Only payouts announced by the decision time are candidates; a
 * payout announced later, or called off later, revises the decision as a new revision of the same
 * match ({@link MatchRevisions}). Which decision is {@link CreditRules}'; how alerts read is {@link
 * MatchAlerts}'. This class keeps the statement coverage, the deadlines (MISSING_DEPOSIT,
 * OVERDUE_RECEIVABLE, identity breaks), the daily cash flow by category and receivables aging.
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
    private final MatchRevisions revisions;
    private final PayoutIndex index;
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
        this.index = new PayoutIndex(store);
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
        this.revisions = new MatchRevisions(new Work(), creditRules);
    }

    /** The working copy as {@link MatchRevisions} sees it. */
    private final class Work implements MatchRevisions.Workspace {
        @Override
        public TrackedPayout payout(String id) {
            return BankMatcher.this.payout(id);
        }

        @Override
        public BankEntry credit(String id) {
            return BankMatcher.this.credit(id);
        }

        @Override
        public void touch(TrackedPayout p) {
            BankMatcher.this.touch(p);
        }

        @Override
        public void touch(BankEntry c) {
            BankMatcher.this.touch(c);
        }

        @Override
        public void save(Match m) {
            saveMatch(m);
            sink.record(m.toRecord());
        }

        @Override
        public MatchingRules rulesAt(long time) {
            return BankMatcher.this.rulesAt(time);
        }

        @Override
        public MatchStore store() {
            return store;
        }

        @Override
        public String unreconciled(BankEntry c, AlertState state, long at, String why) {
            return BankMatcher.this.unreconciled(c, state, at, why);
        }

        @Override
        public void depositFound(TrackedPayout p, long at, BankEntry c) {
            BankMatcher.this.depositFound(p, at, c);
        }
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
                revisions.calledOff(m, p);
            }
        }
        if (isNew) {
            lateAnnouncement(p);
            if (p.failedAt == Long.MAX_VALUE && p.matchId == null) {
                // A credit that already names it may be decided now. Only the credits are read:
                // an account's open payouts are the many (every store's, for days), and reading
                // all of them for each new one made matching quadratic on RocksDB.
                loadCredits();
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
        if (!inAccountCurrency(tx.getCurrency())) {
            return; // The position dead-letters it (CURRENCY_MISMATCH); it pays and counts nothing.
        }
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
        if (!inAccountCurrency(s.getCurrency())) {
            return; // Dead-lettered by the position; it covers none of this account's lines.
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
    private boolean creditsLoaded;
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
        loadCredits();
        allLoaded = true;
    }

    /** Every open credit into the cache (after it, only decided lines are not there). */
    private void loadCredits() {
        if (creditsLoaded) return;
        for (BankEntry c : store.credits()) creditCache.putIfAbsent(c.eventId, c);
        creditsLoaded = true;
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
        for (String id : dirtyPayouts) {
            TrackedPayout p = payoutCache.get(id);
            index.file(p);
            store.putPayout(p);
        }
        for (String id : dirtyCredits) store.putCredit(creditCache.get(id));
        payoutCache.clear();
        creditCache.clear();
        dirtyPayouts.clear();
        dirtyCredits.clear();
        allLoaded = false;
        creditsLoaded = false;
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
        if (pr.currency == null) {
            pr.currency = currency;
            store.saveProgress(pr);
        }
    }

    /**
     * Whether a record is in the account's currency, the first one its lines and statements gave
     * (as the position keeps it): a USD line on a EUR account is no EUR money to pair or count.
     */
    private boolean inAccountCurrency(String currency) {
        String known = progress().currency;
        return known == null || known.equals(currency);
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
        long tick = pr.agedThrough + DAY;
        if (pr.currency != null && tick <= pr.coverage && tick > w) {
            // Only the watermark holds the next midnight's report back: be woken when it passes,
            // or a quiet account's last days are never reported (replay's final pass did, live's
            // depended on what woke the account next).
            wakeups.at(tick);
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
            revisions.act(a, m);
        }
    }

    private void depositFound(TrackedPayout p, long at, BankEntry c) {
        sink.alert(MatchAlerts.depositFound(p, at, c));
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
                MatchAlerts.missingDeposit(
                        p, x, account, calendar.dateOf(Instant.ofEpochMilli(x - 1))));
    }

    private void identityAlert(TrackedPayout p) {
        sink.alert(MatchAlerts.identityBroken(p));
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
                revisions.lateMatch(c, late, m, r);
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
        fileRestoredPayouts();
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
        Collection<TrackedPayout> found = allLoaded ? loadedNamable(ref) : indexedNamable(ref);
        List<TrackedPayout> live = new ArrayList<>();
        for (TrackedPayout p : found) if (p.matchId == null && p.liveAt(t)) live.add(p);
        live.sort(Comparator.comparing(p -> p.payoutId));
        return live;
    }

    /**
     * Without every open payout at hand (a credit decided early): those the state's index files
     * under the reference, and those this input touched, which it files only when it ends.
     */
    private Collection<TrackedPayout> indexedNamable(String ref) {
        Set<String> ids = index.under(ref);
        ids.addAll(payoutCache.keySet());
        List<TrackedPayout> found = new ArrayList<>();
        for (String id : ids) {
            TrackedPayout p = payout(id);
            if (p != null && PayoutIndex.reachable(ref, p)) found.add(p);
        }
        return found;
    }

    /**
     * Payouts restored from state written before the index are filed all at once, by the first
     * credit that needs the index; after that, each payout is filed as it changes.
     */
    private void fileRestoredPayouts() {
        if (indexWhole) return; // known for this input: a new payout tries several credits
        MatchingProgress pr = progress();
        indexWhole = true;
        if (pr.payoutsIndexed) return;
        loadAll();
        for (TrackedPayout p : new ArrayList<>(payoutCache.values())) touch(p);
        pr.payoutsIndexed = true;
        store.saveProgress(pr);
    }

    /** The index was found whole (or made so) during this input. */
    private boolean indexWhole;

    /** With every open payout at hand: an index of them in memory, built once per input. */
    private Collection<TrackedPayout> loadedNamable(String ref) {
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
        return found;
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
                revisions.calledOff(store.match(m.matchId), p);
            }
        }
    }

    private String unreconciled(BankEntry c, AlertState state, long at, String why) {
        CashAlert a = MatchAlerts.unreconciled(c, account, state, at, why);
        sink.alert(a);
        return a.getAlertId();
    }

    // ---- later facts ----

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
            revisions.lateMatch(best, p, m, rulesAt(best.bookedAt));
            touch(best);
        }
    }

    private boolean namedBy(BankEntry c, TrackedPayout p, MatchingRules r) {
        String ref = References.normalise(c.reference);
        String id = p.referenceId();
        return References.names(ref, id)
                || References.truncates(ref, id, p.referenceDescriptor(), r.minReferenceLength);
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
}
