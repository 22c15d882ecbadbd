package io.treso.jobs.forecast;

import io.treso.event.ControlCommand;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One rule of a what-if scenario, from a SCENARIO control command: {@code params.scenario_id} names
 * the scenario (several rules may share it), {@code params.type} says what changes, and the
 * command's scope says for whom ({@code *} for all):
 *
 * <ul>
 *   <li>{@code SALES}: a store's sales (scope: the store) times {@code factor} (0.8), captured from
 *       {@code from} to {@code to} (dates, both optional);
 *   <li>{@code PAYABLES_DELAY}: a supplier's bills (scope: as the bill names it) paid {@code days}
 *       later;
 *   <li>{@code EXTRA}: an extra inflow or outflow (signed {@code amount_minor}, {@code currency})
 *       on {@code date} into an account (scope), a loan or a capex, named by {@code label};
 *   <li>{@code PSP_LAG}: a PSP's payouts (scope: STRIPE, PAYPAL...) {@code days} later;
 *   <li>{@code OFF}: the scenario ends.
 * </ul>
 *
 * Effective-dated like every rule: a forecast made before {@code effective_at} does not see it. A
 * malformed one is refused at the door and dead-lettered with what is wrong.
 */
public final class Scenario implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "SCENARIO";
    public static final String ALL = "*";

    /** What a rule changes. */
    public enum Type {
        SALES,
        PAYABLES_DELAY,
        EXTRA,
        PSP_LAG,
        OFF
    }

    public String scenarioId;
    public Type type;
    public String scope;
    public long effectiveAt;
    public long version;

    /** SALES: the factor, basis points (8,000 is × 0.8). */
    public long factorBps;

    /** PAYABLES_DELAY, PSP_LAG: days later. */
    public int days;

    /** SALES: capture days covered, epoch days, inclusive. */
    public int fromDay = Integer.MIN_VALUE;

    public int toDay = Integer.MAX_VALUE;

    /** EXTRA: its day (epoch), signed amount, currency and label. */
    public int day;

    public long amountMinor;
    public String currency;
    public String label;

    public Scenario() {}

    /** The rule a SCENARIO command carries, or empty for other kinds; malformed ones throw. */
    public static Optional<Scenario> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        Map<String, String> p = c.getParams();
        Scenario s = new Scenario();
        s.scenarioId = required(p, "scenario_id");
        if (s.scenarioId.equals(ForecastBook.BASE)) {
            throw new IllegalArgumentException("scenario_id \"base\" is the forecast itself");
        }
        String type = required(p, "type");
        try {
            s.type = Type.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "type \""
                            + type
                            + "\" is not one of SALES, PAYABLES_DELAY, EXTRA, PSP_LAG, OFF");
        }
        s.scope = c.getScope();
        s.effectiveAt = c.getEffectiveAt().toEpochMilli();
        s.version = c.getVersion();
        switch (s.type) {
            case SALES -> {
                BigDecimal f = decimal(required(p, "factor"), "factor");
                if (f.signum() < 0 || f.compareTo(BigDecimal.TEN) > 0) {
                    throw new IllegalArgumentException("factor must be 0 to 10, got " + f);
                }
                s.factorBps =
                        f.movePointRight(4)
                                .setScale(0, java.math.RoundingMode.HALF_UP)
                                .longValueExact();
                if (p.containsKey("from")) s.fromDay = day(p.get("from"), "from");
                if (p.containsKey("to")) s.toDay = day(p.get("to"), "to");
                if (s.fromDay > s.toDay) throw new IllegalArgumentException("from is after to");
            }
            case PAYABLES_DELAY, PSP_LAG -> {
                s.days = Integer.parseInt(required(p, "days").strip());
                if (s.days < -60 || s.days > 365) {
                    throw new IllegalArgumentException("days must be -60 to 365, got " + s.days);
                }
            }
            case EXTRA -> {
                s.day = day(required(p, "date"), "date");
                try {
                    s.amountMinor = Long.parseLong(required(p, "amount_minor").strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("amount_minor must be whole minor units");
                }
                if (s.amountMinor == 0) throw new IllegalArgumentException("amount_minor is 0");
                s.currency = c.getCurrency();
                if (s.currency == null) throw new IllegalArgumentException("currency is required");
                s.label = p.getOrDefault("label", s.scenarioId);
            }
            case OFF -> {}
        }
        return Optional.of(s);
    }

    private static String required(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null || v.isBlank())
            throw new IllegalArgumentException("params." + key + " is required");
        return v;
    }

    private static BigDecimal decimal(String text, String key) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " \"" + text + "\" is not a number");
        }
    }

    private static int day(String text, String key) {
        try {
            return (int) LocalDate.parse(text.strip()).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    key + " \"" + text + "\" is not a date (2026-05-04)");
        }
    }

    /** Whether this rule's scope takes in {@code who} (a store, supplier or PSP). */
    boolean covers(String who) {
        return ALL.equals(scope) || scope.strip().equalsIgnoreCase(who == null ? "" : who.strip());
    }
}
