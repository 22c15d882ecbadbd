package io.treso.jobs.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A message as Slack's Block Kit: a header with an emoji by severity and the edge, the alert in
 * plain words, fields (amount in the locale's money format, scope, time in the configured zone,
 * observed against threshold or baseline), a context line with the alert id and its evidence, and
 * links to the board and the runbook. {@code text} is set too, for notifications. Within Slack's
 * limits: 50 blocks, 3,000 characters per text, 10 fields per section, 150 in a header.
 */
public final class SlackMessage {
    public static final int MAX_BLOCKS = 50;
    public static final int MAX_TEXT = 3000;
    public static final int MAX_FIELDS = 10;
    public static final int MAX_HEADER = 150;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotifySettings settings;
    private final DateTimeFormatter time;

    public SlackMessage(NotifySettings settings) {
        this.settings = settings;
        this.time =
                DateTimeFormatter.ofPattern("d MMM yyyy HH:mm zzz", settings.locale)
                        .withZone(ZoneId.of(settings.zone));
    }

    public String render(Message m) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode blocks = root.putArray("blocks");
        List<String> text = new ArrayList<>();
        if (m.kind() == Message.Kind.GROUP && m.alerts().size() == 1) {
            CashAlert a = m.alerts().get(0);
            header(
                    blocks,
                    emoji(a.getSeverity())
                            + " "
                            + a.getState()
                            + " · "
                            + a.getType()
                            + " · "
                            + scope(a.getScope()));
            alert(blocks, a, m);
            text.add(plain(a, m));
        } else {
            String title =
                    switch (m.kind()) {
                        case GROUP ->
                                m.alerts().size()
                                        + " "
                                        + m.alerts().get(0).getType()
                                        + " on "
                                        + scope(m.alerts().get(0).getScope());
                        case DIGEST -> m.alerts().size() + " alerts at once";
                        case REMINDER ->
                                "Still firing: "
                                        + m.alerts().size()
                                        + " alert"
                                        + (m.alerts().size() == 1 ? "" : "s");
                    };
            header(blocks, emoji(worst(m.alerts())) + " " + title);
            if (m.kind() == Message.Kind.GROUP) {
                for (CashAlert a : m.alerts()) {
                    alert(blocks, a, m);
                    blocks.addObject().put("type", "divider");
                    text.add(plain(a, m));
                }
            } else {
                digest(blocks, m, text);
            }
        }
        links(blocks, m.alerts().get(0).getType());
        root.put("text", cap(String.join("\n", text), 3000));
        if (blocks.size() > MAX_BLOCKS) {
            throw new IllegalStateException("a message of " + blocks.size() + " blocks");
        }
        return root.toString();
    }

    private void alert(ArrayNode blocks, CashAlert a, Message m) {
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", cap(words(a, m), MAX_TEXT));
        ArrayNode fields = section.putArray("fields");
        Map<String, String> f = fields(a);
        f.entrySet().stream()
                .limit(MAX_FIELDS)
                .forEach(
                        e ->
                                fields.addObject()
                                        .put("type", "mrkdwn")
                                        .put(
                                                "text",
                                                cap(
                                                        "*" + e.getKey() + "*\n" + e.getValue(),
                                                        2000)));
        ObjectNode context = blocks.addObject().put("type", "context");
        String evidence =
                a.getEvidenceEventIds().isEmpty()
                        ? ""
                        : " · evidence "
                                + masked(
                                        String.join(
                                                ", ",
                                                a.getEvidenceEventIds().stream().limit(3).toList()))
                                + (a.getEvidenceEventIds().size() > 3
                                        ? " and " + (a.getEvidenceEventIds().size() - 3) + " more"
                                        : "");
        context.putArray("elements")
                .addObject()
                .put("type", "mrkdwn")
                .put("text", cap(id(a) + evidence, MAX_TEXT));
    }

    /** A digest: one line per group, then every alert id and state, in context elements. */
    private void digest(ArrayNode blocks, Message m, List<String> text) {
        Map<String, List<CashAlert>> groups = new LinkedHashMap<>();
        for (CashAlert a : m.alerts())
            groups.computeIfAbsent(Outbox.group(a), g -> new ArrayList<>()).add(a);
        StringBuilder lines = new StringBuilder();
        List<String> sections = new ArrayList<>();
        for (List<CashAlert> g : groups.values()) {
            CashAlert first = g.get(0);
            String line =
                    "• *"
                            + (g.size() > 1 ? g.size() + " " : "")
                            + first.getType()
                            + "* on "
                            + scope(first.getScope())
                            + " ("
                            + first.getSeverity()
                            + ", "
                            + first.getState()
                            + "): "
                            + first.getMessage();
            line = cap(line, 600);
            if (lines.length() + line.length() + 1 > MAX_TEXT) {
                sections.add(lines.toString());
                lines.setLength(0);
            }
            lines.append(line).append('\n');
            text.add(line);
        }
        if (lines.length() > 0) sections.add(lines.toString());
        for (String s : sections.subList(0, Math.min(sections.size(), 30))) {
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", s.strip());
        }
        // The ids, so each state can be traced: chunks of 3,000 characters, 10 to a context.
        List<String> chunks = new ArrayList<>();
        StringBuilder ids = new StringBuilder();
        for (CashAlert a : m.alerts()) {
            String id = id(a);
            if (ids.length() + id.length() + 2 > MAX_TEXT) {
                chunks.add(ids.toString());
                ids.setLength(0);
            }
            ids.append(ids.length() == 0 ? "" : " · ").append(id);
        }
        if (ids.length() > 0) chunks.add(ids.toString());
        for (int i = 0; i < chunks.size(); i += 10) {
            ArrayNode elements = blocks.addObject().put("type", "context").putArray("elements");
            for (String c : chunks.subList(i, Math.min(chunks.size(), i + 10))) {
                elements.addObject().put("type", "mrkdwn").put("text", c);
            }
        }
    }

    private void links(ArrayNode blocks, String type) {
        List<String> links = new ArrayList<>();
        if (!settings.dashboardUrl.isBlank())
            links.add("<" + settings.dashboardUrl + "|Treasury board>");
        if (!settings.runbookUrl.isBlank()) {
            links.add(
                    "<"
                            + settings.runbookUrl
                            + "#"
                            + type.toLowerCase(Locale.ROOT).replace('_', '-')
                            + "|What to do about "
                            + type
                            + ">");
        }
        if (!links.isEmpty()) {
            blocks.addObject()
                    .put("type", "context")
                    .putArray("elements")
                    .addObject()
                    .put("type", "mrkdwn")
                    .put("text", String.join(" · ", links));
        }
    }

    private void header(ArrayNode blocks, String text) {
        blocks.addObject()
                .put("type", "header")
                .putObject("text")
                .put("type", "plain_text")
                .put("text", cap(text, MAX_HEADER))
                .put("emoji", true);
    }

    private String words(CashAlert a, Message m) {
        String s = a.getMessage();
        Long fired = m.firedAt().get(a.getAlertId());
        if (a.getState() == AlertState.RESOLVED && fired != null) {
            s +=
                    "\n_Resolved after "
                            + human(Duration.ofMillis(a.getDetectedAt().toEpochMilli() - fired))
                            + "._";
        }
        return s;
    }

    private String plain(CashAlert a, Message m) {
        return a.getSeverity()
                + " "
                + a.getState()
                + " "
                + a.getType()
                + " "
                + scope(a.getScope())
                + ": "
                + a.getMessage();
    }

    Map<String, String> fields(CashAlert a) {
        Map<String, String> f = new LinkedHashMap<>();
        if (a.getObservedValue() != null) f.put("Amount", money(a.getObservedValue(), a.getUnit()));
        f.put("Scope", scope(a.getScope()));
        f.put("When", time.format(a.getDetectedAt()));
        f.put("Severity", a.getSeverity().name());
        if (a.getThresholdValue() != null) {
            f.put("Threshold", money(a.getThresholdValue(), a.getUnit()));
        } else if (a.getBaselineMean() != null) {
            f.put(
                    "Baseline",
                    money(a.getBaselineMean(), a.getUnit())
                            + (a.getZScore() == null ? "" : " (z " + a.getZScore() + ")"));
        }
        if (a.getWindowStart() != null && a.getWindowEnd() != null) {
            f.put(
                    "Window",
                    time.format(a.getWindowStart()) + " – " + time.format(a.getWindowEnd()));
        }
        return f;
    }

    /** A decimal amount with its currency in the locale: 70000.00 EUR → "€70,000.00" (en-GB). */
    String money(String decimal, String unit) {
        try {
            BigDecimal v = new BigDecimal(decimal);
            if (unit == null || !unit.matches("[A-Z]{3}")) {
                return NumberFormat.getNumberInstance(settings.locale).format(v)
                        + (unit == null ? "" : " " + unit);
            }
            NumberFormat f = NumberFormat.getCurrencyInstance(settings.locale);
            f.setCurrency(Currency.getInstance(unit));
            f.setMaximumFractionDigits(Alerts.digits(unit));
            f.setMinimumFractionDigits(Alerts.digits(unit));
            return f.format(v);
        } catch (RuntimeException e) {
            return decimal + (unit == null ? "" : " " + unit);
        }
    }

    /** The alert id with any IBAN in it masked (ids embed their scope), and its state. */
    public static String id(CashAlert a) {
        return "`" + masked(a.getAlertId()) + "` " + a.getState();
    }

    private static final java.util.regex.Pattern IBAN =
            java.util.regex.Pattern.compile("\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}\\b");

    /** Every IBAN-shaped token of {@code text} masked. */
    static String masked(String text) {
        return IBAN.matcher(text).replaceAll(m -> Alerts.mask(m.group()));
    }

    /** IBANs masked as everywhere else; other scopes as they are. */
    static String scope(String scope) {
        return masked(scope);
    }

    static String emoji(Severity s) {
        return switch (s) {
            case CRITICAL -> ":rotating_light:";
            case WARNING -> ":warning:";
            case INFO -> ":information_source:";
            default -> ":grey_question:";
        };
    }

    private static Severity worst(List<CashAlert> alerts) {
        Severity w = Severity.INFO;
        for (CashAlert a : alerts) {
            if (a.getSeverity() == Severity.CRITICAL) return Severity.CRITICAL;
            if (a.getSeverity() == Severity.WARNING) w = Severity.WARNING;
        }
        return w;
    }

    static String human(Duration d) {
        if (d.isNegative()) return "0 min";
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        if (days > 0) return days + " d " + hours + " h";
        if (hours > 0) return hours + " h " + minutes + " min";
        return Math.max(1, minutes) + " min";
    }

    static String cap(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** For tests and the README's example: an instant in the configured zone. */
    String at(Instant i) {
        return time.format(i);
    }
}
