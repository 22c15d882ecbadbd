package io.treso.jobs.account;

import io.treso.calendar.BusinessCalendar;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which business-day calendar an account counts in at a time: the ACCOUNT_CONFIG in force (the
 * latest effective, then the highest version), else its currency's default in UTC (EUR on TARGET,
 * USD on US federal holidays, GBP on England's). Deadlines that wait for the bank count these days.
 */
public final class AccountCalendars {
    private final List<AccountConfig> configs;
    private final Map<String, BusinessCalendar> built = new HashMap<>();

    public AccountCalendars(Collection<AccountConfig> configs) {
        this.configs = new ArrayList<>(configs);
    }

    /** The calendar of {@code account} at {@code time}; {@code currency} may be null (TARGET). */
    public BusinessCalendar at(String account, String currency, long time) {
        AccountConfig best = null;
        for (AccountConfig c : configs) {
            if (!c.account.equals(account) || c.effectiveAt > time) continue;
            if (best == null
                    || c.effectiveAt > best.effectiveAt
                    || (c.effectiveAt == best.effectiveAt && c.version > best.version)) {
                best = c;
            }
        }
        String ccy = currency == null ? "EUR" : currency;
        if (best == null) {
            return built.computeIfAbsent(
                    "default|" + ccy, k -> BusinessCalendar.forCurrency(ccy, ZoneOffset.UTC));
        }
        AccountConfig chosen = best;
        return built.computeIfAbsent(chosen.eventId + "|" + ccy, k -> chosen.calendar(ccy));
    }

    /**
     * The calendar of a scope that knows only its currency (an order, a PSP): the currency's
     * default in UTC.
     */
    public static BusinessCalendar forCurrency(String currency) {
        // Asked per capture and per payout: built once per currency and JVM.
        return BY_CURRENCY.computeIfAbsent(
                currency == null ? "EUR" : currency,
                c -> BusinessCalendar.forCurrency(c, ZoneOffset.UTC));
    }

    private static final Map<String, BusinessCalendar> BY_CURRENCY =
            new java.util.concurrent.ConcurrentHashMap<>();
}
