package io.treso.cli.demo;

import io.treso.event.CashAlert;
import io.treso.jobs.alert.Alerts;

/** One readable line per alert: when, edge, type, scope, amount against threshold, and why. */
public final class AlertLine {
    private AlertLine() {}

    public static String format(CashAlert a) {
        String amount = "";
        if (a.getObservedValue() != null && a.getUnit() != null) {
            amount = a.getObservedValue() + " " + a.getUnit();
            if (a.getThresholdValue() != null) {
                amount += " vs " + a.getThresholdValue();
            }
        }
        return String.format(
                "%s  %-8s %-16s %-12s %-28s %s",
                a.getDetectedAt(),
                a.getState(),
                a.getType(),
                scope(a.getScope()),
                amount,
                a.getMessage());
    }

    /** Account ids are masked; other scopes are shown as they are. */
    public static String scope(String scope) {
        return scope.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}") ? Alerts.mask(scope) : scope;
    }
}
