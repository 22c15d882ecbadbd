package io.treso.jobs.notify;

import static io.treso.jobs.notify.AlertExamples.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxTest {
    static final NotifySettings SETTINGS =
            NotifySettings.everythingTo(
                    Webhook.of("https://hooks.slack.com/services/T0/B0/secret"),
                    Map.of(
                            "treso.notify.group-wait", "PT30S",
                            "treso.notify.repeat-interval", "PT4H"));

    final MemoryStore store = new MemoryStore();
    final Outbox box = new Outbox(store, SETTINGS);

    static CashAlert missing(String id, String scope, AlertState state, String at) {
        return alert(id, "MISSING_DEPOSIT", Severity.CRITICAL, state, scope, at);
    }

    @Test
    void alertsOfOneGroupWithinTheWaitGoAsOneMessage() {
        box.offer(missing("a", "FR76", AlertState.FIRING, "2026-03-01T10:00:00Z"), 0);
        box.offer(missing("b", "FR76", AlertState.FIRING, "2026-03-01T09:00:00Z"), 10_000);
        assertNull(box.next(29_999), "the group waits 30 s from its first alert");
        assertEquals(30_000L, box.wakeAt());
        Message m = box.next(30_000);
        assertEquals(Message.Kind.GROUP, m.kind());
        assertEquals(List.of("b|FIRING", "a|FIRING"), m.keys(), "as they happened");
        box.sent(m, 30_000);
        assertNull(box.next(31_000));
        assertFalse(
                box.offer(missing("a", "FR76", AlertState.FIRING, "2026-03-01T10:00:00Z"), 40_000),
                "a repeat from the topic");
    }

    @Test
    void groupsDueTogetherAreFoldedIntoADigest() {
        for (int i = 0; i < 70; i++) {
            box.offer(
                    missing(
                            "m" + i,
                            "scope-" + (i % 14),
                            AlertState.FIRING,
                            "2026-03-01T10:00:00Z"),
                    i);
        }
        box.offer(
                alert(
                        "low",
                        "LOW_BALANCE",
                        Severity.INFO,
                        AlertState.FIRING,
                        "X",
                        "2026-03-01T10:00:00Z"),
                0);
        Message first = box.next(60_000);
        assertEquals(Message.Kind.DIGEST, first.kind());
        assertEquals(Outbox.MAX_DIGEST, first.alerts().size());
        assertFalse(first.keys().contains("low|FIRING"), "the most severe first");
        box.sent(first, 60_000);
        Message second = box.next(61_000);
        assertEquals(Message.Kind.DIGEST, second.kind());
        assertEquals(11, second.alerts().size());
        box.sent(second, 61_000);
        assertNull(box.next(62_000));
        assertEquals(71, store.delivered.size(), "each state once");
    }

    @Test
    void aResolvedStateSaysHowLongTheEpisodeLastedAndAFiringGroupIsReminded() {
        CashAlert fired = missing("a", "FR76", AlertState.FIRING, "2026-03-01T10:00:00Z");
        box.offer(fired, 0);
        box.sent(box.next(30_000), 30_000);
        assertEquals(
                30_000L + 4 * 3_600_000L, box.wakeAt(), "a reminder after the repeat interval");
        Message reminder = box.next(30_000L + 4 * 3_600_000L);
        assertEquals(Message.Kind.REMINDER, reminder.kind());
        assertEquals(List.of(), reminder.keys(), "a reminder delivers no new state");
        box.sent(reminder, 30_000L + 4 * 3_600_000L);

        box.offer(missing("a", "FR76", AlertState.RESOLVED, "2026-03-01T13:30:00Z"), 20_000_000);
        Message resolved = box.next(20_030_000);
        assertEquals(
                java.time.Instant.parse("2026-03-01T10:00:00Z").toEpochMilli(),
                resolved.firedAt().get("a"));
        box.sent(resolved, 20_030_000);
        assertTrue(store.firing.isEmpty());
        assertNull(box.wakeAt(), "nothing firing, nothing waiting");
    }

    @Test
    void aRefusedMessageIsGivenUpNotRetried() {
        box.offer(missing("a", "FR76", AlertState.FIRING, "2026-03-01T10:00:00Z"), 0);
        Message m = box.next(30_000);
        box.refused(m, 30_000);
        assertNull(box.next(60_000));
        assertFalse(
                box.offer(missing("a", "FR76", AlertState.FIRING, "2026-03-01T10:00:00Z"), 70_000));
    }
}
