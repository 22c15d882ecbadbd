package io.treso.jobs.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The notifier's keys ({@code ./treso notify}, the demo's Slack delivery). Routes are keys by name:
 * {@code treso.notify.route.<name>.webhook-env | webhook-file | format | types | severities}, read
 * by {@code NotifySettings}.
 */
public final class NotifyOptions {
    private NotifyOptions() {}

    public static final String ROUTE_PREFIX = "treso.notify.route.";

    public static final Param<List<String>> ROUTES =
            new Param<>(
                    "treso.notify.routes",
                    List.of(),
                    "The routes, in the order they are tried; each alert goes to the first whose types and severities take it (a route with neither takes all: put it last as the default).",
                    NotifyOptions::names);

    public static final Param<Duration> GROUP_WAIT =
            new Param<>(
                    "treso.notify.group-wait",
                    Duration.ofSeconds(30),
                    "Alerts of one route and group (type and scope) that arrive within this go out as one message.",
                    NotifyOptions::positive);

    public static final Param<Duration> REPEAT_INTERVAL =
            new Param<>(
                    "treso.notify.repeat-interval",
                    Duration.ofHours(4),
                    "A group still firing is reminded no more often than this.",
                    NotifyOptions::positive);

    public static final Param<Duration> MIN_INTERVAL =
            new Param<>(
                    "treso.notify.min-interval",
                    Duration.ofSeconds(1),
                    "The least time between two messages to one webhook (Slack allows one a second); a burst beyond it is folded into digests.",
                    NotifyOptions::positive);

    public static final Param<Locale> LOCALE =
            new Param<>(
                    "treso.notify.locale",
                    Locale.forLanguageTag("en-GB"),
                    "How amounts are written in messages (fr-FR: 1 234,56 €).",
                    Locale::forLanguageTag);

    public static final Param<String> ZONE =
            new Param<>(
                    "treso.notify.zone",
                    "UTC",
                    "The time zone of times in messages.",
                    z -> java.time.ZoneId.of(z).getId());

    public static final Param<String> DASHBOARD_URL =
            new Param<>(
                    "treso.notify.dashboard-url",
                    "",
                    "A Grafana board linked from each message (the Treasury overview), when set.",
                    s -> s);

    public static final Param<String> RUNBOOK_URL =
            new Param<>(
                    "treso.notify.runbook-url",
                    "",
                    "The README's URL: each message links to its alert type's runbook there, when set.",
                    s -> s);

    public static final List<Param<?>> ALL =
            List.of(
                    ROUTES,
                    GROUP_WAIT,
                    REPEAT_INTERVAL,
                    MIN_INTERVAL,
                    LOCALE,
                    ZONE,
                    DASHBOARD_URL,
                    RUNBOOK_URL);

    private static List<String> names(String s) {
        return List.of(s.split("\\s*,\\s*")).stream().filter(n -> !n.isBlank()).toList();
    }

    private static Duration positive(String s) {
        Duration d = Duration.parse(s);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be positive");
        return d;
    }
}
