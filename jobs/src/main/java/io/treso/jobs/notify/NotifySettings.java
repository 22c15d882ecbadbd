package io.treso.jobs.notify;

import io.treso.jobs.config.NotifyOptions;
import io.treso.jobs.config.Param;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The notifier's configuration, checked whole before anything starts. */
public final class NotifySettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Set<String> ROUTE_KEYS =
            Set.of("webhook-env", "webhook-file", "format", "types", "severities");

    public final List<Route> routes;
    public final long groupWaitMillis;
    public final long repeatMillis;
    public final long minIntervalMillis;
    public final Locale locale;
    public final String zone;
    public final String dashboardUrl;
    public final String runbookUrl;

    private NotifySettings(List<Route> routes, Map<String, String> values) {
        this.routes = List.copyOf(routes);
        this.groupWaitMillis = NotifyOptions.GROUP_WAIT.from(values).toMillis();
        this.repeatMillis = NotifyOptions.REPEAT_INTERVAL.from(values).toMillis();
        this.minIntervalMillis = NotifyOptions.MIN_INTERVAL.from(values).toMillis();
        this.locale = NotifyOptions.LOCALE.from(values);
        this.zone = NotifyOptions.ZONE.from(values);
        this.dashboardUrl = NotifyOptions.DASHBOARD_URL.from(values);
        this.runbookUrl = NotifyOptions.RUNBOOK_URL.from(values);
    }

    /** Whether {@code key} is the notifier's. */
    public static boolean isNotifyKey(String key) {
        return key.startsWith("treso.notify.");
    }

    /**
     * Reads the {@code treso.notify.*} keys of {@code values}; an unknown or malformed one fails.
     */
    public static NotifySettings of(Map<String, String> values) {
        Map<String, String> own = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (isNotifyKey(k)) own.put(k, v);
                });
        List<String> names = NotifyOptions.ROUTES.from(own);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(
                    "no route: set treso.notify.routes and each route's webhook-env or webhook-file");
        }
        Map<String, Map<String, String>> byRoute = new HashMap<>();
        for (var e : own.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(NotifyOptions.ROUTE_PREFIX)) {
                String rest = k.substring(NotifyOptions.ROUTE_PREFIX.length());
                int dot = rest.indexOf('.');
                String name = dot < 0 ? rest : rest.substring(0, dot);
                String key = dot < 0 ? "" : rest.substring(dot + 1);
                if (!names.contains(name)) {
                    throw new IllegalArgumentException(
                            "config "
                                    + k
                                    + " names a route that treso.notify.routes does not list");
                }
                if (!ROUTE_KEYS.contains(key)) {
                    throw new IllegalArgumentException(
                            "unknown config key " + k + " (a route takes " + ROUTE_KEYS + ")");
                }
                byRoute.computeIfAbsent(name, n -> new HashMap<>()).put(key, e.getValue().strip());
            } else if (NotifyOptions.ALL.stream().map(Param::key).noneMatch(k::equals)) {
                throw new IllegalArgumentException("unknown config key " + k);
            }
        }
        List<Route> routes = new ArrayList<>();
        for (String name : names) {
            routes.add(route(name, byRoute.getOrDefault(name, Map.of())));
        }
        NotifySettings s = new NotifySettings(routes, own);
        ZoneId.of(s.zone);
        return s;
    }

    /** One route to {@code webhook} for every alert: the demo's {@code --slack-webhook}. */
    public static NotifySettings everythingTo(Webhook webhook, Map<String, String> values) {
        return new NotifySettings(
                List.of(new Route("slack", Route.Format.SLACK, Set.of(), Set.of(), webhook)),
                values);
    }

    private static Route route(String name, Map<String, String> keys) {
        String env = keys.get("webhook-env");
        String file = keys.get("webhook-file");
        if ((env == null) == (file == null)) {
            throw new IllegalArgumentException(
                    "route "
                            + name
                            + " needs exactly one of "
                            + NotifyOptions.ROUTE_PREFIX
                            + name
                            + ".webhook-env (a variable's name) or .webhook-file (a path); the URL itself never goes in a config file or on a command line");
        }
        Route.Format format;
        try {
            format =
                    Route.Format.valueOf(
                            keys.getOrDefault("format", "slack").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route " + name + ": format is slack or json");
        }
        Set<String> severities = list(keys.get("severities"));
        for (String s : severities) {
            if (!Set.of("INFO", "WARNING", "CRITICAL").contains(s)) {
                throw new IllegalArgumentException(
                        "route "
                                + name
                                + ": severity "
                                + s
                                + " is none of INFO, WARNING, CRITICAL");
            }
        }
        return new Route(
                name,
                format,
                list(keys.get("types")),
                severities,
                env != null ? Webhook.fromEnv(env) : Webhook.fromFile(file));
    }

    private static Set<String> list(String s) {
        Set<String> out = new LinkedHashSet<>();
        if (s == null) return out;
        for (String p : s.split("\\s*,\\s*")) {
            if (!p.isBlank()) out.add(p.strip().toUpperCase(Locale.ROOT));
        }
        return out;
    }
}
