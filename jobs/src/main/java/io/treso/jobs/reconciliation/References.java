package io.treso.jobs.reconciliation;

import java.util.Locale;

/**
 * How a bank reference names a payout. Banks upper-case, drop punctuation and cut remittance info,
 * so both sides are reduced to letters and digits first.
 */
final class References {
    private References() {}

    static String normalise(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) b.append(c);
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * The shortest piece of a reference that can name a payout: ids and the truncation rule's
     * minimum are at least this long, so an index on an id's first letters finds every payout a
     * reference can name.
     */
    static final int PREFIX = 4;

    /** The reference carries the whole payout id. */
    static boolean names(String normalisedReference, String normalisedPayoutId) {
        return normalisedPayoutId.length() >= 6 && normalisedReference.contains(normalisedPayoutId);
    }

    /**
     * The reference is the payout id or descriptor cut short: it, or its tail of at least {@code
     * minLength} characters, is a prefix of the id or of the descriptor.
     */
    static boolean truncates(
            String normalisedReference,
            String normalisedPayoutId,
            String normalisedDescriptor,
            int minLength) {
        if (normalisedReference.length() < minLength) return false;
        for (int from = 0; from + minLength <= normalisedReference.length(); from++) {
            int tail = normalisedReference.length() - from;
            if (tail <= normalisedPayoutId.length()
                    && normalisedPayoutId.regionMatches(0, normalisedReference, from, tail)) {
                return true;
            }
            if (from == 0
                    && tail <= normalisedDescriptor.length()
                    && normalisedDescriptor.regionMatches(0, normalisedReference, 0, tail)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The PSP's name (its first word: STRIPE, SHOPIFY, PAYPAL…) appears in the reference or payer.
     */
    static boolean mentions(String psp, String reference, String counterparty) {
        String word = psp.contains("_") ? psp.substring(0, psp.indexOf('_')) : psp;
        return normalise(reference).contains(word) || normalise(counterparty).contains(word);
    }
}
