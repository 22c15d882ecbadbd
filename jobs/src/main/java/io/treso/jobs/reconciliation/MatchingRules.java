package io.treso.jobs.reconciliation;

import io.treso.event.ControlCommand;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.util.Preconditions;

/**
 * The tolerances, windows and grace periods of reconciliation, as a RECON_RULE control command
 * carries them (scope: an account id, or {@code *} for all). Missing params keep their defaults, so
 * a command only names what it changes. Effective-dated like every rule.
 */
public final class MatchingRules implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KIND = "RECON_RULE";
    public static final String ALL_ACCOUNTS = "*";

    /** Business days either side of a payout's expected arrival in which a credit may settle it. */
    public int windowBusinessDays = 2;

    /** Business days after expected arrival before a PAID payout without credit is missing. */
    public int depositGraceBusinessDays = 2;

    /** Absolute tolerance of the amount rules, in the account's minor units. */
    public long toleranceMinor = 100;

    /** Relative tolerance of the amount rules, in basis points of the credit. */
    public long toleranceBps = 50;

    /** Rounding tolerance of a payout's identity (gross − fees − refunds + adjustments = net). */
    public long roundingMinor = 1;

    /** A decision at or above this confidence is confirmed without review. */
    public int autoConfirm = 90;

    /** The shortest reference fragment (letters and digits) taken as a truncated payout id. */
    public int minReferenceLength = 8;

    /** Business days after a receivable's due date before it is overdue. */
    public int overdueGraceBusinessDays = 0;

    /**
     * Whether this account reports receivables (overdue, aging). With several accounts in one
     * currency, all but the collection account set it to false, so each invoice is reported once.
     */
    public boolean collectsReceivables = true;

    /**
     * Business days from capture to the payout event that carries an order, per PSP, as PSP=days
     * pairs; a PSP not named uses DEFAULT. Amazon pays every two weeks.
     */
    public String payoutSchedule = DEFAULT_SCHEDULE;

    private static final String DEFAULT_SCHEDULE = "DEFAULT=3,AMAZON_PAY=12";

    /** Parsed once per JVM: with no RECON_RULE in force, every capture asks fresh defaults. */
    private static final Map<String, Integer> DEFAULT_SCHEDULE_DAYS =
            Map.copyOf(parseSchedule(DEFAULT_SCHEDULE));

    /** Business days past the schedule before a captured order in no payout is MISSING_PAYOUT. */
    public int payoutGraceBusinessDays = 2;

    public String scope = ALL_ACCOUNTS;
    public long effectiveAt = Long.MIN_VALUE;
    public long version;

    /** The payout schedule parsed once per text: the order check asks on every capture. */
    private transient Map<String, Integer> schedule;

    private transient String parsedFrom;

    public MatchingRules() {}

    public static MatchingRules defaults() {
        return new MatchingRules();
    }

    /** The rules a RECON_RULE command carries, or empty for other kinds. A bad value throws. */
    public static Optional<MatchingRules> of(ControlCommand c) {
        if (!KIND.equals(c.getKind())) {
            return Optional.empty();
        }
        MatchingRules r = new MatchingRules();
        Map<String, String> p = c.getParams();
        r.windowBusinessDays = intParam(p, "window_business_days", r.windowBusinessDays);
        r.depositGraceBusinessDays =
                intParam(p, "deposit_grace_business_days", r.depositGraceBusinessDays);
        r.toleranceMinor = longParam(p, "tolerance_minor", r.toleranceMinor);
        r.toleranceBps = longParam(p, "tolerance_bps", r.toleranceBps);
        r.roundingMinor = longParam(p, "rounding_minor", r.roundingMinor);
        r.autoConfirm = intParam(p, "auto_confirm", r.autoConfirm);
        r.minReferenceLength = intParam(p, "min_reference_length", r.minReferenceLength);
        r.overdueGraceBusinessDays =
                intParam(p, "overdue_grace_business_days", r.overdueGraceBusinessDays);
        r.payoutGraceBusinessDays =
                intParam(p, "payout_grace_business_days", r.payoutGraceBusinessDays);
        String schedule = p.get("payout_schedule_business_days");
        if (schedule != null) {
            r.payoutSchedule = schedule.replace(" ", "");
            r.scheduleDays("DEFAULT"); // fails here, at the door, when malformed
        }
        String collects = p.get("collects_receivables");
        if (collects != null) {
            Preconditions.checkArgument(
                    collects.equals("true") || collects.equals("false"),
                    "collects_receivables is true or false");
            r.collectsReceivables = Boolean.parseBoolean(collects);
        }
        Preconditions.checkArgument(
                r.windowBusinessDays >= 0
                        && r.depositGraceBusinessDays >= 0
                        && r.overdueGraceBusinessDays >= 0,
                "RECON_RULE windows must not be negative");
        Preconditions.checkArgument(
                r.toleranceMinor >= 0 && r.toleranceBps >= 0 && r.roundingMinor >= 0,
                "RECON_RULE tolerances must not be negative");
        Preconditions.checkArgument(
                r.autoConfirm >= 0 && r.autoConfirm <= 100, "auto_confirm is 0-100");
        Preconditions.checkArgument(r.minReferenceLength >= 4, "min_reference_length is >= 4");
        r.scope = c.getScope();
        r.effectiveAt = c.getEffectiveAt().toEpochMilli();
        r.version = c.getVersion();
        return Optional.of(r);
    }

    /** Business days from capture to payout for {@code psp}. */
    public int scheduleDays(String psp) {
        if (!payoutSchedule.equals(parsedFrom)) {
            schedule =
                    payoutSchedule.equals(DEFAULT_SCHEDULE)
                            ? DEFAULT_SCHEDULE_DAYS
                            : parseSchedule(payoutSchedule);
            parsedFrom = payoutSchedule;
        }
        Integer days = schedule.get(psp);
        return days != null ? days : schedule.getOrDefault("DEFAULT", 3);
    }

    private static Map<String, Integer> parseSchedule(String text) {
        Map<String, Integer> days = new HashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=");
            Preconditions.checkArgument(
                    kv.length == 2, "payout_schedule_business_days is PSP=days,PSP=days");
            int d = Integer.parseInt(kv[1]);
            Preconditions.checkArgument(d >= 0, "payout schedule days must not be negative");
            days.putIfAbsent(kv[0], d);
        }
        return days;
    }

    /** The tolerance of an amount rule for a credit of {@code amountMinor}. */
    public long tolerance(long amountMinor) {
        return Math.max(toleranceMinor, Math.abs(amountMinor) * toleranceBps / 10_000);
    }

    /**
     * The rules in force for {@code account} at {@code time}: the latest effective command for the
     * account, else for all accounts; then the highest version. Defaults when none applies.
     */
    public static MatchingRules inForce(
            Collection<MatchingRules> rules, String account, long time) {
        MatchingRules best = null;
        for (MatchingRules r : rules) {
            if (r.effectiveAt > time) continue;
            if (!r.scope.equals(account) && !ALL_ACCOUNTS.equals(r.scope)) continue;
            if (best == null || rank(r, account) > rank(best, account)) best = r;
            else if (rank(r, account) == rank(best, account)
                    && (r.effectiveAt > best.effectiveAt
                            || (r.effectiveAt == best.effectiveAt && r.version > best.version))) {
                best = r;
            }
        }
        return best == null ? defaults() : best;
    }

    private static int rank(MatchingRules r, String account) {
        return r.scope.equals(account) ? 1 : 0;
    }

    private static int intParam(Map<String, String> p, String key, int fallback) {
        String v = p.get(key);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    private static long longParam(Map<String, String> p, String key, long fallback) {
        String v = p.get(key);
        return v == null ? fallback : Long.parseLong(v.trim());
    }
}
