package io.treso.jobs.variance;

import io.treso.event.ControlCommand;
import io.treso.jobs.account.AccountConfig;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A control command the variance pipeline reads, parsed: a {@link VarianceRule}, a PROMOTION (a
 * store's planned sale: orders expected {@code uplift} times the usual from {@code effective_at}
 * until {@code until}), a STORE_CONFIG (the store's time zone, for its hour-of-week slots), or an
 * ACCOUNT_CONFIG (the account's zone and calendar, for off-hours debits and its outflow days).
 */
public final class VarianceControl implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String PROMOTION = "PROMOTION";
    public static final String STORE_CONFIG = "STORE_CONFIG";

    public String eventId;
    public VarianceRule rule;

    /** PROMOTION and STORE_CONFIG: the store id. */
    public String store;

    public long from;
    public long until;
    public double uplift;
    public String zone;

    /** ACCOUNT_CONFIG: the account's zone and calendar. */
    public AccountConfig account;

    /** {@link #zone} resolved once: every store bucket end asks for its zone. */
    private transient ZoneId zoneId;

    ZoneId zoneId() {
        if (zoneId == null) zoneId = ZoneId.of(zone);
        return zoneId;
    }

    /** The parsed command; empty for other kinds; a malformed one throws, naming why. */
    public static Optional<VarianceControl> of(ControlCommand c) {
        VarianceControl v = new VarianceControl();
        v.eventId = c.getEventId();
        v.from = c.getEffectiveAt().toEpochMilli();
        switch (c.getKind()) {
            case VarianceRule.KIND -> v.rule = VarianceRule.of(c).orElseThrow();
            case PROMOTION -> {
                v.store = c.getScope();
                String until = c.getParams().get("until");
                String uplift = c.getParams().get("uplift");
                if (until == null || uplift == null) {
                    throw new IllegalArgumentException("a promotion needs until and uplift");
                }
                try {
                    v.until = Instant.parse(until).toEpochMilli();
                    v.uplift = new BigDecimal(uplift).doubleValue();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "until must be an ISO instant and uplift a decimal");
                }
                if (v.until <= v.from || !(v.uplift > 0)) {
                    throw new IllegalArgumentException(
                            "a promotion needs until after effective_at and uplift > 0");
                }
            }
            case STORE_CONFIG -> {
                v.store = c.getScope();
                if (c.getTimeZone() == null) return Optional.empty();
                try {
                    v.zone = ZoneId.of(c.getTimeZone()).getId();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "time_zone \"" + c.getTimeZone() + "\" is not a zone id");
                }
            }
            case AccountConfig.KIND -> {
                v.account = AccountConfig.of(c).orElseThrow();
                v.store = v.account.account;
                v.zone = v.account.zone;
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(v);
    }
}
