package io.treso.jobs.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Block Kit of each alert type against golden files ({@code notify/golden/}; rewrite them with
 * {@code -Dtreso.write-golden=true} after a deliberate change) and Slack's documented limits.
 */
class SlackMessageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path GOLDEN = Path.of("src/test/resources/notify/golden");

    static SlackMessage slack(String locale) {
        return new SlackMessage(
                NotifySettings.everythingTo(
                        Webhook.of("https://hooks.slack.com/services/T0/B0/secret"),
                        Map.of(
                                "treso.notify.locale", locale,
                                "treso.notify.zone", "Europe/Paris",
                                "treso.notify.dashboard-url",
                                        "http://grafana:3000/d/treso-treasury-overview",
                                "treso.notify.runbook-url",
                                        "https://github.com/treso/treso#readme")));
    }

    @Test
    void eachAlertTypeMatchesItsGoldenMessage() throws Exception {
        SlackMessage slack = slack("en-GB");
        for (CashAlert a : AlertExamples.examples()) {
            Map<String, Long> fired =
                    a.getState() == AlertState.RESOLVED
                            ? Map.of(
                                    a.getAlertId(),
                                    java.time.Instant.parse("2026-03-19T09:30:00Z").toEpochMilli())
                            : Map.of();
            String json = slack.render(new Message(Message.Kind.GROUP, List.of(a), fired));
            JsonNode m = JSON.readTree(json);
            withinLimits(m);
            assertTrue(m.path("text").asText().contains(a.getType()), "a plain-text fallback");
            Path golden = GOLDEN.resolve(a.getType() + "-" + a.getState() + ".json");
            String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
            if (Boolean.getBoolean("treso.write-golden")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, pretty);
            }
            assertEquals(
                    Files.readString(golden, StandardCharsets.UTF_8), pretty, golden.toString());
        }
    }

    @Test
    void amountsFollowTheLocaleAndIbansAreMasked() throws Exception {
        CashAlert low = AlertExamples.examples().get(0);
        String fr = slack("fr-FR").render(new Message(Message.Kind.GROUP, List.of(low), Map.of()));
        // fr-FR groups with a narrow no-break space.
        assertTrue(fr.replaceAll("[\\u00A0\\u202F]", " ").contains("70 000,00 €"), fr);
        String en = slack("en-GB").render(new Message(Message.Kind.GROUP, List.of(low), Map.of()));
        assertTrue(en.contains("€70,000.00"), en);
        assertFalse(en.contains("FR7630006000011234567890189"), "the IBAN is masked, evidence too");
        assertTrue(en.contains("FR76…0189"));
        assertTrue(en.contains("19 Mar 2026 10:30 CET"), "in the configured zone: " + en);
    }

    @Test
    void aLargeGroupAndAHugeDigestStayWithinSlacksLimits() throws Exception {
        List<CashAlert> many = new ArrayList<>();
        for (int i = 0; i < Outbox.MAX_DIGEST; i++) {
            CashAlert a =
                    AlertExamples.alert(
                            "MISSING_DEPOSIT:po_" + i + ":" + "x".repeat(80),
                            "MISSING_DEPOSIT",
                            Severity.CRITICAL,
                            AlertState.FIRING,
                            "scope-" + i,
                            "2026-03-01T10:00:00Z");
            a.setMessage("y".repeat(2_000));
            a.setEvidenceEventIds(List.of("e".repeat(5_000)));
            many.add(a);
        }
        SlackMessage slack = slack("en-GB");
        withinLimits(JSON.readTree(slack.render(new Message(Message.Kind.DIGEST, many, Map.of()))));
        List<CashAlert> group = new ArrayList<>();
        for (int i = 0; i < Outbox.MAX_GROUP; i++) {
            CashAlert a = CashAlert.newBuilder(many.get(i)).setScope("same").build();
            group.add(a);
        }
        JsonNode g = JSON.readTree(slack.render(new Message(Message.Kind.GROUP, group, Map.of())));
        withinLimits(g);
        String digest = slack.render(new Message(Message.Kind.DIGEST, many, Map.of()));
        for (CashAlert a : many) {
            assertTrue(
                    digest.contains("`" + a.getAlertId() + "` FIRING"),
                    "every state can be traced");
        }
    }

    static void withinLimits(JsonNode m) {
        JsonNode blocks = m.path("blocks");
        assertTrue(blocks.size() <= SlackMessage.MAX_BLOCKS, "blocks: " + blocks.size());
        for (JsonNode b : blocks) {
            String type = b.path("type").asText();
            if (type.equals("header")) {
                assertTrue(
                        b.path("text").path("text").asText().length() <= SlackMessage.MAX_HEADER);
            }
            assertTrue(b.path("text").path("text").asText().length() <= SlackMessage.MAX_TEXT);
            assertTrue(b.path("fields").size() <= SlackMessage.MAX_FIELDS);
            for (JsonNode f : b.path("fields"))
                assertTrue(f.path("text").asText().length() <= 2000);
            assertTrue(b.path("elements").size() <= 10);
            for (JsonNode e : b.path("elements")) {
                assertTrue(e.path("text").asText().length() <= SlackMessage.MAX_TEXT);
            }
        }
        assertTrue(m.path("text").asText().length() <= 3000);
    }
}
