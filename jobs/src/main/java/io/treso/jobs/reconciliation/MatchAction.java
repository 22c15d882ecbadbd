package io.treso.jobs.reconciliation;

import io.treso.event.ControlCommand;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.util.Preconditions;

/**
 * A treasurer's decision on a match, as a MATCH_ACTION control command carries it (scope: the
 * account). It applies from its effective time, or from the watermark when that is already past,
 * and becomes a new revision of the match.
 */
public final class MatchAction {
    public static final String KIND = "MATCH_ACTION";

    /** What a treasurer can do to a match. */
    public enum Kind {
        CONFIRM,
        REJECT,
        MATCH,
        WRITE_OFF
    }

    public String eventId;
    public String account;
    public String matchId;
    public String action;
    public String[] payoutIds = new String[0];
    public String[] obligationIds = new String[0];
    public String reason;
    public long version;
    public long effectiveAt;

    public MatchAction() {}

    /**
     * The action a MATCH_ACTION command carries, or empty for other kinds; a malformed one throws
     * with what is wrong (the decoder's contract check dead-letters it before it gets here).
     */
    public static Optional<MatchAction> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) return Optional.empty();
        var p = c.getParams();
        MatchAction a = new MatchAction();
        a.eventId = c.getEventId();
        a.account = c.getScope();
        a.matchId = p.get("match_id");
        Preconditions.checkArgument(a.matchId != null, "MATCH_ACTION needs a match_id param");
        String action = p.getOrDefault("action", "").trim().toUpperCase(Locale.ROOT);
        Preconditions.checkArgument(
                Arrays.stream(Kind.values()).anyMatch(k -> k.name().equals(action)),
                "MATCH_ACTION action is confirm, reject, match or write_off");
        a.action = action;
        a.payoutIds = list(p.get("payout_ids"));
        a.obligationIds = list(p.get("obligation_ids"));
        a.reason = p.get("reason");
        Preconditions.checkArgument(
                a.kind() != Kind.MATCH || a.payoutIds.length + a.obligationIds.length > 0,
                "MATCH_ACTION match needs payout_ids or obligation_ids");
        Preconditions.checkArgument(
                a.kind() != Kind.WRITE_OFF || (a.reason != null && !a.reason.isBlank()),
                "MATCH_ACTION write_off needs a reason");
        a.version = c.getVersion();
        a.effectiveAt = c.getEffectiveAt().toEpochMilli();
        return Optional.of(a);
    }

    public Kind kind() {
        return Kind.valueOf(action);
    }

    private static String[] list(String csv) {
        if (csv == null || csv.isBlank()) return new String[0];
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .sorted()
                .toArray(String[]::new);
    }
}
