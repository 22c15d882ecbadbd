package io.treso.jobs.reconciliation;

import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;

/**
 * Internal transfers between two accounts Treso knows, paired in plain Java: a debit categorised
 * INTERNAL_TRANSFER on one account and a credit so categorised on another, booked within {@link
 * #WINDOW} of each other, for the same money (converted at the day's rate when the currencies
 * differ, within the larger of 1.00 and 0.5 %). The pair is a MATCHED record of its own ({@code
 * transfer:<debit>}) that names both lines; the legs stay CATEGORISED. A leg is judged once every
 * leg that could pair with it has been decided: {@link #WAIT} after its own decision.
 */
public final class TransferPairs {
    /** Booking times of a pair's legs differ by at most this (a weekend and a holiday). */
    public static final Duration WINDOW = Duration.ofDays(4);

    /** How long after a debit's decision its credit may still be decided. */
    public static final Duration WAIT = Duration.ofDays(14);

    /** One leg: a categorised bank line. */
    public static final class Leg {
        public String eventId;
        public String accountId;
        public long bookedAt;
        public long decidedAt;
        public long amountMinor;
        public String currency;

        public Leg() {}

        /** The leg a CATEGORISED INTERNAL_TRANSFER record describes, or null. */
        public static Leg of(ReconciliationRecord r) {
            if (r.getStatus() != ReconciliationStatus.CATEGORISED
                    || !"INTERNAL_TRANSFER".equals(r.getCategory())
                    || r.getRevision() != 1
                    || r.getAccountId() == null
                    || r.getAmountMinor() == null
                    || r.getBookedAt() == null) return null;
            Leg l = new Leg();
            l.eventId = r.getBankEventIds().get(0);
            l.accountId = r.getAccountId();
            l.bookedAt = r.getBookedAt().toEpochMilli();
            l.decidedAt = r.getDecidedAt().toEpochMilli();
            l.amountMinor = r.getAmountMinor();
            l.currency = r.getCurrency();
            return l;
        }

        /** When this leg is judged, if it is a debit. */
        public long judgeAt() {
            return decidedAt + WAIT.toMillis();
        }
    }

    private TransferPairs() {}

    /**
     * The credit that pairs with {@code debit} among {@code credits}: another account, booked
     * within the window, the same money; the nearest in time, then the closest amount, then by id.
     * Null when none does.
     */
    public static Leg pair(Leg debit, List<Leg> credits, FxRates fx) {
        Leg best = null;
        long bestGap = 0, bestDiff = 0;
        for (Leg c : credits) {
            if (c.accountId.equals(debit.accountId)) continue;
            long gap = Math.abs(c.bookedAt - debit.bookedAt);
            if (gap > WINDOW.toMillis()) continue;
            Long expected = convert(-debit.amountMinor, debit.currency, c.currency, c.bookedAt, fx);
            if (expected == null) continue;
            long diff = Math.abs(c.amountMinor - expected);
            long tolerance =
                    debit.currency.equals(c.currency)
                            ? 0
                            : Math.max(100, Math.abs(expected) * 50 / 10_000);
            if (diff > tolerance) continue;
            if (best == null
                    || gap < bestGap
                    || (gap == bestGap && diff < bestDiff)
                    || (gap == bestGap
                            && diff == bestDiff
                            && c.eventId.compareTo(best.eventId) < 0)) {
                best = c;
                bestGap = gap;
                bestDiff = diff;
            }
        }
        return best;
    }

    /** The record that pairs two legs, decided when the debit is judged. */
    public static ReconciliationRecord record(Leg debit, Leg credit) {
        Long expected = debit.currency.equals(credit.currency) ? -debit.amountMinor : null;
        return ReconciliationRecord.newBuilder()
                .setMatchId("transfer:" + debit.eventId)
                .setRevision(1)
                .setStatus(ReconciliationStatus.MATCHED)
                .setBankEventIds(List.of(debit.eventId, credit.eventId))
                .setPayoutIds(List.of())
                .setOrderIds(List.of())
                .setObligationIds(List.of())
                .setDifferenceMinor(expected == null ? 0 : credit.amountMinor - expected)
                .setConfidence(debit.currency.equals(credit.currency) ? 95 : 85)
                .setRule("internal-transfer")
                .setNeedsReview(false)
                .setDecidedAt(Instant.ofEpochMilli(debit.judgeAt()))
                .setCategory("INTERNAL_TRANSFER")
                .setCurrency(credit.currency)
                .setBookedAt(Instant.ofEpochMilli(credit.bookedAt))
                .setCounterparty(null)
                .setReference(null)
                .setAccountId(credit.accountId)
                .setAmountMinor(credit.amountMinor)
                .build();
    }

    /** Legs in the order they are judged: by judgement time, then by id. */
    public static final Comparator<Leg> ORDER =
            Comparator.comparingLong(Leg::judgeAt).thenComparing(l -> l.eventId);

    private static Long convert(long minor, String from, String to, long at, FxRates fx) {
        if (from.equals(to)) return minor;
        long day = Math.floorDiv(at, Duration.ofDays(1).toMillis());
        BigDecimal rate = fx.rate(from, to, day);
        if (rate == null) return null;
        BigDecimal major = BigDecimal.valueOf(minor, digits(from)).multiply(rate);
        return major.setScale(digits(to), RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    private static int digits(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (RuntimeException e) {
            return 2;
        }
    }

    static List<Leg> sorted(List<Leg> legs) {
        List<Leg> out = new ArrayList<>(legs);
        out.sort(ORDER);
        return out;
    }
}
