package io.treso.jobs.variance;

import io.treso.calendar.BusinessCalendar;
import io.treso.jobs.account.AccountCalendars;
import io.treso.jobs.account.AccountConfig;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every variance control known, indexed by the scope or store it names, so a judgement reads only
 * its own: scanning every store's promotions and zones for each bucket made the pipeline quadratic
 * in stores (the profile's top variance frames).
 */
public final class VarianceControls {
    public static final VarianceControls NONE = of(List.of());

    private final Map<String, List<VarianceControl>> rulesByScope = new HashMap<>();
    private final Map<String, List<VarianceControl>> byStore = new HashMap<>();
    private final List<AccountConfig> accounts = new ArrayList<>();
    private AccountCalendars calendars;

    private VarianceControls() {}

    public static VarianceControls of(Iterable<VarianceControl> controls) {
        VarianceControls index = new VarianceControls();
        for (VarianceControl c : controls) {
            if (c.rule != null) {
                index.rulesByScope.computeIfAbsent(c.rule.scope, s -> new ArrayList<>()).add(c);
            } else if (c.store != null) {
                index.byStore.computeIfAbsent(c.store, s -> new ArrayList<>()).add(c);
                if (c.account != null) index.accounts.add(c.account);
            }
        }
        return index;
    }

    /** The settings for {@code scope} at {@code time}: defaults, then {@code *}, then its own. */
    public VarianceSettings settings(String scope, long time) {
        List<VarianceControl> all = rulesByScope.getOrDefault(VarianceRule.ALL_SCOPES, List.of());
        List<VarianceControl> own = rulesByScope.getOrDefault(scope, List.of());
        if (all.isEmpty() && own.isEmpty()) return VarianceSettings.DEFAULTS;
        List<VarianceControl> both = new ArrayList<>(all.size() + own.size());
        both.addAll(all);
        both.addAll(own);
        return VarianceSettings.resolve(both, scope, time);
    }

    /** The account's business-day calendar (ACCOUNT_CONFIG, else its currency's default). */
    public BusinessCalendar calendar(String account, String currency, long time) {
        if (calendars == null) calendars = new AccountCalendars(accounts);
        return calendars.at(account, currency, time);
    }

    /** The store's (or account's) zone at {@code time}; UTC when none is known. */
    public ZoneId zone(String store, long time) {
        return VarianceSettings.zone(byStore.getOrDefault(store, List.of()), store, time);
    }

    /** The store's planned uplift at {@code time}; 1 outside promotions. */
    public double uplift(String store, long time) {
        return VarianceSettings.uplift(byStore.getOrDefault(store, List.of()), store, time);
    }
}
