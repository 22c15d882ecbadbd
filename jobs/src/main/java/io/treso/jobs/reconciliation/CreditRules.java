package io.treso.jobs.reconciliation;

import io.treso.event.ReconciliationStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that decide one bank credit, in plain Java: credit, candidates, rules, FX and
 * categories in, a decision (a {@link Match}'s status, payouts, confidence, rule and category) out.
 * It holds no state and reads no statement: when to decide, and what follows a decision (revisions,
 * alerts, deadlines), is {@link BankMatcher}'s.
 */
final class CreditRules {
    /** The payouts a credit may name or fit: the matcher's open payouts, indexed. */
    interface Candidates {
        /** Live payouts whose id or descriptor the normalised reference may name. */
        List<TrackedPayout> namable(String normalisedReference, long decisionTime);

        /** Open payouts expected within the credit's window, by payout id. */
        List<TrackedPayout> inWindow(BankEntry credit, MatchingRules rules);
    }

    /** Invoices a credit may pay; the obligation matcher records what they settle. */
    interface Receivables {
        boolean byReference(BankEntry credit, MatchingRules rules, Match m);

        boolean byAmount(BankEntry credit, MatchingRules rules, Match m);
    }

    private record Scored(List<TrackedPayout> payouts, int score) {}

    private final String account;
    private final FxRates fx;
    private final Collection<BankCategories> categories;
    private final Receivables receivables;

    CreditRules(
            String account,
            FxRates fx,
            Collection<BankCategories> categories,
            Receivables receivables) {
        this.account = account;
        this.fx = fx;
        this.categories = categories;
        this.receivables = receivables;
    }

    /**
     * The decisive case, decided without waiting: the reference names exactly one payout (whole, or
     * cut short and fitting only that one), in the credit's currency, for exactly its net. Fills
     * {@code m} and returns the payout, or returns null and leaves {@code m} alone.
     */
    TrackedPayout decisive(BankEntry c, Candidates candidates, MatchingRules r, Match m) {
        String ref = References.normalise(c.reference);
        List<TrackedPayout> named = new ArrayList<>(), cut = new ArrayList<>();
        for (TrackedPayout p : candidates.namable(ref, c.decideAt)) {
            // Only what the window would see, live when both sides are in: the same answer
            // whichever arrived first (a later payout or failure revises, as it always did).
            if (!p.liveAt(Math.max(c.bookedAt, p.firstSeenAt))) continue;
            String id = p.referenceId();
            if (References.names(ref, id)) named.add(p);
            else if (References.truncates(ref, id, p.referenceDescriptor(), r.minReferenceLength))
                cut.add(p);
        }
        boolean whole = named.size() == 1;
        TrackedPayout p =
                whole ? named.get(0) : named.isEmpty() && cut.size() == 1 ? cut.get(0) : null;
        if (p == null
                || !p.currency.equals(c.currency)
                || Math.abs(c.amountMinor - p.netMinor) > r.roundingMinor) {
            return null;
        }
        settle(c, List.of(p), whole ? 100 : 95, whole ? "reference" : "reference-truncated", r, m);
        return p;
    }

    /**
     * Decides a credit by the rule ladder, strongest first (the README's table): a receivable or
     * payout its reference names, its category when that explains it, one payout of the exact
     * amount, an exact N:1 sum, a receivable of that amount from that payer, one payout within the
     * tolerance; candidates nothing tells apart are AMBIGUOUS; else UNMATCHED.
     */
    void decide(BankEntry c, Candidates candidates, MatchingRules r, Match m) {
        if (receivables.byReference(c, r, m)) return;
        String ref = References.normalise(c.reference);
        List<TrackedPayout> named = new ArrayList<>(), cut = new ArrayList<>();
        for (TrackedPayout p : candidates.namable(ref, c.decideAt)) {
            String id = p.referenceId();
            if (References.names(ref, id)) named.add(p);
            else if (References.truncates(ref, id, p.referenceDescriptor(), r.minReferenceLength))
                cut.add(p);
        }
        if (!named.isEmpty()) {
            settle(
                    c,
                    named,
                    named.size() == 1 ? 100 : 95,
                    named.size() == 1 ? "reference" : "reference-n-to-1",
                    r,
                    m);
            return;
        }
        if (cut.size() == 1) {
            settle(c, cut, 95, "reference-truncated", r, m);
            return;
        }
        // A loan, capital or tax refund is no payout: its category explains it, and no amount
        // rule may pair it with a payout by chance.
        BankCategories.Categorised cat = categorise(c);
        if (cat != null && cat.explains()) {
            // Unless its customer names it: an invoice of that amount from that payer.
            if (cut.isEmpty() && receivables.byAmount(c, r, m)) return;
            categorised(c, cat, m);
            return;
        }
        m.category = cat == null ? null : cat.category(); // a payout or invoice may override it
        List<TrackedPayout> pool = cut.isEmpty() ? candidates.inWindow(c, r) : cut;
        // One payout of the exact amount.
        List<Scored> exact = new ArrayList<>();
        List<Scored> near = new ArrayList<>();
        for (TrackedPayout p : pool) {
            Long expected = inAccountCurrency(p, c.currency);
            if (expected == null) continue;
            boolean sameCurrency = p.currency.equals(c.currency);
            if (sameCurrency && expected == c.amountMinor) {
                exact.add(new Scored(List.of(p), 80 + hints(c, List.of(p))));
            } else if (Math.abs(c.amountMinor - expected) <= r.tolerance(c.amountMinor)) {
                near.add(new Scored(List.of(p), 70 + hints(c, List.of(p))));
            }
        }
        String rulePrefix = cut.isEmpty() ? "" : "reference-truncated+";
        if (!exact.isEmpty()) {
            pick(c, exact, rulePrefix + "amount-exact", r, m);
            return;
        }
        // An exact sum of one merchant's payouts is stronger evidence than a near single amount.
        List<Scored> groups = groups(c, pool);
        if (!groups.isEmpty()) {
            pick(c, groups, rulePrefix + "amount-n-to-1", r, m);
            return;
        }
        // A customer paying an invoice without its number, before any near-amount guess.
        if (cut.isEmpty() && receivables.byAmount(c, r, m)) return;
        if (!near.isEmpty()) {
            boolean fx = !near.get(0).payouts().get(0).currency.equals(c.currency);
            pick(c, near, rulePrefix + (fx ? "amount-fx" : "amount-tolerance"), r, m);
            return;
        }
        if (cut.size() > 1) {
            ambiguous(c, cut, "reference-truncated", m);
            return;
        }
        m.status(ReconciliationStatus.UNMATCHED);
        m.rule = "none";
        m.differenceMinor = c.amountMinor;
        m.confidence = 0;
        m.needsReview = true;
    }

    BankCategories.Categorised categorise(BankEntry e) {
        return BankCategories.categorise(
                categories, account, e.bookedAt, e.counterparty, e.reference, e.amountMinor);
    }

    /** Explained by its category: nothing to find, nothing to review. */
    static void categorised(BankEntry e, BankCategories.Categorised cat, Match m) {
        m.status(ReconciliationStatus.CATEGORISED);
        m.rule = "category:" + cat.rule();
        m.category = cat.category();
        m.differenceMinor = 0;
        m.confidence = cat.rule().startsWith("default-") ? 90 : 100;
        m.needsReview = false;
    }

    /** Hints that tell candidates apart: the PSP named by the payer, arrival on the booking day. */
    private int hints(BankEntry c, List<TrackedPayout> ps) {
        TrackedPayout p = ps.get(ps.size() - 1);
        int h = References.mentions(p.psp, c.reference, c.counterparty) ? 10 : 0;
        if (ps.stream().allMatch(q -> q.arrivalDay == c.bookedDay)) h += 5;
        return h;
    }

    /** Two or three payouts of one PSP and store, same currency, summing exactly to the credit. */
    private List<Scored> groups(BankEntry c, List<TrackedPayout> pool) {
        Map<String, List<TrackedPayout>> byMerchant = new LinkedHashMap<>();
        for (TrackedPayout p : pool) {
            if (!p.currency.equals(c.currency)) continue;
            byMerchant.computeIfAbsent(p.psp + "/" + p.storeId, k -> new ArrayList<>()).add(p);
        }
        List<Scored> found = new ArrayList<>();
        for (List<TrackedPayout> ps : byMerchant.values()) {
            int n = ps.size();
            if (n < 2 || n > 12) continue;
            for (int a = 0; a < n; a++)
                for (int b = a + 1; b < n; b++) {
                    long two = ps.get(a).netMinor + ps.get(b).netMinor;
                    if (two == c.amountMinor) {
                        List<TrackedPayout> g = List.of(ps.get(a), ps.get(b));
                        found.add(new Scored(g, Math.min(85, 75 + hints(c, g))));
                    }
                    for (int d = b + 1; d < n; d++) {
                        if (two + ps.get(d).netMinor == c.amountMinor) {
                            List<TrackedPayout> g = List.of(ps.get(a), ps.get(b), ps.get(d));
                            found.add(new Scored(g, Math.min(85, 75 + hints(c, g))));
                        }
                    }
                }
        }
        return found;
    }

    /** The best-scored candidate when it alone has that score; otherwise AMBIGUOUS. */
    private void pick(BankEntry c, List<Scored> scored, String rule, MatchingRules r, Match m) {
        scored.sort(Comparator.comparingInt(Scored::score).reversed());
        Scored best = scored.get(0);
        if (scored.size() == 1) {
            settle(c, best.payouts(), best.score(), rule, r, m);
        } else if (scored.get(1).score() < best.score()) {
            // Told apart only by hints: keep it, but a person confirms it.
            settle(c, best.payouts(), Math.min(best.score(), r.autoConfirm - 1), rule, r, m);
        } else {
            List<TrackedPayout> all = new ArrayList<>();
            for (Scored s : scored)
                for (TrackedPayout p : s.payouts()) if (!all.contains(p)) all.add(p);
            ambiguous(c, all, rule, m);
        }
    }

    void settle(
            BankEntry c,
            List<TrackedPayout> ps,
            int confidence,
            String rule,
            MatchingRules r,
            Match m) {
        long expected = 0;
        for (TrackedPayout p : ps) {
            Long v = inAccountCurrency(p, c.currency);
            expected += v == null ? p.netMinor : v;
        }
        long diff = c.amountMinor - expected;
        boolean converted = ps.stream().anyMatch(p -> !p.currency.equals(c.currency));
        boolean approximate = rule.contains("amount-fx") || rule.contains("amount-tolerance");
        // A reference names the payout: its amount must then agree to the cent, unless converted.
        long allowed = converted || approximate ? r.tolerance(c.amountMinor) : r.roundingMinor;
        boolean within = Math.abs(diff) <= allowed;
        m.status(
                within
                        ? ReconciliationStatus.MATCHED
                        : diff < 0
                                ? ReconciliationStatus.PARTIAL
                                : ReconciliationStatus.AMOUNT_MISMATCH);
        m.payoutIds = ps.stream().map(p -> p.payoutId).sorted().toArray(String[]::new);
        m.differenceMinor = diff;
        m.confidence = confidence;
        m.rule = rule + unchecked(ps);
        m.category = "PSP_PAYOUT";
        m.needsReview = !within || confidence < r.autoConfirm;
    }

    /**
     * Says in the rule when a payout's orders could not be checked: it named them without lines, or
     * named none (money only).
     */
    private static String unchecked(List<TrackedPayout> ps) {
        boolean ids = false, money = false;
        for (TrackedPayout p : ps) {
            ids |= PayoutFacts.ORDER_IDS.equals(p.settles);
            money |= PayoutFacts.MONEY.equals(p.settles);
        }
        return money
                ? " (money only: no orders to check)"
                : ids ? " (order ids without lines: amounts unchecked)" : "";
    }

    private void ambiguous(BankEntry c, List<TrackedPayout> candidates, String rule, Match m) {
        m.status(ReconciliationStatus.AMBIGUOUS);
        m.payoutIds = candidates.stream().map(p -> p.payoutId).sorted().toArray(String[]::new);
        m.differenceMinor = 0;
        m.confidence = 100 / (candidates.size() + 1);
        m.rule = rule;
        m.needsReview = true;
    }

    /** The payout's net in the account's currency at its arrival day's rate; null without one. */
    Long inAccountCurrency(TrackedPayout p, String accountCurrency) {
        if (p.currency.equals(accountCurrency)) return p.netMinor;
        BigDecimal rate = fx.rate(p.currency, accountCurrency, p.arrivalDay);
        if (rate == null) return null;
        BigDecimal major = BigDecimal.valueOf(p.netMinor, digits(p.currency)).multiply(rate);
        return major.setScale(digits(accountCurrency), RoundingMode.HALF_EVEN)
                .unscaledValue()
                .longValueExact();
    }

    private static int digits(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (RuntimeException e) {
            return 2;
        }
    }
}
