package io.treso.jobs.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTest {
    @Test
    void aUrlIsShownMasked() {
        assertEquals(
                "https://hooks.slack.com/services/T…/***",
                Webhook.mask(URI.create("https://hooks.slack.com/services/T0123/B456/XyZsecret")));
        assertEquals(
                "http://127.0.0.1:8080/***",
                Webhook.mask(URI.create("http://127.0.0.1:8080/hook/s3cret")));
        assertEquals("$SLACK_CRITICAL", Webhook.fromEnv("SLACK_CRITICAL").toString());
        assertFalse(
                Webhook.of("https://hooks.slack.com/services/T0/B0/s3cret")
                        .toString()
                        .contains("s3cret"));
    }

    @Test
    void aMissingOrBadUrlIsRefusedWithoutQuotingIt() {
        var missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Webhook.fromEnv("NOPE").resolve(Map.of()));
        assertTrue(missing.getMessage().contains("NOPE"));
        var bad =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Webhook.fromEnv("W").resolve(Map.of("W", "ftp://s3cret@host/x")));
        assertFalse(bad.getMessage().contains("s3cret"), bad.getMessage());
    }

    @Test
    void routesAreReadInOrderAndAMistakeNamesItsKey() {
        NotifySettings s =
                NotifySettings.of(
                        Map.of(
                                "treso.notify.routes", "critical, chores, everything",
                                "treso.notify.route.critical.webhook-env", "SLACK_CRITICAL",
                                "treso.notify.route.critical.severities", "CRITICAL",
                                "treso.notify.route.critical.types",
                                        "LOW_BALANCE,DUPLICATE_PAYMENT",
                                "treso.notify.route.chores.webhook-file", "/run/secrets/chores",
                                "treso.notify.route.chores.types", "MISSING_DEPOSIT,MISSING_PAYOUT",
                                "treso.notify.route.everything.webhook-env", "HOOK",
                                "treso.notify.route.everything.format", "json"));
        assertEquals(3, s.routes.size());
        var low = AlertExamples.examples().get(0);
        assertEquals("critical", NotifyFunction.routeOf(s, low));
        assertEquals(
                "chores",
                NotifyFunction.routeOf(
                        s,
                        AlertExamples.alert(
                                "x",
                                "MISSING_PAYOUT",
                                io.treso.event.Severity.WARNING,
                                io.treso.event.AlertState.FIRING,
                                "s",
                                "2026-01-01T00:00:00Z")));
        assertEquals("everything", NotifyFunction.routeOf(s, AlertExamples.examples().get(2)));
        assertEquals(Route.Format.JSON, s.routes.get(2).format);

        var twoSources =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                NotifySettings.of(
                                        Map.of(
                                                "treso.notify.routes", "a",
                                                "treso.notify.route.a.webhook-env", "A",
                                                "treso.notify.route.a.webhook-file", "/f")));
        assertTrue(twoSources.getMessage().contains("exactly one"));
        var typo =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                NotifySettings.of(
                                        Map.of(
                                                "treso.notify.routes", "a",
                                                "treso.notify.route.a.webhook-env", "A",
                                                "treso.notify.route.a.webhook", "https://x/y")));
        assertTrue(typo.getMessage().contains("treso.notify.route.a.webhook"), typo.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        NotifySettings.of(
                                Map.of(
                                        "treso.notify.routes",
                                        "a",
                                        "treso.notify.route.a.webhook-env",
                                        "A",
                                        "treso.notify.route.a.severities",
                                        "URGENT")));
    }
}
