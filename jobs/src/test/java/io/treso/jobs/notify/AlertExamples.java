package io.treso.jobs.notify;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import java.time.Instant;
import java.util.List;

/** Alerts as the pipelines write them, for the notifier's tests. */
final class AlertExamples {
    private AlertExamples() {}

    static CashAlert alert(
            String id, String type, Severity severity, AlertState state, String scope, String at) {
        return io.treso.jobs.alert.Alerts.alert(
                        id,
                        type,
                        AlertLifecycle.STATEFUL,
                        severity,
                        state,
                        scope,
                        Instant.parse(at),
                        type + " on " + scope)
                .build();
    }

    /** The alert types the pipelines raise, one realistic example each. */
    static List<CashAlert> examples() {
        CashAlert low =
                alert(
                        "LOW_BALANCE:FR7630006000011234567890189:1773912600000",
                        "LOW_BALANCE",
                        Severity.CRITICAL,
                        AlertState.FIRING,
                        "FR7630006000011234567890189",
                        "2026-03-19T09:30:00Z");
        low.setObservedValue("70000.00");
        low.setThresholdValue("100000.00");
        low.setUnit("EUR");
        low.setEvidenceEventIds(List.of("FR7630006000011234567890189:B202603190002"));
        low.setMessage(
                "Balance of FR76…0189 fell to 70,000.00 EUR, below the 100,000.00 EUR threshold");
        CashAlert back =
                CashAlert.newBuilder(low)
                        .setState(AlertState.RESOLVED)
                        .setDetectedAt(Instant.parse("2026-03-23T09:30:00Z"))
                        .setObservedValue("172460.51")
                        .setMessage(
                                "Balance of FR76…0189 is back to 172,460.51 EUR, above the 100,000.00 EUR threshold plus 10,000.00 EUR margin")
                        .build();
        CashAlert brk =
                alert(
                        "BALANCE_BREAK:GB33BUKB20201555555555:1774825200000",
                        "BALANCE_BREAK",
                        Severity.CRITICAL,
                        AlertState.FIRING,
                        "GB33BUKB20201555555555",
                        "2026-03-29T23:00:00Z");
        brk.setObservedValue("79970.00");
        brk.setThresholdValue("79945.00");
        brk.setUnit("USD");
        brk.setEvidenceEventIds(List.of("GB33-20260327"));
        brk.setMessage(
                "Statement GB33-20260327 of GB33…5555 closes at 79,945.00 USD but our booked balance is 79,970.00 USD: a gap of -25.00 USD (0 of 1 lines received)");
        CashAlert missing =
                alert(
                        "MISSING_PAYOUT:STRIPE/store-2/EUR:1774915200000",
                        "MISSING_PAYOUT",
                        Severity.WARNING,
                        AlertState.FIRING,
                        "STRIPE/store-2/EUR",
                        "2026-03-31T00:00:00Z");
        missing.setObservedValue("26.68");
        missing.setUnit("EUR");
        missing.setEvidenceEventIds(List.of("store-2-o1422"));
        missing.setMessage(
                "1 order of store-2 on STRIPE (EUR), 26.68 EUR in all, is in no payout past STRIPE's schedule (3 business days + 2 of grace). Ask STRIPE when it pays them out.");
        CashAlert dup =
                alert(
                        "DUPLICATE_PAYMENT:BILL-20260328-3:1775080800000",
                        "DUPLICATE_PAYMENT",
                        Severity.CRITICAL,
                        AlertState.FIRING,
                        "BILL-20260328-3",
                        "2026-04-01T22:00:00Z");
        dup.setLifecycle(AlertLifecycle.ONE_SHOT);
        dup.setObservedValue("3186.98");
        dup.setUnit("EUR");
        dup.setEvidenceEventIds(List.of("bank:1", "bank:2", "bank:3", "bank:4", "bank:5"));
        dup.setMessage(
                "3,186.98 EUR to Acme Packaging SARL for BILL-20260328-3 was paid twice from FR76…0189: again on 2026-04-01. Ask for the money back.");
        CashAlert debit =
                alert(
                        "UNUSUAL_DEBIT:FR7630006000011234567890189:1775134800000",
                        "UNUSUAL_DEBIT",
                        Severity.WARNING,
                        AlertState.FIRING,
                        "FR7630006000011234567890189",
                        "2026-04-02T13:00:00Z");
        debit.setLifecycle(AlertLifecycle.ONE_SHOT);
        debit.setObservedValue("62520.16");
        debit.setUnit("EUR");
        debit.setBaselineMean("27276.87");
        debit.setZScore("7.8");
        debit.setMessage(
                "Debit of 62,520.16 EUR to Unknown Trading Ltd, a new payee: never paid from this account before");
        CashAlert drop =
                alert(
                        "SALES_DROP:store-1/SHOPIFY:1775206800000",
                        "SALES_DROP",
                        Severity.WARNING,
                        AlertState.FIRING,
                        "store-1/SHOPIFY",
                        "2026-04-03T09:00:00Z");
        drop.setObservedValue("120.00");
        drop.setUnit("EUR");
        drop.setBaselineMean("1450.00");
        drop.setBaselineStddev("210.00");
        drop.setZScore("-6.33");
        drop.setWindowStart(Instant.parse("2026-04-03T06:00:00Z"));
        drop.setWindowEnd(Instant.parse("2026-04-03T09:00:00Z"));
        drop.setMessage("Sales of store-1 on SHOPIFY: 120.00 EUR in 3 h against 1,450.00 usually");
        return List.of(low, back, brk, missing, dup, debit, drop);
    }
}
