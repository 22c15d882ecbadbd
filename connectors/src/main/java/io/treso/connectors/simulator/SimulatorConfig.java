package io.treso.connectors.simulator;

import java.time.LocalDate;

/**
 * What to simulate. The start is a Monday two weeks before Easter 2026, so that 30 days cross two
 * bank holidays. {@code orderRate} is a store's orders per hour at an average hour (1.5: about 33 a
 * day); {@code anomaliesFrom}, when not negative, is the day from which the variance scenario
 * plants three of each anomaly kind at fixed magnitudes. The {@code profile} is the shape of the
 * business: see {@link Profile}. Without {@code reconciliationProblems}, nothing that
 * reconciliation should alert on is planted (no lost order, held payouts, broken payout, missing or
 * short deposit, duplicate payment or unpaid invoice): a clean business, for alert budgets.
 */
public record SimulatorConfig(
        long seed,
        int days,
        int stores,
        LocalDate start,
        double orderRate,
        int anomaliesFrom,
        Profile profile,
        boolean reconciliationProblems,
        int shortfallFrom,
        String vatRegime,
        boolean cardSpend,
        int growthPercent) {
    /** The shape of the simulated business. */
    public enum Profile {
        /** Payouts list their balance transactions (lines), as Stripe's and Shopify's APIs do. */
        DEFAULT,
        /**
         * Shops of 20-40 orders a day whose payout reports name orders but carry no lines (PayPal,
         * Shopify Payments), one PSP whose payouts carry money only (Stripe), Amazon settlements
         * every 14 days: the shape of payout data most small businesses actually get.
         */
        SMALL_SHOPS;

        /** The CLI's spelling: {@code default}, {@code small-shops}. */
        public static Profile parse(String name) {
            for (Profile p : values()) {
                if (p.cliName().equals(name)) return p;
            }
            throw new IllegalArgumentException(
                    "unknown profile '" + name + "'; expected default or small-shops");
        }

        public String cliName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public static final LocalDate DEFAULT_START = LocalDate.parse("2026-03-16");
    public static final double DEFAULT_ORDER_RATE = 1.5;

    public SimulatorConfig {
        if (days < 7) {
            throw new IllegalArgumentException("simulate at least 7 days, got " + days);
        }
        if (stores < 1 || stores > 2000) {
            throw new IllegalArgumentException("stores must be 1..2000, got " + stores);
        }
        if (!(orderRate > 0 && orderRate <= 100)) {
            throw new IllegalArgumentException("order rate must be in (0, 100], got " + orderRate);
        }
        if (profile == null) {
            throw new IllegalArgumentException("a profile is required");
        }
        if (shortfallFrom >= 0 && shortfallFrom + 28 > days) {
            throw new IllegalArgumentException(
                    "the shortfall scenario needs 28 days after day " + shortfallFrom);
        }
        if (vatRegime != null && !vatRegime.equals("MONTHLY") && !vatRegime.equals("QUARTERLY")) {
            throw new IllegalArgumentException(
                    "the VAT regime is MONTHLY or QUARTERLY, got " + vatRegime);
        }
        if (growthPercent < -50 || growthPercent > 100) {
            throw new IllegalArgumentException(
                    "growth is -50 to 100 % a month, got " + growthPercent);
        }
        if (anomaliesFrom >= 0 && anomaliesFrom + 24 > days) {
            throw new IllegalArgumentException(
                    "the anomaly scenario needs 24 days after day " + anomaliesFrom);
        }
    }

    public static SimulatorConfig of(long seed, int days, int stores) {
        return new SimulatorConfig(
                seed,
                days,
                stores,
                DEFAULT_START,
                DEFAULT_ORDER_RATE,
                -1,
                Profile.DEFAULT,
                true,
                -1,
                null,
                false,
                0);
    }

    /** The same business in another shape (the order rate is the profile's own). */
    public SimulatorConfig withProfile(Profile p) {
        return copy(b -> b.profile = p);
    }

    public SimulatorConfig withOrderRate(double rate) {
        return copy(b -> b.orderRate = rate);
    }

    /** Plants, from {@code day}, three of each anomaly the variance pipeline must find. */
    public SimulatorConfig withAnomaliesFrom(int day) {
        return copy(b -> b.anomaliesFrom = day);
    }

    /**
     * Plants, on {@code day}, a tax bill due three weeks later that takes the EUR account below its
     * threshold when paid, and a loan two business days after that lifts it again: a shortfall the
     * forecast can see coming.
     */
    public SimulatorConfig withShortfallFrom(int day) {
        return copy(b -> b.shortfallFrom = day);
    }

    /**
     * The French entity declares the EUR stores' VAT, less its bills', {@code regime} (MONTHLY or
     * QUARTERLY), and pays each return on the 19th of the next month (the next bank day): a
     * VAT_CONFIG command says so, and the bank shows the payments.
     */
    public SimulatorConfig withVat(String regime) {
        return copy(b -> b.vatRegime = regime);
    }

    /**
     * The EUR account also pays by card: a few purchases of 8 to 120 EUR most days, from some
     * thirty merchants, fewer at weekends. Spending no bill or schedule announces.
     */
    public SimulatorConfig withCardSpend() {
        return withCardSpend(true);
    }

    /**
     * Sales that grow {@code percent} a month (compounded day by day; negative: shrink), the trend
     * a forecast must follow.
     */
    public SimulatorConfig withGrowth(int percent) {
        return copy(b -> b.growthPercent = percent);
    }

    /** With or without card spending. */
    public SimulatorConfig withCardSpend(boolean on) {
        return copy(b -> b.cardSpend = on);
    }

    /** The same business with nothing planted that reconciliation should alert on. */
    public SimulatorConfig withoutReconciliationProblems() {
        return copy(b -> b.reconciliationProblems = false);
    }

    /** The components, to change one and build again. */
    private static final class Builder {
        long seed;
        int days;
        int stores;
        LocalDate start;
        double orderRate;
        int anomaliesFrom;
        Profile profile;
        boolean reconciliationProblems;
        int shortfallFrom;
        String vatRegime;
        boolean cardSpend;
        int growthPercent;
    }

    private SimulatorConfig copy(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder();
        b.seed = seed;
        b.days = days;
        b.stores = stores;
        b.start = start;
        b.orderRate = orderRate;
        b.anomaliesFrom = anomaliesFrom;
        b.profile = profile;
        b.reconciliationProblems = reconciliationProblems;
        b.shortfallFrom = shortfallFrom;
        b.vatRegime = vatRegime;
        b.cardSpend = cardSpend;
        b.growthPercent = growthPercent;
        change.accept(b);
        return new SimulatorConfig(
                b.seed,
                b.days,
                b.stores,
                b.start,
                b.orderRate,
                b.anomaliesFrom,
                b.profile,
                b.reconciliationProblems,
                b.shortfallFrom,
                b.vatRegime,
                b.cardSpend,
                b.growthPercent);
    }
}
