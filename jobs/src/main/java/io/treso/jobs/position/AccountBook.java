package io.treso.jobs.position;

import io.treso.calendar.BusinessCalendar;
import io.treso.connectors.replay.EventJson;
import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import io.treso.event.Severity;
import io.treso.event.StatementKind;
import io.treso.jobs.alert.Alerts;
import io.treso.schemas.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The booked balance of one bank account, anchored to the bank's own statements.
 *
 * <ul>
 *   <li>The position starts at the opening balance of the first END_OF_DAY statement seen; lines
 *       booked before that period are already inside it.
 *   <li>A statement is checked once its {@code entry_count} lines are in, or once the account's
 *       bank time passes its period end plus a grace period. A difference raises BALANCE_BREAK
 *       (STATEFUL: it resolves when a later statement agrees). Statements never reset the position.
 *   <li>LOW_BALANCE is edge-triggered with hysteresis: FIRING below the threshold, RESOLVED at
 *       threshold plus margin or above, nothing in between.
 * </ul>
 *
 * Deduplication happens before this class; it sees each event once.
 */
public final class AccountBook {
    public static final String LOW_BALANCE = "LOW_BALANCE";
    public static final String BALANCE_BREAK = "BALANCE_BREAK";
    public static final String STALE_BANK_LINE = "STALE_BANK_LINE";
    public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
    public static final String CONFLICTING_DUPLICATE = "CONFLICTING_DUPLICATE";

    private final AccountStore store;
    private final PositionOutput out;
    private final int graceBusinessDays;
    private final long retentionMillis;
    private final BusinessCalendar calendar;
    private final long watermark;

    public AccountBook(
            AccountStore store,
            PositionOutput out,
            int graceBusinessDays,
            long retentionMillis,
            BusinessCalendar calendar,
            long watermark) {
        this.store = store;
        this.out = out;
        this.graceBusinessDays = graceBusinessDays;
        this.retentionMillis = retentionMillis;
        this.calendar = calendar;
        this.watermark = watermark;
    }

    /** Applies a bank line. PENDING lines never move the booked balance. */
    public void onBankLine(BankTransaction tx, Collection<ThresholdRule> rules) {
        if (tx.getStatus() != BankEntryStatus.BOOKED) {
            return;
        }
        AccountState s = state(tx.getAccountId(), tx.getCurrency());
        if (!s.currency.equals(tx.getCurrency())) {
            refuse(tx, s, "bank line " + tx.getEventId() + " is in " + tx.getCurrency());
            return;
        }
        long bookedAt = tx.getBookedAt().toEpochMilli();
        if (s.bankTime > 0 && bookedAt < s.bankTime - retentionMillis) {
            // Older than the id retention: we cannot tell a repeat from news. A person decides.
            String id = Alerts.id(STALE_BANK_LINE, s.accountId, tx.getBookedAt());
            out.alert(
                    Alerts.alert(
                                    id,
                                    STALE_BANK_LINE,
                                    AlertLifecycle.ONE_SHOT,
                                    Severity.WARNING,
                                    AlertState.FIRING,
                                    s.accountId,
                                    Instant.ofEpochMilli(s.asOf),
                                    "Bank line "
                                            + tx.getEventId()
                                            + " is older than the id retention; review it: it was neither booked nor dropped")
                            .setObservedValue(Alerts.decimal(tx.getAmountMinor(), s.currency))
                            .setUnit(s.currency)
                            .setEvidenceEventIds(List.of(tx.getEventId()))
                            .build());
            return;
        }
        s.asOf = Math.max(s.asOf, bookedAt);
        long amount = tx.getAmountMinor();
        if (s.anchored && bookedAt < s.anchorStart) {
            s.linesCoveredByOpening++;
            store.saveState(s);
            return;
        } else if (s.anchored && bookedAt < s.foldedUntil) {
            // A line for a period already checked: it moves the balance from here on.
            s.base += amount;
            s.balance += amount;
        } else {
            store.addToLedger(bookedAt, amount, tx.getEventId());
            if (s.anchored) {
                s.balance += amount;
            }
        }
        if (s.anchored && bookedAt < s.evaluatedUntil) {
            // Behind the bank time already walked: judge it now, at its own booking time.
            s.evaluatedBalance += amount;
            new AccountCloses(s, out, rules, calendar).revise(bookedAt, amount);
            evaluateLowBalance(s, bookedAt, rules, tx.getEventId());
        }
        if (tx.getStatementId() != null) {
            StatementProgress p = progress(tx.getStatementId());
            p.linesSeen++;
            p.sumSeen += amount;
            store.saveProgress(p);
            checkDue(s);
        }
        store.saveState(s);
        if (s.anchored) {
            emitPosition(s);
        }
    }

    /**
     * A booking already applied, reported again by another statement (camt.054, then camt.052, then
     * camt.053 of the same day): it moves nothing, but counts among that statement's lines, so the
     * statement is checked as soon as its lines are in rather than at its deadline.
     */
    public void onLineReportedAgain(BankTransaction tx) {
        if (tx.getStatus() != BankEntryStatus.BOOKED || tx.getStatementId() == null) {
            return;
        }
        AccountState s = state(tx.getAccountId(), tx.getCurrency());
        StatementProgress p = progress(tx.getStatementId());
        p.linesSeen++;
        p.sumSeen += tx.getAmountMinor();
        store.saveProgress(p);
        checkDue(s);
        store.saveState(s);
    }

    /** Applies a statement: anchors, advances bank time, and checks what is due. */
    public void onStatement(BankStatement st, Collection<ThresholdRule> rules) {
        AccountState s = state(st.getAccountId(), st.getCurrency());
        if (!s.currency.equals(st.getCurrency())) {
            refuse(st, s, "statement " + st.getStatementId() + " is in " + st.getCurrency());
            return;
        }
        long periodStart = st.getPeriodStart().toEpochMilli();
        long periodEnd = st.getPeriodEnd().toEpochMilli();
        if (st.getKind() == StatementKind.INTRADAY) {
            return; // Intraday reports never advance bank time nor anchor.
        }
        s.asOf = Math.max(s.asOf, periodEnd);
        s.bankTime = Math.max(s.bankTime, periodEnd);
        if (st.getClosingBalanceMinor() != null && periodEnd >= s.bankReportedAt) {
            s.bankReportedAt = periodEnd;
            s.bankReportedBalance = st.getClosingBalanceMinor();
        }
        StatementProgress p = progress(st.getStatementId());
        p.received = true;
        p.eventId = st.getEventId();
        p.kind = st.getKind().name();
        p.periodStart = periodStart;
        p.periodEnd = periodEnd;
        p.closing = st.getClosingBalanceMinor();
        p.entryCount = st.getEntryCount();
        p.sequence = st.getSequence();
        store.saveProgress(p);
        if (!s.anchored
                && st.getKind() == StatementKind.END_OF_DAY
                && st.getOpeningBalanceMinor() != null) {
            anchor(s, periodStart, st.getOpeningBalanceMinor());
            s.lastCheckedSequence = st.getSequence() - 1;
        }
        if (s.anchored) {
            walk(s, rules);
            if (st.getClosingBalanceMinor() != null) {
                new AccountCloses(s, out, rules, calendar)
                        .bankClosed(periodEnd, st.getClosingBalanceMinor());
            }
        }
        checkDue(s);
        store.saveState(s);
        if (s.anchored) {
            emitPosition(s);
        }
    }

    /** Judges LOW_BALANCE line by line, in booking order, up to the bank time. */
    private void walk(AccountState s, Collection<ThresholdRule> rules) {
        List<Map.Entry<Long, LedgerEntry>> due = new ArrayList<>();
        for (Map.Entry<Long, LedgerEntry> e : store.ledger()) {
            if (e.getKey() >= s.evaluatedUntil && e.getKey() < s.bankTime) due.add(e);
        }
        due.sort(Map.Entry.comparingByKey());
        AccountCloses closes = new AccountCloses(s, out, rules, calendar);
        for (Map.Entry<Long, LedgerEntry> e : due) {
            closes.closeThrough(e.getKey());
            s.evaluatedBalance += e.getValue().amount;
            evaluateLowBalance(s, e.getKey(), rules, e.getValue().lastEventId);
        }
        closes.closeThrough(s.bankTime);
        s.evaluatedUntil = Math.max(s.evaluatedUntil, s.bankTime);
    }

    /** The watermark has reached a time this book asked to be woken at: check what is overdue. */
    public void onWake() {
        AccountState s = store.state();
        if (s == null) {
            return;
        }
        checkDue(s);
        store.saveState(s);
    }

    /** A threshold came into force at {@code time}: re-evaluate at once. */
    public void onRuleChange(String accountId, long time, Collection<ThresholdRule> rules) {
        AccountState s = store.state();
        if (s == null || !s.anchored) {
            return;
        }
        evaluateLowBalance(s, time, rules, null);
        store.saveState(s);
    }

    /**
     * Checks statements in sequence: the next one once all its lines are in, so that an earlier
     * day's late line is never mistaken for a break; any one whose deadline has passed, gap or not.
     */
    private void checkDue(AccountState s) {
        if (!s.anchored) {
            return;
        }
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            List<StatementProgress> pending = new ArrayList<>();
            for (StatementProgress p : store.allProgress()) {
                if (p.received) pending.add(p);
            }
            pending.sort(
                    (a, b) ->
                            a.sequence != b.sequence
                                    ? Long.compare(a.sequence, b.sequence)
                                    : Long.compare(a.periodEnd, b.periodEnd));
            for (StatementProgress p : pending) {
                boolean next =
                        p.linesSeen >= p.entryCount && p.sequence == s.lastCheckedSequence + 1;
                boolean overdue = deadlinePassed(s, p);
                if (overdue && watermark < s.bankTime) {
                    // Lines travel on another topic than statements: wait until every input
                    // has passed the coverage, so a lagging line topic is not taken for a gap.
                    out.wakeAt(s.bankTime);
                    overdue = false;
                }
                if (next || overdue) {
                    check(s, p);
                    s.lastCheckedSequence = Math.max(s.lastCheckedSequence, p.sequence);
                    progressed = true;
                    break;
                }
            }
        }
    }

    private boolean deadlinePassed(AccountState s, StatementProgress p) {
        // The day the period ends on, rounded to the nearest midnight, so any zone within ±12 h
        // of UTC lands on its own local date.
        LocalDate endDay =
                Instant.ofEpochMilli(p.periodEnd + 12 * 3_600_000L)
                        .atZone(ZoneOffset.UTC)
                        .toLocalDate();
        long deadline =
                calendar.startOf(calendar.plusBusinessDays(endDay, graceBusinessDays))
                        .toEpochMilli();
        return s.bankTime > Math.max(deadline, p.periodEnd);
    }

    private void anchor(AccountState s, long periodStart, long opening) {
        s.anchored = true;
        s.anchorStart = periodStart;
        s.base = opening;
        s.foldedUntil = periodStart;
        long ledgerSum = 0;
        List<Long> covered = new ArrayList<>();
        for (Map.Entry<Long, LedgerEntry> e : store.ledger()) {
            if (e.getKey() < periodStart) covered.add(e.getKey());
            else ledgerSum += e.getValue().amount;
        }
        for (Long ts : covered) {
            store.removeFromLedger(ts);
            s.linesCoveredByOpening++;
        }
        s.balance = opening + ledgerSum;
        s.evaluatedBalance = opening;
        s.evaluatedUntil = periodStart;
        new AccountCloses(s, out, List.of(), calendar).start(periodStart);
    }

    private void check(AccountState s, StatementProgress p) {
        store.removeProgress(p.statementId);
        if (!s.anchored || p.closing == null || p.periodEnd <= s.anchorStart) {
            return;
        }
        if (p.periodEnd < s.foldedUntil) {
            return; // Checked past it already; the later check covers it.
        }
        long ours = s.base;
        List<Long> folded = new ArrayList<>();
        for (Map.Entry<Long, LedgerEntry> e : store.ledger()) {
            if (e.getKey() < p.periodEnd) {
                ours += e.getValue().amount;
                folded.add(e.getKey());
            }
        }
        for (Long ts : folded) {
            store.removeFromLedger(ts);
        }
        s.base = ours;
        s.foldedUntil = p.periodEnd;
        long gap = p.closing - ours;
        Instant at = Instant.ofEpochMilli(p.periodEnd);
        if (gap != 0 && s.balanceBreakAlertId == null) {
            s.balanceBreakAlertId = Alerts.id(BALANCE_BREAK, s.accountId, at);
            out.alert(
                    balanceBreak(s, p, AlertState.FIRING, ours)
                            .setWindowStart(Instant.ofEpochMilli(p.periodStart))
                            .setWindowEnd(at)
                            .setMessage(
                                    String.format(
                                            "Statement %s of %s closes at %s but our booked balance is %s: a gap of %s (%d of %d lines received)",
                                            p.statementId,
                                            Alerts.mask(s.accountId),
                                            Alerts.money(p.closing, s.currency),
                                            Alerts.money(ours, s.currency),
                                            Alerts.money(gap, s.currency),
                                            p.linesSeen,
                                            p.entryCount))
                            .build());
        } else if (gap == 0 && s.balanceBreakAlertId != null) {
            out.alert(
                    balanceBreak(s, p, AlertState.RESOLVED, ours)
                            .setMessage(
                                    String.format(
                                            "Statement %s of %s agrees with our balance of %s again",
                                            p.statementId,
                                            Alerts.mask(s.accountId),
                                            Alerts.money(ours, s.currency)))
                            .build());
            s.balanceBreakAlertId = null;
        }
    }

    private CashAlert.Builder balanceBreak(
            AccountState s, StatementProgress p, AlertState state, long ours) {
        return Alerts.alert(
                        s.balanceBreakAlertId,
                        BALANCE_BREAK,
                        AlertLifecycle.STATEFUL,
                        Severity.CRITICAL,
                        state,
                        s.accountId,
                        Instant.ofEpochMilli(p.periodEnd),
                        "")
                .setObservedValue(Alerts.decimal(ours, s.currency))
                .setThresholdValue(Alerts.decimal(p.closing, s.currency))
                .setUnit(s.currency)
                // The statement only: what triggered the check depends on arrival order.
                .setEvidenceEventIds(List.of(p.eventId));
    }

    private void evaluateLowBalance(
            AccountState s, long time, Collection<ThresholdRule> rules, String evidenceId) {
        Optional<ThresholdRule> rule = ThresholdRule.inForce(rules, time);
        if (rule.isEmpty()) {
            return;
        }
        ThresholdRule r = rule.get();
        out.thresholdInForce(s.accountId, s.currency, r.thresholdMinor);
        Instant at = Instant.ofEpochMilli(time);
        List<String> evidence = evidenceId == null ? List.of(r.eventId) : List.of(evidenceId);
        long balance = s.evaluatedBalance;
        if (s.lowBalanceAlertId == null && balance < r.thresholdMinor) {
            s.lowBalanceAlertId = Alerts.id(LOW_BALANCE, s.accountId, at);
            out.alert(
                    lowBalance(
                            s,
                            r,
                            AlertState.FIRING,
                            at,
                            evidence,
                            String.format(
                                    "Balance of %s fell to %s, below the %s threshold",
                                    Alerts.mask(s.accountId),
                                    Alerts.money(balance, s.currency),
                                    Alerts.money(r.thresholdMinor, s.currency))));
        } else if (s.lowBalanceAlertId != null && balance >= r.thresholdMinor + r.marginMinor) {
            out.alert(
                    lowBalance(
                            s,
                            r,
                            AlertState.RESOLVED,
                            at,
                            evidence,
                            String.format(
                                    "Balance of %s is back to %s, above the %s threshold plus %s margin",
                                    Alerts.mask(s.accountId),
                                    Alerts.money(balance, s.currency),
                                    Alerts.money(r.thresholdMinor, s.currency),
                                    Alerts.money(r.marginMinor, s.currency))));
            s.lowBalanceAlertId = null;
        }
    }

    private CashAlert lowBalance(
            AccountState s,
            ThresholdRule r,
            AlertState state,
            Instant at,
            List<String> evidence,
            String message) {
        return Alerts.alert(
                        s.lowBalanceAlertId,
                        LOW_BALANCE,
                        AlertLifecycle.STATEFUL,
                        Severity.CRITICAL,
                        state,
                        s.accountId,
                        at,
                        message)
                .setObservedValue(Alerts.decimal(s.evaluatedBalance, s.currency))
                .setThresholdValue(Alerts.decimal(r.thresholdMinor, s.currency))
                .setUnit(s.currency)
                .setEvidenceEventIds(evidence)
                .build();
    }

    private void emitPosition(AccountState s) {
        out.position(
                CashPosition.newBuilder()
                        .setScope(s.accountId)
                        .setCurrency(s.currency)
                        .setBalanceMinor(s.balance)
                        .setBankReportedBalanceMinor(s.bankReportedBalance)
                        .setInTransitMinor(0)
                        .setInTransitEstimated(false)
                        .setAsOf(Instant.ofEpochMilli(s.asOf))
                        .build());
    }

    /**
     * An account keeps one currency (its first line's or statement's): a USD line on a EUR account
     * would otherwise be added to the EUR balance as if it were euros.
     */
    /**
     * A bank line whose id was booked before with another amount: the first one stands, and this
     * one is refused with both, never dropped as a plain repeat nor booked twice.
     */
    public void onConflictingRepeat(BankTransaction tx, long firstAmount, long firstBookedAt) {
        refuse(
                tx,
                CONFLICTING_DUPLICATE,
                "bank line "
                        + tx.getEventId()
                        + " was booked before as "
                        + Alerts.decimal(firstAmount, tx.getCurrency())
                        + " "
                        + tx.getCurrency()
                        + " on "
                        + java.time.Instant.ofEpochMilli(firstBookedAt)
                        + "; this copy says "
                        + Alerts.decimal(tx.getAmountMinor(), tx.getCurrency())
                        + " "
                        + tx.getCurrency()
                        + " on "
                        + tx.getBookedAt()
                        + ": the first stands, check the bank's export");
    }

    private void refuse(org.apache.avro.specific.SpecificRecord r, AccountState s, String what) {
        refuse(
                r,
                CURRENCY_MISMATCH,
                what
                        + ", but account "
                        + Alerts.mask(s.accountId)
                        + " keeps "
                        + s.currency
                        + ": not booked");
    }

    private void refuse(org.apache.avro.specific.SpecificRecord r, String reason, String detail) {
        out.refused(
                DeadLetter.newBuilder()
                        .setReason(reason)
                        .setDetail(detail)
                        .setErrorClass(ErrorClass.PERMANENT)
                        .setRecordType(EventType.of(r).wireName())
                        .setEventId(EventType.eventId(r))
                        .setEventTime(EventType.eventTime(r))
                        .setOriginalBytes(
                                java.nio.ByteBuffer.wrap(
                                        EventJson.toLine(r)
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .build());
    }

    private AccountState state(String accountId, String currency) {
        AccountState s = store.state();
        if (s == null) {
            s = new AccountState();
            s.accountId = accountId;
            s.currency = currency;
        }
        return s;
    }

    private StatementProgress progress(String statementId) {
        StatementProgress p = store.progress(statementId);
        return p == null ? new StatementProgress(statementId) : p;
    }
}
