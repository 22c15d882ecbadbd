package io.treso.jobs.forecast;

import io.treso.event.ControlCommand;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A VAT_CONFIG control command: how one taxable entity (the command's scope) declares and pays its
 * VAT. {@code currency} is the VAT's currency; {@code params.regime} is MONTHLY or QUARTERLY and
 * {@code params.due_day} the day of the next month the return is paid. Optional: {@code
 * params.account}, the bank account it is paid from (by default the first account in the currency);
 * {@code params.payee}, the tax office as bank lines name it (its debits are then the VAT paid, not
 * a supplier to model); {@code params.stores}, the stores whose sales it declares, comma-separated
 * (by default every store selling in the currency); {@code params.obligations}, whether the VAT of
 * bills and invoices in the currency is its own (true unless set to false). Effective-dated and
 * versioned like every rule; malformed ones are dead-lettered at the door.
 */
public final class VatRule implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "VAT_CONFIG";

    public String entity;
    public String currency;
    public VatCalendar.Regime regime;
    public int dueDay;

    /** The paying account, or null for the currency's first. */
    public String account;

    /** The tax office as bank lines name it, or null. */
    public String payee;

    /** Stores declared, or empty for all in the currency. */
    public TreeSet<String> stores = new TreeSet<>();

    public boolean obligations = true;
    public long effectiveAt;
    public long version;

    public VatRule() {}

    /** The rule a VAT_CONFIG command carries, or empty for other kinds; malformed ones throw. */
    public static Optional<VatRule> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        Map<String, String> p = c.getParams();
        VatRule r = new VatRule();
        r.entity = c.getScope().strip();
        if (r.entity.isEmpty() || r.entity.contains(":") || r.entity.equals("*")) {
            throw new IllegalArgumentException(
                    "the scope names the taxable entity (FR, acme-sas), without ':' or '*'");
        }
        r.currency = c.getCurrency();
        if (r.currency == null || !r.currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency is required (the VAT's, e.g. EUR)");
        }
        String regime = p.get("regime");
        try {
            r.regime = VatCalendar.Regime.valueOf(regime.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "params.regime \"" + regime + "\" is not MONTHLY or QUARTERLY");
        }
        String due = p.get("due_day");
        try {
            r.dueDay = Integer.parseInt(due.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "params.due_day \"" + due + "\" is not a day of the month (1 to 31)");
        }
        new VatCalendar(r.regime, r.dueDay); // checks the day
        r.account = blankToNull(p.get("account"));
        r.payee = blankToNull(p.get("payee"));
        String stores = p.get("stores");
        if (stores != null && !stores.isBlank() && !stores.strip().equals("*")) {
            Arrays.stream(stores.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(r.stores::add);
        }
        String obligations = p.getOrDefault("obligations", "true").strip();
        if (!obligations.equalsIgnoreCase("true") && !obligations.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(
                    "params.obligations \"" + obligations + "\" is not true or false");
        }
        r.obligations = Boolean.parseBoolean(obligations.toLowerCase(Locale.ROOT));
        r.effectiveAt = c.getEffectiveAt().toEpochMilli();
        r.version = c.getVersion();
        return Optional.of(r);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public VatCalendar calendar() {
        return new VatCalendar(regime, dueDay);
    }

    /** Whether the sales of {@code store} in {@code salesCurrency} are declared here. */
    boolean declares(String store, String salesCurrency) {
        return currency.equals(salesCurrency) && (stores.isEmpty() || stores.contains(store));
    }

    /** Whether a bank line to {@code counterparty} pays this VAT. */
    boolean paidTo(String counterparty) {
        return payee != null
                && counterparty != null
                && counterparty.toLowerCase(Locale.ROOT).contains(payee.toLowerCase(Locale.ROOT));
    }

    /** The position scope of a period's accrued VAT. */
    String scope(VatCalendar.Period period) {
        return "vat:" + entity + ":" + period.id();
    }
}
