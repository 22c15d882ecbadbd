package io.treso.jobs.metrics;

import io.treso.event.CashPosition;
import io.treso.jobs.alert.Alerts;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cash position shows on the boards: the scope's kind chooses the metric, its parts become
 * labels. Plain Java, so that the mapping from the contract's scopes to the metric table in the
 * README is tested without Flink. IBANs are masked as everywhere else.
 */
public final class PositionReadings {
    /** The position metrics, with their label keys, in README order. */
    public enum Metric {
        ACCOUNT_BALANCE("balance_minor", "account", "currency"),
        BANK_BALANCE("bank_balance_minor", "account", "currency"),
        CURRENCY_TOTAL("total_minor", "currency"),
        BASE_TOTAL("base_minor", "currency"),
        IN_TRANSIT("in_transit_minor", "psp", "store", "currency"),
        PSP_OWED("owed_minor", "psp", "store", "currency"),
        DAY_FLOW("day_flow_minor", "account", "currency", "category"),
        RECEIVABLES("receivables_minor", "account", "currency", "bucket");

        public final String metricName;
        public final String[] keys;

        Metric(String metricName, String... keys) {
            this.metricName = metricName;
            this.keys = keys;
        }
    }

    /** One value of one metric, with its label values in the metric's key order. */
    public record Reading(Metric metric, List<String> labels, long value) {}

    private PositionReadings() {}

    /** The readings of one position; none for a scope the boards do not draw. */
    public static List<Reading> of(CashPosition p) {
        String scope = p.getScope();
        String ccy = p.getCurrency();
        List<Reading> out = new ArrayList<>(2);
        int colon = scope.indexOf(':');
        if (colon < 0) {
            String account = Alerts.mask(scope);
            out.add(
                    new Reading(
                            Metric.ACCOUNT_BALANCE, List.of(account, ccy), p.getBalanceMinor()));
            if (p.getBankReportedBalanceMinor() != null) {
                out.add(
                        new Reading(
                                Metric.BANK_BALANCE,
                                List.of(account, ccy),
                                p.getBankReportedBalanceMinor()));
            }
            return out;
        }
        String kind = scope.substring(0, colon);
        String rest = scope.substring(colon + 1);
        switch (kind) {
            case "currency" ->
                    out.add(new Reading(Metric.CURRENCY_TOTAL, List.of(ccy), p.getBalanceMinor()));
            case "base" ->
                    out.add(new Reading(Metric.BASE_TOTAL, List.of(ccy), p.getBalanceMinor()));
            case "transit" ->
                    pspStore(rest, ccy)
                            .ifPresent(
                                    l ->
                                            out.add(
                                                    new Reading(
                                                            Metric.IN_TRANSIT,
                                                            l,
                                                            p.getInTransitMinor())));
            case "psp" ->
                    pspStore(rest, ccy)
                            .ifPresent(
                                    l ->
                                            out.add(
                                                    new Reading(
                                                            Metric.PSP_OWED,
                                                            l,
                                                            p.getBalanceMinor())));
            case "flow", "receivables" -> {
                int last = rest.lastIndexOf(':');
                if (last > 0) {
                    out.add(
                            new Reading(
                                    kind.equals("flow") ? Metric.DAY_FLOW : Metric.RECEIVABLES,
                                    List.of(
                                            Alerts.mask(rest.substring(0, last)),
                                            ccy,
                                            rest.substring(last + 1)),
                                    p.getBalanceMinor()));
                }
            }
            default -> {
                // A scope kind added later shows in the outputs; the boards learn it here.
            }
        }
        return out;
    }

    /** {@code PSP/store/CUR} as labels (psp, store, currency). */
    private static java.util.Optional<List<String>> pspStore(String rest, String ccy) {
        String[] parts = rest.split("/", -1);
        return parts.length == 3
                ? java.util.Optional.of(List.of(parts[0], parts[1], ccy))
                : java.util.Optional.empty();
    }
}
