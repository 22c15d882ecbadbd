package io.treso.jobs.reconciliation;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashPosition;
import io.treso.event.ReconciliationStatus;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bank lines to payables and receivables for one account, in plain Java: a debit pays a payable
 * (named by its document id, else the one payable of that amount and counterparty near its due
 * date); a second debit naming a paid payable is a DUPLICATE_PAYMENT. Credits pay receivables the
 * same way. {@link BankMatcher} calls it in booking order, so "first" and "second" never depend on
 * which statement arrived first.
 */
final class ObligationMatcher {
    static final String DUPLICATE_PAYMENT = "DUPLICATE_PAYMENT";
    static final String OVERDUE_RECEIVABLE = "OVERDUE_RECEIVABLE";

    /**
     * Business days beyond the payout window in which a bare amount may still pay an obligation:
     * customers and suppliers pay a week early or late far more often than PSPs do.
     */
    static final int LATE_OR_EARLY_DAYS = 5;

    /** Days past due, as treasury reports them. */
    static final String[] BUCKETS = {"current", "0-30", "31-60", "61-90", "90+"};

    private final String account;
    private final MatchStore store;
    private final Obligations obligations;
    private final BusinessCalendar calendar;
    private final BankMatcher.Sink sink;

    ObligationMatcher(
            String account,
            MatchStore store,
            Obligations obligations,
            BusinessCalendar calendar,
            BankMatcher.Sink sink) {
        this.account = account;
        this.store = store;
        this.obligations = obligations;
        this.calendar = calendar;
        this.sink = sink;
    }

    /** Obligations of a kind in the account's currency, issued by {@code t}, not cancelled. */
    private List<ObligationFacts> known(String kind, String currency, long t) {
        List<ObligationFacts> list = new ArrayList<>();
        for (ObligationFacts o : obligations.all()) {
            if (o.kind.equals(kind)
                    && o.currency.equals(currency)
                    && o.issuedAt <= t
                    && !o.isCancelled()) list.add(o);
        }
        list.sort(Comparator.comparing(o -> o.documentId));
        return list;
    }

    private ObligationProgress progress(String documentId) {
        ObligationProgress p = store.obligation(documentId);
        if (p == null) {
            p = new ObligationProgress();
            p.documentId = documentId;
        }
        return p;
    }

    /** The obligations the line's reference names by document id. */
    private static List<ObligationFacts> named(BankEntry e, List<ObligationFacts> candidates) {
        String ref = References.normalise(e.reference);
        List<ObligationFacts> found = new ArrayList<>();
        for (ObligationFacts o : candidates) {
            String doc = References.normalise(o.documentId);
            if (doc.length() >= 4 && ref.contains(doc)) found.add(o);
        }
        return found;
    }

    /**
     * Unpaid obligations of the line's amount from the same counterparty, due within the window.
     */
    private List<ObligationFacts> byAmount(
            BankEntry e, List<ObligationFacts> candidates, MatchingRules r) {
        String payer = References.normalise(e.counterparty);
        List<ObligationFacts> found = new ArrayList<>();
        for (ObligationFacts o : candidates) {
            String party = References.normalise(o.counterparty);
            boolean sameParty =
                    !payer.isEmpty()
                            && !party.isEmpty()
                            && (payer.contains(party) || party.contains(payer));
            int days =
                    calendar.businessDaysBetween(
                            LocalDate.ofEpochDay(o.dueDay), LocalDate.ofEpochDay(e.bookedDay));
            if (sameParty
                    && o.amountMinor == Math.abs(e.amountMinor)
                    && Math.abs(days) <= r.windowBusinessDays + LATE_OR_EARLY_DAYS
                    && progress(o.documentId).paidBy == null) found.add(o);
        }
        return found;
    }

    /** A debit against payables; false when no payable fits (most debits are no obligation). */
    boolean debit(BankEntry d, MatchingRules r, Match m) {
        List<ObligationFacts> payables = known("PAYABLE", d.currency, d.decideAt);
        List<ObligationFacts> named = named(d, payables);
        if (named.size() == 1) {
            ObligationFacts o = named.get(0);
            ObligationProgress p = progress(o.documentId);
            if (p.paidBy != null && !p.paidBy.equals(d.eventId)) {
                duplicate(d, o, p, m);
                return true;
            }
            pay(d, o, p, 100, "payable-reference", r, m);
            return true;
        }
        if (named.isEmpty()) {
            List<ObligationFacts> fits = byAmount(d, payables, r);
            if (fits.size() == 1) {
                ObligationFacts o = fits.get(0);
                pay(d, o, progress(o.documentId), 85, "payable-amount", r, m);
                return true;
            }
        }
        return false;
    }

    /** A credit naming a receivable; false when it names none (or several). */
    boolean receivableByReference(BankEntry c, MatchingRules r, Match m) {
        List<ObligationFacts> named = named(c, known("RECEIVABLE", c.currency, c.decideAt));
        if (named.size() != 1) return false;
        ObligationFacts o = named.get(0);
        ObligationProgress p = progress(o.documentId);
        if (p.paidBy != null && !p.paidBy.equals(c.eventId)) {
            base(m, o, "receivable-paid-twice");
            m.status(ReconciliationStatus.UNMATCHED);
            m.differenceMinor = c.amountMinor;
            m.needsReview = true;
            return true;
        }
        pay(c, o, p, 100, "receivable-reference", r, m);
        return true;
    }

    /** A credit of an unpaid receivable's amount from its customer. */
    boolean receivableByAmount(BankEntry c, MatchingRules r, Match m) {
        List<ObligationFacts> fits = byAmount(c, known("RECEIVABLE", c.currency, c.decideAt), r);
        if (fits.size() != 1) return false;
        ObligationFacts o = fits.get(0);
        pay(c, o, progress(o.documentId), 85, "receivable-amount", r, m);
        return true;
    }

    private static void base(Match m, ObligationFacts o, String rule) {
        m.obligationIds = new String[] {o.documentId};
        m.payoutIds = new String[0];
        m.rule = rule;
        m.category = o.kind.equals("RECEIVABLE") ? "CUSTOMER_RECEIPT" : "SUPPLIER";
    }

    private void pay(
            BankEntry e,
            ObligationFacts o,
            ObligationProgress p,
            int confidence,
            String rule,
            MatchingRules r,
            Match m) {
        base(m, o, rule);
        long diff = Math.abs(e.amountMinor) - o.amountMinor;
        boolean exact = Math.abs(diff) <= r.roundingMinor;
        m.status(
                exact
                        ? ReconciliationStatus.MATCHED
                        : diff < 0
                                ? ReconciliationStatus.PARTIAL
                                : ReconciliationStatus.AMOUNT_MISMATCH);
        m.differenceMinor = diff;
        m.confidence = confidence;
        m.needsReview = !exact || confidence < r.autoConfirm;
        p.paidBy = e.eventId;
        p.paidAt = e.bookedAt;
        store.putObligation(p);
    }

    private void duplicate(BankEntry d, ObligationFacts o, ObligationProgress p, Match m) {
        base(m, o, "duplicate-payment");
        m.status(ReconciliationStatus.UNMATCHED);
        m.differenceMinor = d.amountMinor;
        m.needsReview = true;
        sink.alert(
                Alerts.alert(
                                Alerts.id(
                                        DUPLICATE_PAYMENT,
                                        o.documentId,
                                        Instant.ofEpochMilli(d.bookedAt)),
                                DUPLICATE_PAYMENT,
                                AlertLifecycle.ONE_SHOT,
                                Severity.CRITICAL,
                                AlertState.FIRING,
                                o.documentId,
                                Instant.ofEpochMilli(d.decideAt),
                                String.format(
                                        "%s to %s for %s was paid twice from %s: again on %s."
                                                + " Ask for the money back.",
                                        Alerts.money(o.amountMinor, o.currency),
                                        o.counterparty,
                                        o.documentId,
                                        Alerts.mask(account),
                                        LocalDate.ofEpochDay(d.bookedDay)))
                        .setObservedValue(Alerts.decimal(-d.amountMinor, d.currency))
                        .setUnit(d.currency)
                        .setEvidenceEventIds(List.of(p.paidBy, d.eventId, o.eventId))
                        .build());
    }

    /** Receivable due dates the account must check once its statements pass them. */
    List<Map.Entry<Long, ObligationFacts>> overdueDeadlines(String currency, MatchingRules r) {
        List<Map.Entry<Long, ObligationFacts>> list = new ArrayList<>();
        if (currency == null || !r.collectsReceivables) return list;
        for (ObligationFacts o : known("RECEIVABLE", currency, Long.MAX_VALUE)) {
            if (progress(o.documentId).overdueChecked) continue;
            list.add(Map.entry(overdueAt(o, r), o));
        }
        return list;
    }

    long overdueAt(ObligationFacts o, MatchingRules r) {
        return calendar.startOf(
                        calendar.plusBusinessDays(
                                LocalDate.ofEpochDay(o.dueDay), r.overdueGraceBusinessDays + 1))
                .toEpochMilli();
    }

    /** At {@code x}, every credit booked before it is decided: unpaid means overdue. */
    void checkOverdue(ObligationFacts o, long x) {
        ObligationProgress p = progress(o.documentId);
        p.overdueChecked = true;
        store.putObligation(p);
        if (p.paidAt < x || o.issuedAt > x) return;
        sink.alert(
                Alerts.alert(
                                Alerts.id(
                                        OVERDUE_RECEIVABLE, o.documentId, Instant.ofEpochMilli(x)),
                                OVERDUE_RECEIVABLE,
                                AlertLifecycle.ONE_SHOT,
                                Severity.WARNING,
                                AlertState.FIRING,
                                o.documentId,
                                Instant.ofEpochMilli(x),
                                String.format(
                                        "Invoice %s to %s for %s was due %s and is unpaid on %s.",
                                        o.documentId,
                                        o.counterparty,
                                        Alerts.money(o.amountMinor, o.currency),
                                        LocalDate.ofEpochDay(o.dueDay),
                                        Alerts.mask(account)))
                        .setObservedValue(Alerts.decimal(o.amountMinor, o.currency))
                        .setUnit(o.currency)
                        .setWindowEnd(Instant.ofEpochMilli(x))
                        .setEvidenceEventIds(List.of(o.eventId))
                        .build());
    }

    /**
     * Outstanding receivables and payables by days past due at {@code t}, one position per bucket
     * ({@code receivables:<account>:<bucket>}, {@code payables:<account>:<bucket>}): what DSO and
     * DPO read.
     */
    List<CashPosition> aging(long t, String currency) {
        List<CashPosition> out = aging("RECEIVABLE", "receivables:", t, currency);
        out.addAll(aging("PAYABLE", "payables:", t, currency));
        return out;
    }

    private List<CashPosition> aging(String kind, String prefix, long t, String currency) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String b : BUCKETS) sums.put(b, 0L);
        LocalDate day = calendar.dateOf(Instant.ofEpochMilli(t - 1));
        boolean any = false;
        for (ObligationFacts o : known(kind, currency, t)) {
            any = true;
            if (progress(o.documentId).paidAt < t) continue;
            long late = day.toEpochDay() - o.dueDay;
            String bucket =
                    late < 0
                            ? "current"
                            : late <= 30
                                    ? "0-30"
                                    : late <= 60 ? "31-60" : late <= 90 ? "61-90" : "90+";
            sums.merge(bucket, o.amountMinor, Long::sum);
        }
        List<CashPosition> out = new ArrayList<>();
        if (!any) return out;
        for (Map.Entry<String, Long> e : sums.entrySet()) {
            out.add(
                    CashPosition.newBuilder()
                            .setScope(prefix + account + ":" + e.getKey())
                            .setCurrency(currency)
                            .setBalanceMinor(e.getValue())
                            .setBankReportedBalanceMinor(null)
                            .setInTransitMinor(0)
                            .setInTransitEstimated(false)
                            .setAsOf(Instant.ofEpochMilli(t))
                            .build());
        }
        return out;
    }
}
