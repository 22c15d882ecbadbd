package io.treso.jobs.reconciliation;

import static io.treso.jobs.reconciliation.BankMatcher.MISSING_DEPOSIT;
import static io.treso.jobs.reconciliation.BankMatcher.PAYOUT_AMOUNT_MISMATCH;
import static io.treso.jobs.reconciliation.BankMatcher.UNRECONCILED_BANK_LINE;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How bank matching words its alerts, in plain functions of the facts: what the treasurer reads,
 * apart from when {@link BankMatcher} decides to say it. Accounts are masked everywhere.
 */
final class MatchAlerts {
    private MatchAlerts() {}

    /** A PAID payout with no credit once the statements pass its deadline {@code x}. */
    static CashAlert missingDeposit(TrackedPayout p, long x, String account, LocalDate through) {
        return Alerts.alert(
                        p.depositAlertId,
                        MISSING_DEPOSIT,
                        AlertLifecycle.STATEFUL,
                        Severity.CRITICAL,
                        AlertState.FIRING,
                        p.payoutId,
                        Instant.ofEpochMilli(x),
                        String.format(
                                "Payout %s (%s, %s) of %s was PAID for %s; no credit on %s in the"
                                        + " statements through %s.",
                                p.payoutId,
                                p.psp,
                                p.storeId,
                                Alerts.money(p.netMinor, p.currency),
                                LocalDate.ofEpochDay(p.arrivalDay),
                                Alerts.mask(account),
                                through))
                .setObservedValue(Alerts.decimal(p.netMinor, p.currency))
                .setUnit(p.currency)
                .setWindowEnd(Instant.ofEpochMilli(x))
                .setEvidenceEventIds(List.of(p.paidEventId))
                .build();
    }

    /** The missing deposit found after all: a credit now settles the payout. */
    static CashAlert depositFound(TrackedPayout p, long at, BankEntry c) {
        return Alerts.alert(
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
                .build();
    }

    /** A payout whose own numbers, or whose lines against the orders, do not add up. */
    static CashAlert identityBroken(TrackedPayout p) {
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
        return Alerts.alert(
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
                .build();
    }

    /** A credit nothing explains (FIRING), or one reconciled since (RESOLVED, saying how). */
    static CashAlert unreconciled(
            BankEntry c, String account, AlertState state, long at, String why) {
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
        return Alerts.alert(
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
                .build();
    }
}
