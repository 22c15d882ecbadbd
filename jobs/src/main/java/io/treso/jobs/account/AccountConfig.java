package io.treso.jobs.account;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.ControlCommand;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * An ACCOUNT_CONFIG control command (scope: the account id): the account's time zone ({@code
 * time_zone}) and business-day calendar ({@code params.calendar}: TARGET, US, GB-ENG, FR, NONE…).
 * Either may be left out: the zone is then UTC, the calendar the currency's default.
 * Effective-dated like every rule; a bad zone or calendar is refused at the door.
 */
public final class AccountConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "ACCOUNT_CONFIG";

    public String eventId;
    public String account;

    /** The calendar id, or null for the currency's default. */
    public String calendar;

    /** The IANA zone, or null for UTC. */
    public String zone;

    public long effectiveAt;
    public long version;

    public AccountConfig() {}

    /** The config an ACCOUNT_CONFIG carries, or empty for other kinds. A bad value throws. */
    public static Optional<AccountConfig> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        AccountConfig a = new AccountConfig();
        a.eventId = c.getEventId();
        a.account = c.getScope();
        a.zone = c.getTimeZone();
        a.calendar = c.getParams().get("calendar");
        a.effectiveAt = c.getEffectiveAt().toEpochMilli();
        a.version = c.getVersion();
        if (a.account == null || a.account.isBlank() || a.account.equals("*")) {
            throw new IllegalArgumentException("ACCOUNT_CONFIG names one account as its scope");
        }
        a.calendar(null); // refuses an unknown zone or calendar here, at the door
        return Optional.of(a);
    }

    /** This account's calendar; {@code currency} chooses it when the config names none. */
    public BusinessCalendar calendar(String currency) {
        ZoneId z;
        try {
            z = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "'");
        }
        return calendar != null
                ? BusinessCalendar.of(calendar, z)
                : BusinessCalendar.forCurrency(currency, z);
    }
}
