package io.treso.connectors.simulator;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.Channel;
import io.treso.event.ControlCommand;
import io.treso.event.FxRate;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import io.treso.event.StatementKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * A seeded, deterministic model of a small e-commerce business: stores on several channels, orders
 * paid through PSPs, payouts on business-day schedules, two bank accounts whose lines arrive in
 * daily statements, supplier bills, payroll, rent and FX rates. It plants the problems Treso must
 * find and records them, with every account's exact expected balance, in a {@link SimulationTruth}.
 * The same config always gives the same events in the same order.
 */
public final class ShopSimulator {
    public static final String EUR_ACCOUNT = "FR7630006000011234567890189";
    public static final String USD_ACCOUNT = "GB33BUKB20201555555555";

    /** The EUR threshold grows with the EUR stores, so daily inflows never cross it unplanned. */
    private final long eurThreshold;

    static final long USD_THRESHOLD = 500_000L; // 5,000.00 USD

    /** The events in delivery order, and the truth behind them. */
    public record Output(List<SpecificRecord> events, SimulationTruth truth) {}

    private record Store(
            String id, Channel channel, String currency, ZoneId zone, List<Psp> psps) {}

    private record Txn(Instant at, PayoutLineType type, String orderId, long amount, long fee) {}

    private record Delivery(Instant at, long seq, SpecificRecord record) {}

    private record Line(
            String account,
            Instant bookedAt,
            long amount,
            String counterparty,
            String reference,
            String eventTag,
            boolean delivered) {}

    private final SimulatorConfig config;
    private final SplittableRandom random;
    private final Instant start;
    private final Instant end;
    private final Map<String, BusinessCalendar> calendars = new LinkedHashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final Map<String, List<String>> lineSettles = new LinkedHashMap<>();
    private final Set<String> ambiguous = new HashSet<>();
    private final Map<String, List<String>> lineHardCases = new LinkedHashMap<>();
    private final Map<String, Long> lastNetByArrival = new LinkedHashMap<>();
    private final Map<String, Pending> heldForBatch = new LinkedHashMap<>();
    private final Map<LocalDate, BigDecimal> usdEur = new LinkedHashMap<>();

    /** The hard cases reconciliation must get right draw from their own stream. */
    private final SplittableRandom hard;

    /** A payout whose credit waits to be paid together with the next one (N:1). */
    private record Pending(
            String payoutId,
            long net,
            String account,
            Instant bookedAt,
            LocalDate arrival,
            String descriptor,
            List<String> cases) {}

    /** psp|payout day of the scenario's fee spikes; true once planted in the truth. */
    private final Map<String, Boolean> feeSpikes = new LinkedHashMap<>();

    private final SimulationTruth truth = new SimulationTruth();
    private long seq;
    private int idCounter;

    private ShopSimulator(SimulatorConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.hard = new SplittableRandom(config.seed() ^ 0x5EED_CA5EL);
        this.start = config.start().atStartOfDay(ZoneOffset.UTC).toInstant();
        this.end = config.start().plusDays(config.days()).atStartOfDay(ZoneOffset.UTC).toInstant();
        long eurStores = (config.stores() + 2) / 3 + (config.stores() + 1) / 3;
        // 100,000.00 EUR for 3 stores; busier stores need a threshold (and margin) to match.
        double busier =
                config.orderRate() <= SimulatorConfig.DEFAULT_ORDER_RATE
                        ? 1
                        : 2 * config.orderRate() / SimulatorConfig.DEFAULT_ORDER_RATE;
        this.eurThreshold = (long) (5_000_000L * Math.max(2, eurStores) * busier);
        calendars.put(EUR_ACCOUNT, BusinessCalendar.target(ZoneId.of("Europe/Paris")));
        calendars.put(USD_ACCOUNT, BusinessCalendar.target(ZoneId.of("Europe/London")));
    }

    public static Output run(SimulatorConfig config) {
        return new ShopSimulator(config).simulate();
    }

    private Output simulate() {
        truth.seed = config.seed();
        truth.days = config.days();
        truth.stores = config.stores();
        truth.start = start.toString();
        truth.end = end.toString();

        List<Store> stores = stores();
        usdEurRates();
        Map<String, List<Txn>> txnsByStorePsp = new LinkedHashMap<>();
        for (Store store : stores) {
            orders(store, txnsByStorePsp);
        }
        planFeeSpikes(stores);
        for (Store store : stores) {
            for (Psp psp : store.psps()) {
                payouts(store, psp, txnsByStorePsp.getOrDefault(store.id() + "/" + psp, List.of()));
            }
        }
        heldForBatch.values().forEach(this::creditAlone);
        obligations(stores);
        receivables();
        fixedCosts(stores);
        treasuryMoves();
        for (int k = 0; k < 3; k++) ambiguousPair(13 + 5 * k, k);
        plantedDebits();
        scenarioDebits();
        cardSpend();
        vatReturns();
        long[] openings = planBalances();
        if (config.shortfallFrom() >= 0) plannedShortfall(openings[0]);
        fxRates();
        controls(openings);
        storeControls(stores);
        statements(openings);
        duplicateOrders();

        deliveries.sort(Comparator.comparing(Delivery::at).thenComparingLong(Delivery::seq));
        List<SpecificRecord> events = deliveries.stream().map(Delivery::record).toList();
        truth.eventCount = events.size();
        return new Output(events, truth);
    }

    // ---- stores and orders ----

    private List<Store> stores() {
        List<Store> stores = new ArrayList<>();
        for (int i = 1; i <= config.stores(); i++) {
            switch ((i - 1) % 3) {
                case 0 ->
                        stores.add(
                                new Store(
                                        "store-" + i,
                                        Channel.SHOPIFY,
                                        "EUR",
                                        ZoneId.of("Europe/Paris"),
                                        List.of(Psp.SHOPIFY_PAYMENTS, Psp.PAYPAL)));
                case 1 ->
                        stores.add(
                                new Store(
                                        "store-" + i,
                                        Channel.WOOCOMMERCE,
                                        "EUR",
                                        ZoneId.of("Europe/Berlin"),
                                        List.of(Psp.STRIPE, Psp.PAYPAL)));
                default ->
                        stores.add(
                                new Store(
                                        "store-" + i,
                                        Channel.AMAZON,
                                        "USD",
                                        ZoneId.of("America/New_York"),
                                        List.of(Psp.AMAZON_PAY)));
            }
        }
        return stores;
    }

    private static final double[] HOURLY = {
        0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 1.0, 1.2, 1.3, 1.3,
        1.4, 1.3, 1.2, 1.2, 1.3, 1.4, 1.6, 1.8, 1.9, 1.6, 1.0, 0.5
    };

    /** A planted change to a store's orders: rate times {@code factor}, or extra quick refunds. */
    private record Episode(Instant from, Instant to, double rateFactor, int refundPercent) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /**
     * The variance scenario's store episodes, from {@code anomaliesFrom}: sales -60 % for 5 hours
     * and a refund ratio about x5 for 4 hours (16 % of orders refunded within the hour, on top of
     * the usual 4 % later), three of each, alternating between the first two stores.
     */
    private List<Episode> scenarioEpisodes(Store store, int storeNo) {
        List<Episode> out = new ArrayList<>();
        if (config.anomaliesFrom() < 0) return out;
        if (config.profile() == SimulatorConfig.Profile.SMALL_SHOPS) {
            return smallShopEpisodes(store, storeNo);
        }
        int second = Math.min(2, config.stores());
        for (int k = 0; k < 3; k++) {
            int dropStore = k % 2 == 0 ? 1 : second;
            int spikeStore = k % 2 == 0 ? second : 1;
            if (storeNo == dropStore) {
                Instant from = localTime(store.zone(), config.anomaliesFrom() + 1 + 8 * k, 10);
                Instant to = from.plus(Duration.ofHours(5));
                out.add(new Episode(from, to, 0.4, 0));
                plant("SALES_DROP", scope(store), from, to, List.of(), "sales -60 % for 5 hours");
            }
            if (storeNo == spikeStore) {
                Instant from = localTime(store.zone(), config.anomaliesFrom() + 3 + 8 * k, 14);
                Instant to = from.plus(Duration.ofHours(4));
                out.add(new Episode(from, to, 1.0, 16));
                plant(
                        "REFUND_SPIKE",
                        scope(store),
                        from,
                        to,
                        List.of(),
                        "refund ratio x5 for 4 hours");
            }
        }
        return out;
    }

    /**
     * The small-shop scenario, as a shop owner lives it: three days whose sales collapse to 5 %
     * from 10:00 until midnight, and three two-day refund waves (30 % of orders come back within
     * the hour, a defective batch), on the shops paid in euros, in turn.
     */
    private List<Episode> smallShopEpisodes(Store store, int storeNo) {
        List<Episode> out = new ArrayList<>();
        List<Integer> shops = new ArrayList<>();
        for (int i = 1; i <= config.stores(); i++) if (i % 3 != 0) shops.add(i);
        for (int k = 0; k < 3; k++) {
            if (storeNo == shops.get(k % shops.size())) {
                int day = config.anomaliesFrom() + 1 + 8 * k;
                Instant from = localTime(store.zone(), day, 10);
                Instant to = localTime(store.zone(), day + 1, 0);
                out.add(new Episode(from, to, 0.05, 0));
                plant("SALES_DROP", scope(store), from, to, List.of(), "sales 5 % from 10:00");
            }
            if (storeNo == shops.get((k + 1) % shops.size())) {
                int day = config.anomaliesFrom() + 4 + 8 * k;
                Instant from = localTime(store.zone(), day, 0);
                Instant to = localTime(store.zone(), day + 2, 0);
                out.add(new Episode(from, to, 1.0, 30));
                plant(
                        "REFUND_SPIKE",
                        scope(store),
                        from,
                        to,
                        List.of(),
                        "two days of 30 % refunds");
            }
        }
        return out;
    }

    /** How variance alerts name a store's sales: store and channel. */
    private static String scope(Store store) {
        return store.id() + "/" + store.channel();
    }

    private void orders(Store store, Map<String, List<Txn>> txns) {
        int storeNo = Integer.parseInt(store.id().substring(6));
        List<Episode> episodes = scenarioEpisodes(store, storeNo);
        Instant dropFrom = null, dropTo = null, spikeFrom = null, spikeTo = null;
        if (storeNo == 1 && config.days() > 21) {
            dropFrom = localTime(store.zone(), 20, 10);
            dropTo = dropFrom.plus(Duration.ofHours(6));
            plant(
                    "SALES_DROP",
                    store.id() + "/" + store.channel(),
                    dropFrom,
                    dropTo,
                    List.of(),
                    "order rate x0.3 for 6 hours");
        }
        if (storeNo == Math.min(2, config.stores()) && config.days() > 23) {
            spikeFrom = localTime(store.zone(), 22, 13);
            spikeTo = spikeFrom.plus(Duration.ofHours(3));
            plant(
                    "REFUND_SPIKE",
                    store.id() + "/" + store.channel(),
                    spikeFrom,
                    spikeTo,
                    List.of(),
                    "refund ratio x5 for 3 hours");
        }
        // Small shops' days vary beyond chance (weather, a post that went viral): a log-normal
        // day factor with a 10 % coefficient of variation, from a stream of its own.
        SplittableRandom days = new SplittableRandom(config.seed() * 31 + storeNo);
        LocalDate factorDay = null;
        double dayFactor = 1;
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            ZonedDateTime local = hour.atZone(store.zone());
            if (config.profile() == SimulatorConfig.Profile.SMALL_SHOPS
                    && !local.toLocalDate().equals(factorDay)) {
                factorDay = local.toLocalDate();
                double sigma = Math.sqrt(Math.log(1 + 0.1 * 0.1));
                dayFactor = Math.exp(sigma * days.nextGaussian() - sigma * sigma / 2);
            }
            double rate =
                    storeRate(storeNo)
                            * dayFactor
                            * HOURLY[local.getHour()]
                            * (local.getDayOfWeek().getValue() >= 6 ? 1.3 : 1.0);
            if (local.getDayOfMonth() >= 25 && local.getDayOfMonth() <= 27) {
                rate *= 1.6; // a monthly promotion
            }
            if (config.growthPercent() != 0) {
                double months = Duration.between(start, hour).toHours() / (24.0 * 30);
                rate *= Math.pow(1 + config.growthPercent() / 100.0, months);
            }
            boolean drop = dropFrom != null && !hour.isBefore(dropFrom) && hour.isBefore(dropTo);
            boolean spike =
                    spikeFrom != null && !hour.isBefore(spikeFrom) && hour.isBefore(spikeTo);
            if (drop) {
                rate *= 0.3;
            }
            int refundPercent = spike ? 25 : 0;
            for (Episode e : episodes) {
                if (e.covers(hour)) {
                    rate *= e.rateFactor();
                    refundPercent = Math.max(refundPercent, e.refundPercent());
                }
            }
            int n = poisson(rate);
            for (int k = 0; k < n; k++) {
                Instant at = hour.plusSeconds(random.nextInt(3540));
                order(store, at, refundPercent, txns);
            }
        }
    }

    /**
     * A store's orders per average hour. Small shops differ: 0.7x, 1x and 1.2x the rate in turn
     * (about 23, 33 and 40 orders a day at the default rate).
     */
    private double storeRate(int storeNo) {
        if (config.profile() != SimulatorConfig.Profile.SMALL_SHOPS) return config.orderRate();
        double[] factors = {0.7, 1.0, 1.2};
        return config.orderRate() * factors[(storeNo - 1) % factors.length];
    }

    /** Whether this PSP's payouts list their balance transactions. */
    private boolean reportsLines(Psp psp) {
        return config.profile() != SimulatorConfig.Profile.SMALL_SHOPS || psp == Psp.AMAZON_PAY;
    }

    /** Whether this PSP's payouts name the orders they settle (a payout report's order column). */
    private boolean reportsOrders(Psp psp) {
        return config.profile() != SimulatorConfig.Profile.SMALL_SHOPS || psp != Psp.STRIPE;
    }

    private void order(
            Store store, Instant at, int quickRefundPercent, Map<String, List<Txn>> txns) {
        String orderId = store.id() + "-o" + (++idCounter);
        Psp psp = store.psps().get(store.psps().size() == 1 || random.nextInt(10) < 7 ? 0 : 1);
        long amount = 1_500 + (long) (-Math.log(1 - random.nextDouble()) * 6_000);
        long tax = amount / 6;
        deliver(at, order(store, orderId, OrderKind.PLACED, at, amount, tax, psp));
        if (random.nextInt(100) < 2) {
            deliver(
                    at.plusSeconds(600),
                    order(
                            store,
                            orderId,
                            OrderKind.CANCELLED,
                            at.plusSeconds(600),
                            amount,
                            tax,
                            psp));
            return;
        }
        Instant captured = at.plusSeconds(60);
        deliver(captured, order(store, orderId, OrderKind.CAPTURED, captured, amount, tax, psp));
        List<Txn> list = txns.computeIfAbsent(store.id() + "/" + psp, k -> new ArrayList<>());
        list.add(new Txn(captured, PayoutLineType.CHARGE, orderId, amount, pspFee(psp, amount)));
        Instant refundAt = null;
        if (quickRefundPercent > 0 && random.nextInt(100) < quickRefundPercent) {
            refundAt = at.plusSeconds(600 + random.nextInt(3000));
        } else if (random.nextInt(100) < 4) {
            refundAt = at.plus(Duration.ofHours(24 + random.nextInt(96)));
        }
        if (refundAt != null && refundAt.isBefore(end)) {
            deliver(
                    refundAt,
                    order(store, orderId, OrderKind.REFUNDED, refundAt, amount, tax, psp));
            list.add(new Txn(refundAt, PayoutLineType.REFUND, orderId, -amount, 0));
        } else if (random.nextInt(1000) < 4) {
            Instant cb = at.plus(Duration.ofDays(8 + random.nextInt(10)));
            if (cb.isBefore(end)) {
                deliver(cb, order(store, orderId, OrderKind.CHARGEBACK, cb, amount, tax, psp));
                list.add(new Txn(cb, PayoutLineType.DISPUTE, orderId, -amount, 1_500));
            }
        }
    }

    private static long pspFee(Psp psp, long amount) {
        return switch (psp) {
            case STRIPE -> amount * 14 / 1000 + 25;
            case SHOPIFY_PAYMENTS -> amount * 18 / 1000 + 25;
            case PAYPAL -> amount * 29 / 1000 + 35;
            default -> amount * 8 / 100; // marketplace commission
        };
    }

    private OrderEvent order(
            Store store,
            String orderId,
            OrderKind kind,
            Instant at,
            long amount,
            long tax,
            Psp psp) {
        return OrderEvent.newBuilder()
                .setEventId(store.channel().name().toLowerCase() + ":" + orderId + ":" + kind)
                .setOccurredAt(at)
                .setStoreId(store.id())
                .setChannel(store.channel())
                .setOrderId(orderId)
                .setKind(kind)
                .setAmountMinor(amount)
                .setTaxMinor(tax)
                .setCurrency(store.currency())
                .setPsp(psp)
                .setPspReference(psp.name().toLowerCase() + "_" + orderId)
                .build();
    }

    // ---- payouts ----

    private void payouts(Store store, Psp psp, List<Txn> txns) {
        String account = "USD".equals(store.currency()) ? USD_ACCOUNT : EUR_ACCOUNT;
        BusinessCalendar cal = calendars.get(account);
        List<Txn> pending = new ArrayList<>(txns);
        pending.sort(Comparator.comparing(Txn::at));
        LocalDate first = config.start();
        LocalDate last = config.start().plusDays(config.days() - 1);
        int lag =
                switch (psp) {
                    case STRIPE -> 2;
                    case SHOPIFY_PAYMENTS -> 3;
                    case PAYPAL -> 1;
                    default -> 3;
                };
        for (LocalDate d = first.plusDays(1); !d.isAfter(last); d = d.plusDays(1)) {
            boolean payoutDay =
                    psp == Psp.AMAZON_PAY ? d.toEpochDay() % 14 == 0 : cal.isBusinessDay(d);
            if (!payoutDay || heldForReview(store, psp, cal, d)) {
                continue;
            }
            Instant cutoff = cal.startOf(d);
            List<Txn> batch = new ArrayList<>();
            while (!pending.isEmpty() && pending.get(0).at().isBefore(cutoff)) {
                batch.add(pending.remove(0));
            }
            LocalDate arrival = cal.plusBusinessDays(d, lag);
            if (batch.isEmpty() || !cal.startOf(arrival).isBefore(end)) {
                pending.addAll(0, batch);
                continue;
            }
            if (batch.stream().mapToLong(t -> t.amount() - t.fee()).sum() <= 0) {
                pending.addAll(0, batch); // refunds exceed sales: carried to the next payout
                continue;
            }
            int dayIndex = (int) (d.toEpochDay() - config.start().toEpochDay());
            if (dayIndex >= 8
                    && config.reconciliationProblems()
                    && truth.planted("MISSING_PAYOUT").stream().noneMatch(p -> p.ids.size() == 1)
                    && psp == lostOrderPsp()
                    && batch.size() > 1
                    && batch.get(0).type() == PayoutLineType.CHARGE) {
                Txn lost = batch.remove(0); // the PSP never pays this order out
                plant(
                        "MISSING_PAYOUT",
                        psp + "/" + store.id() + "/" + store.currency(),
                        lost.at(),
                        null,
                        List.of(lost.orderId()),
                        "captured, then in no payout");
            }
            boolean failed = payout(store, psp, account, cal, d, arrival, batch);
            if (failed && config.profile() == SimulatorConfig.Profile.SMALL_SHOPS) {
                pending.addAll(0, batch); // the PSP pays the bounced money with its next payout
            }
        }
    }

    /**
     * Small shops: from day 30, the first Stripe store's payouts are held for nine business days (a
     * risk review), then the backlog is paid at once. Its payouts name no orders, so only the PSP
     * balance's age shows it.
     */
    private boolean heldForReview(Store store, Psp psp, BusinessCalendar cal, LocalDate day) {
        if (config.profile() != SimulatorConfig.Profile.SMALL_SHOPS
                || !config.reconciliationProblems()
                || psp != Psp.STRIPE
                || !store.id().equals("store-2")
                || config.days() < 45) {
            return false;
        }
        LocalDate from = cal.onOrAfter(config.start().plusDays(30));
        LocalDate until = cal.plusBusinessDays(from, 9);
        if (day.equals(from)
                && truth.planted("MISSING_PAYOUT").stream()
                        .noneMatch(p -> p.scope.startsWith("STRIPE/"))) {
            plant(
                    "MISSING_PAYOUT",
                    psp + "/" + store.id() + "/" + store.currency(),
                    cal.startOf(from),
                    cal.startOf(until),
                    List.of(),
                    "payouts held for nine business days, then paid at once");
        }
        return !day.isBefore(from) && day.isBefore(until);
    }

    /** The PSP whose payout loses one order: one that names its orders, so it can be found. */
    private Psp lostOrderPsp() {
        return config.profile() == SimulatorConfig.Profile.SMALL_SHOPS ? Psp.PAYPAL : Psp.STRIPE;
    }

    /** Publishes one payout and its credit; true when the PSP reports it FAILED after PAID. */
    private boolean payout(
            Store store,
            Psp psp,
            String account,
            BusinessCalendar cal,
            LocalDate created,
            LocalDate arrival,
            List<Txn> batch) {
        long gross = 0, fees = 0, refunds = 0;
        List<PayoutLine> payoutLines = new ArrayList<>();
        List<String> orderIds = new ArrayList<>();
        String spikeKey = null;
        for (int back = 0; back < feeSpikeDays() && spikeKey == null; back++) {
            String k = psp + "|" + created.minusDays(back);
            if (feeSpikes.containsKey(k)) spikeKey = k;
        }
        boolean feeSpike = spikeKey != null;
        if (feeSpike && !feeSpikes.get(spikeKey)) {
            feeSpikes.put(spikeKey, true);
            LocalDate first = LocalDate.parse(spikeKey.substring(spikeKey.indexOf('|') + 1));
            Instant day = first.atStartOfDay(ZoneOffset.UTC).toInstant();
            plant(
                    "FEE_SPIKE",
                    psp + "/" + store.currency(),
                    day,
                    day.plus(Duration.ofDays(feeSpikeDays())),
                    List.of(),
                    feeSpikeDays() == 1
                            ? "fee rate +1.5 points on the day's payouts"
                            : "fee rate +1.5 points for a week (a repricing)");
        }
        List<Txn> settled = new ArrayList<>();
        for (Txn t : batch) {
            // The PSP charges 1.5 points more on every charge it pays out that day.
            settled.add(
                    feeSpike && t.type() == PayoutLineType.CHARGE
                            ? new Txn(
                                    t.at(),
                                    t.type(),
                                    t.orderId(),
                                    t.amount(),
                                    t.fee() + t.amount() * 15 / 1000)
                            : t);
        }
        batch = settled;
        for (Txn t : batch) {
            if (t.type() == PayoutLineType.CHARGE) gross += t.amount();
            else refunds += -t.amount();
            fees += t.fee();
            payoutLines.add(
                    PayoutLine.newBuilder()
                            .setSourceId("txn_" + t.orderId() + "_" + t.type().name().toLowerCase())
                            .setType(t.type())
                            .setOrderId(t.orderId())
                            .setAmountMinor(t.amount())
                            .setFeeMinor(t.fee())
                            .setNetMinor(t.amount() - t.fee())
                            .setCurrency(store.currency())
                            .setExchangeRate(null)
                            .build());
            if (!orderIds.contains(t.orderId())) orderIds.add(t.orderId());
        }
        long net = gross - fees - refunds;
        if (net <= 0) {
            return false;
        }
        List<PayoutLine> reportedLines = reportsLines(psp) ? payoutLines : List.of();
        List<String> reportedOrders = reportsOrders(psp) ? orderIds : List.of();
        List<String> cases = new ArrayList<>();
        // This merchant's PayPal payouts are swept two at a time: one credit for both (N:1).
        boolean batched = psp == Psp.PAYPAL && Integer.parseInt(store.id().substring(6)) % 5 == 2;
        boolean fx = "USD".equals(store.currency()) && hard.nextInt(3) == 0;
        if (fx) {
            account = EUR_ACCOUNT; // USD payout into the EUR account, converted by the bank
            cases.add("FX");
        }
        long adjustment = 0;
        String arrivalKey = account + "/" + arrival;
        Long twin = lastNetByArrival.get(arrivalKey);
        if (!fx && !batched && twin != null && hard.nextInt(12) == 0) {
            adjustment = twin - net; // the same net as another payout arriving that day
            net = twin;
            cases.add("SAME_AMOUNT_SAME_DAY");
            payoutLines.add(
                    PayoutLine.newBuilder()
                            .setSourceId("adj_" + store.id() + "_" + created)
                            .setType(PayoutLineType.ADJUSTMENT)
                            .setOrderId(null)
                            .setAmountMinor(adjustment)
                            .setFeeMinor(0)
                            .setNetMinor(adjustment)
                            .setCurrency(store.currency())
                            .setExchangeRate(null)
                            .build());
        }
        lastNetByArrival.put(arrivalKey, net);
        for (LocalDate d = created; !d.isAfter(arrival); d = d.plusDays(1)) {
            if (cal.isHoliday(d)) {
                cases.add("BANK_HOLIDAY");
                break;
            }
        }
        String payoutId = payoutId(psp);
        String descriptor =
                psp.name().replace("_PAYMENTS", "").replace("_PAY", "") + " " + payoutId;
        int dayIndex = (int) (created.toEpochDay() - config.start().toEpochDay());
        long reportedNet = net;
        boolean identityBroken = false;
        if (dayIndex >= 9
                && config.reconciliationProblems()
                && truth.planted("PAYOUT_AMOUNT_MISMATCH").isEmpty()
                && "EUR".equals(store.currency())) {
            reportedNet = net + 500; // the PSP's own numbers do not add up
            identityBroken = true;
        }
        Instant inTransitAt = cal.startOf(created).plus(Duration.ofHours(2));
        Instant paidAt = cal.startOf(arrival).plus(Duration.ofHours(5));
        for (PayoutStatus status : List.of(PayoutStatus.IN_TRANSIT, PayoutStatus.PAID)) {
            Instant at = status == PayoutStatus.PAID ? paidAt : inTransitAt;
            deliver(
                    at,
                    PayoutEvent.newBuilder()
                            .setEventId(psp.name().toLowerCase() + ":" + payoutId + ":" + status)
                            .setOccurredAt(at)
                            .setPsp(psp)
                            .setStoreId(store.id())
                            .setPayoutId(payoutId)
                            .setStatus(status)
                            .setGrossMinor(gross)
                            .setFeeMinor(fees)
                            .setRefundMinor(refunds)
                            .setAdjustmentMinor(adjustment)
                            .setNetMinor(reportedNet)
                            .setCurrency(store.currency())
                            .setExpectedArrivalDate(arrival)
                            .setDestinationAccountId(account)
                            .setOrderIds(reportedOrders)
                            .setDescriptor(descriptor)
                            .setLines(reportedLines)
                            .build());
        }
        if (identityBroken) {
            plant(
                    "PAYOUT_AMOUNT_MISMATCH",
                    payoutId,
                    paidAt,
                    null,
                    List.of(payoutId),
                    "net is gross - fees - refunds + 5.00");
        }
        Instant bookedAt =
                cal.startOf(arrival)
                        .plus(Duration.ofHours(9))
                        .plusSeconds(random.nextInt(7 * 3600));
        if (dayIndex >= 4
                && config.reconciliationProblems()
                && truth.planted("MISSING_DEPOSIT").isEmpty()
                && "EUR".equals(store.currency())) {
            plant(
                    "MISSING_DEPOSIT",
                    payoutId,
                    paidAt,
                    null,
                    List.of(payoutId),
                    "PAID but never credited");
            return false;
        }
        long credited = reportedNet;
        if (dayIndex >= 6
                && !batched
                && config.reconciliationProblems()
                && truth.planted("DEPOSIT_AMOUNT_MISMATCH").isEmpty()
                && "EUR".equals(store.currency())) {
            credited = reportedNet - 1_234;
            plant(
                    "DEPOSIT_AMOUNT_MISMATCH",
                    payoutId,
                    bookedAt,
                    null,
                    List.of(payoutId),
                    "credited 12.34 less than the payout net");
        }
        if (!identityBroken && hard.nextInt(30) == 0) {
            // The PSP said PAID, the bank refused the transfer: FAILED a day later, no credit.
            Instant failedAt = paidAt.plus(Duration.ofHours(30));
            deliver(
                    failedAt,
                    PayoutEvent.newBuilder()
                            .setEventId(psp.name().toLowerCase() + ":" + payoutId + ":FAILED")
                            .setOccurredAt(failedAt)
                            .setPsp(psp)
                            .setStoreId(store.id())
                            .setPayoutId(payoutId)
                            .setStatus(PayoutStatus.FAILED)
                            .setGrossMinor(gross)
                            .setFeeMinor(fees)
                            .setRefundMinor(refunds)
                            .setAdjustmentMinor(adjustment)
                            .setNetMinor(reportedNet)
                            .setCurrency(store.currency())
                            .setExpectedArrivalDate(arrival)
                            .setDestinationAccountId(account)
                            .setOrderIds(reportedOrders)
                            .setDescriptor(descriptor)
                            .setLines(reportedLines)
                            .build());
            truth.failedAfterPaid.add(payoutId);
            return true;
        }
        String counterparty = psp.name().replace('_', ' ');
        String reference = descriptor;
        if (fx) {
            credited =
                    BigDecimal.valueOf(credited)
                            .multiply(usdEur.get(arrival))
                            .multiply(new BigDecimal("0.997")) // the bank's spread
                            .setScale(0, RoundingMode.HALF_EVEN)
                            .longValueExact();
        } else if (hard.nextInt(10) == 0) {
            reference = payoutId.substring(0, 10); // the bank cut the reference
            cases.add("TRUNCATED_REFERENCE");
        }
        String batchKey = store.id() + "/" + psp;
        if (batched) {
            // PayPal sweeps this merchant's payouts two at a time: one credit for both.
            Pending held = heldForBatch.remove(batchKey);
            if (held != null && cal.businessDaysBetween(held.arrival(), arrival) > 1) {
                creditAlone(held); // too far apart to be swept together
                held = null;
            }
            if (held == null) {
                heldForBatch.put(
                        batchKey,
                        new Pending(
                                payoutId, credited, account, bookedAt, arrival, descriptor, cases));
                return false;
            }
            String tag = "PO-" + held.payoutId() + "+" + payoutId;
            lines.add(
                    new Line(
                            account,
                            bookedAt,
                            held.net() + credited,
                            "PAYPAL EUROPE",
                            "PAYPAL TRANSFER",
                            tag,
                            true));
            lineSettles.put(tag, List.of(held.payoutId(), payoutId));
            List<String> all = new ArrayList<>(held.cases());
            all.addAll(cases);
            all.add("N_TO_1");
            lineHardCases.put(tag, all);
            return false;
        }
        String tag = "PO-" + payoutId;
        lines.add(new Line(account, bookedAt, credited, counterparty, reference, tag, true));
        lineSettles.put(tag, List.of(payoutId));
        lineHardCases.put(tag, cases);
        return false;
    }

    private void creditAlone(Pending held) {
        String tag = "PO-" + held.payoutId();
        lines.add(
                new Line(
                        held.account(),
                        held.bookedAt(),
                        held.net(),
                        "PAYPAL EUROPE",
                        held.descriptor(),
                        tag,
                        true));
        lineSettles.put(tag, List.of(held.payoutId()));
        lineHardCases.put(tag, held.cases());
    }

    private void usdEurRates() {
        SplittableRandom fxRandom = new SplittableRandom(config.seed() ^ 0xF0F0L);
        BigDecimal rate = new BigDecimal("0.9200");
        for (LocalDate d = config.start().minusDays(1);
                d.isBefore(config.start().plusDays(config.days() + 7));
                d = d.plusDays(1)) {
            rate =
                    rate.add(BigDecimal.valueOf(fxRandom.nextInt(41) - 20, 4))
                            .setScale(4, RoundingMode.HALF_EVEN);
            usdEur.put(d, rate);
        }
    }

    private String payoutId(Psp psp) {
        String alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.append(alnum.charAt(random.nextInt(alnum.length())));
        return switch (psp) {
            case STRIPE -> "po_" + sb;
            case SHOPIFY_PAYMENTS -> "sp_" + sb;
            case PAYPAL -> "PP-" + sb;
            case ADYEN -> "ADY-" + sb;
            default -> "AMZ-" + sb;
        };
    }

    // ---- bills, payroll, rent ----

    private static final String[] SUPPLIERS = {
        "Acme Packaging SARL", "Nordic Logistics AB", "Brightprint GmbH"
    };

    /** An open EUR bill, delivered when issued. */
    private void bill(
            String doc,
            String supplier,
            long amount,
            Long tax,
            LocalDate issued,
            LocalDate due,
            Instant issuedAt) {
        deliver(
                issuedAt,
                Obligation.newBuilder()
                        .setEventId("bill:" + doc)
                        .setOccurredAt(issuedAt)
                        .setKind(ObligationKind.PAYABLE)
                        .setDocumentId(doc)
                        .setCounterpartyName(supplier)
                        .setCounterpartyAccount(null)
                        .setAmountMinor(amount)
                        .setTaxMinor(tax)
                        .setCurrency("EUR")
                        .setIssuedDate(issued)
                        .setDueDate(due)
                        .setStatus(ObligationStatus.OPEN)
                        .build());
    }

    private void obligations(List<Store> stores) {
        long eurStores = stores.stream().filter(s -> "EUR".equals(s.currency())).count();
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        for (int day = 0; day + 3 < config.days(); day += 4) {
            LocalDate issued = config.start().plusDays(day);
            LocalDate due = cal.onOrAfter(issued.plusDays(3));
            String supplier = SUPPLIERS[(day / 4) % SUPPLIERS.length];
            long amount = (150_000 + random.nextInt(250_000)) * Math.max(1, eurStores);
            String doc = "BILL-" + issued.toString().replace("-", "") + "-" + (day / 4);
            Instant issuedAt = cal.startOf(issued).plus(Duration.ofHours(8));
            bill(doc, supplier, amount, vatIncluded(amount), issued, due, issuedAt);
            Instant paidAt = cal.startOf(due).plus(Duration.ofHours(10));
            if (paidAt.isBefore(end)) {
                lines.add(
                        new Line(EUR_ACCOUNT, paidAt, -amount, supplier, doc, "BILL-" + doc, true));
                if (day >= 12
                        && config.reconciliationProblems()
                        && truth.planted("DUPLICATE_PAYMENT").isEmpty()) {
                    LocalDate again = cal.next(due);
                    Instant againAt = cal.startOf(again).plus(Duration.ofHours(11));
                    if (againAt.isBefore(end)) {
                        lines.add(
                                new Line(
                                        EUR_ACCOUNT,
                                        againAt,
                                        -amount,
                                        supplier,
                                        doc,
                                        "BILL2-" + doc,
                                        true));
                        plant(
                                "DUPLICATE_PAYMENT",
                                doc,
                                againAt,
                                null,
                                List.of(doc),
                                "bill paid twice");
                    }
                }
            }
        }
    }

    private static final String[] CUSTOMERS = {
        "Galeries Lafayette SA", "Le Bon Marche SAS", "Printemps SA"
    };

    /**
     * B2B invoices: most paid on the due date naming the invoice, some paid a day early by a bare
     * transfer of the amount, and a few never paid (planted OVERDUE_RECEIVABLE).
     */
    private void receivables() {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        LocalDate last = config.start().plusDays(config.days() - 1);
        int n = 0;
        for (int day = 1; day + 3 < config.days(); day += 3, n++) {
            LocalDate issued = config.start().plusDays(day);
            LocalDate due = cal.onOrAfter(issued.plusDays(10));
            if (due.isAfter(last.minusDays(3))) break;
            String customer = CUSTOMERS[n % CUSTOMERS.length];
            long amount = 200_000 + hard.nextInt(600_000);
            String doc = "INV-" + issued.toString().replace("-", "") + "-" + n;
            Instant issuedAt = cal.startOf(issued).plus(Duration.ofHours(9));
            deliver(
                    issuedAt,
                    Obligation.newBuilder()
                            .setEventId("invoice:" + doc)
                            .setOccurredAt(issuedAt)
                            .setKind(ObligationKind.RECEIVABLE)
                            .setDocumentId(doc)
                            .setCounterpartyName(customer)
                            .setCounterpartyAccount(null)
                            .setAmountMinor(amount)
                            .setTaxMinor(vatIncluded(amount))
                            .setCurrency("EUR")
                            .setIssuedDate(issued)
                            .setDueDate(due)
                            .setStatus(ObligationStatus.OPEN)
                            .build());
            // One invoice in five is never paid, unless the business is clean.
            int fate = n % 5 == 4 && !config.reconciliationProblems() ? 0 : n % 5;
            if (fate < 3) {
                lines.add(
                        new Line(
                                EUR_ACCOUNT,
                                cal.startOf(due).plus(Duration.ofHours(11)),
                                amount,
                                customer.toUpperCase(java.util.Locale.ROOT),
                                "PAYMENT " + doc,
                                "RCV-" + doc,
                                true));
            } else if (fate == 3) {
                LocalDate early = cal.plusBusinessDays(issued, 5);
                lines.add(
                        new Line(
                                EUR_ACCOUNT,
                                cal.startOf(early).plus(Duration.ofHours(12)),
                                amount,
                                customer.toUpperCase(java.util.Locale.ROOT),
                                "VIREMENT",
                                "RCV-" + doc,
                                true));
            } else {
                plant(
                        "OVERDUE_RECEIVABLE",
                        doc,
                        cal.startOf(cal.plusBusinessDays(due, 1)),
                        null,
                        List.of(doc),
                        "invoice never paid");
            }
        }
    }

    private void fixedCosts(List<Store> stores) {
        long eurStores =
                Math.max(1, stores.stream().filter(s -> "EUR".equals(s.currency())).count());
        BusinessCalendar eur = calendars.get(EUR_ACCOUNT);
        BusinessCalendar usd = calendars.get(USD_ACCOUNT);
        for (LocalDate d = config.start();
                d.isBefore(config.start().plusDays(config.days()));
                d = d.plusDays(1)) {
            if (d.getDayOfMonth() == 1 || d.equals(config.start())) {
                LocalDate pay = eur.onOrAfter(d);
                lines.add(
                        new Line(
                                EUR_ACCOUNT,
                                eur.startOf(pay).plus(Duration.ofHours(9)),
                                -400_000 * eurStores,
                                "Immo Gestion SA",
                                "RENT " + d.getMonth(),
                                "RENT-" + d,
                                true));
            }
            if (d.getDayOfMonth() == 27) {
                LocalDate pay = eur.onOrAfter(d);
                lines.add(
                        new Line(
                                EUR_ACCOUNT,
                                eur.startOf(pay).plus(Duration.ofHours(8)),
                                -1_200_000 * eurStores,
                                "Payroll",
                                "SALARIES " + d.getMonth(),
                                "PAY-" + d,
                                true));
            }
            if (d.getDayOfMonth() == 10) {
                LocalDate pay = usd.onOrAfter(d);
                lines.add(
                        new Line(
                                USD_ACCOUNT,
                                usd.startOf(pay).plus(Duration.ofHours(12)),
                                -120_000,
                                "Amazon Web Services",
                                "AWS " + d.getMonth(),
                                "AWS-" + d,
                                true));
            }
        }
        for (String account : calendars.keySet()) {
            BusinessCalendar cal = calendars.get(account);
            for (LocalDate d = config.start();
                    d.isBefore(config.start().plusDays(config.days()));
                    d = d.plusDays(1)) {
                if (d.getDayOfWeek() == DayOfWeek.WEDNESDAY && cal.isBusinessDay(d)) {
                    lines.add(
                            new Line(
                                    account,
                                    cal.startOf(d).plus(Duration.ofHours(7)),
                                    -1_500,
                                    "Bank fees",
                                    "ACCOUNT FEES",
                                    "FEE-" + d,
                                    true));
                }
            }
        }
    }

    /**
     * Small shops: money that is no payout. The founder brings capital on day 40, and on day 20 the
     * EUR account sweeps 5,000.00 EUR to the USD account (a debit here, a credit there at the day's
     * rate).
     */
    private void treasuryMoves() {
        if (config.profile() != SimulatorConfig.Profile.SMALL_SHOPS) return;
        BusinessCalendar eur = calendars.get(EUR_ACCOUNT);
        BusinessCalendar usd = calendars.get(USD_ACCOUNT);
        if (config.days() > 42) {
            LocalDate day = eur.onOrAfter(config.start().plusDays(40));
            lines.add(
                    new Line(
                            EUR_ACCOUNT,
                            eur.startOf(day).plus(Duration.ofHours(11)),
                            2_000_000,
                            "M. Arnaud Lefevre",
                            "APPORT EN CAPITAL",
                            "CAPITAL-" + day,
                            true));
        }
        if (config.days() > 22) {
            LocalDate day = eur.onOrAfter(config.start().plusDays(20));
            long euros = 500_000;
            long dollars =
                    BigDecimal.valueOf(euros)
                            .divide(usdEur.get(day), 0, RoundingMode.HALF_EVEN)
                            .longValueExact();
            lines.add(
                    new Line(
                            EUR_ACCOUNT,
                            eur.startOf(day).plus(Duration.ofHours(12)),
                            -euros,
                            "Treso Shops SAS",
                            "VIREMENT INTERNE VERS USD",
                            "XFER-" + day,
                            true));
            lines.add(
                    new Line(
                            USD_ACCOUNT,
                            usd.startOf(day).plus(Duration.ofHours(14)),
                            dollars,
                            "Treso Shops SAS",
                            "INTERNAL TRANSFER FROM EUR",
                            "XFER-" + day,
                            true));
        }
    }

    /** What a line is, by its tag: the truth tests check categories against. */
    private static String categoryOf(String tag) {
        String prefix = tag.substring(0, tag.indexOf('-') + 1);
        return switch (prefix) {
            case "PO-", "ADYEN-" -> "PSP_PAYOUT";
            case "RENT-" -> "RENT";
            case "PAY-" -> "PAYROLL";
            case "FEE-", "LOST-" -> "BANK_FEES";
            case "VAT-" -> "TAX";
            case "LOAN-" -> "LOAN";
            case "CAPITAL-" -> "CAPITAL";
            case "SWEEP-", "XFER-" -> "INTERNAL_TRANSFER";
            case "BILL-", "BILL2-" -> "SUPPLIER";
            case "RCV-" -> "CUSTOMER_RECEIPT";
            default -> null;
        };
    }

    private void ambiguousPair(int dayOffset, int k) {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        LocalDate day = cal.onOrAfter(config.start().plusDays(dayOffset));
        if (!cal.startOf(day).plus(Duration.ofDays(2)).isBefore(end)) {
            return;
        }
        long amount = 4_000_000 + 100_000L * k;
        List<String> pair = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String payoutId = payoutId(Psp.ADYEN);
            pair.add(payoutId);
            Instant paidAt = cal.startOf(day).plus(Duration.ofHours(5));
            deliver(
                    paidAt,
                    PayoutEvent.newBuilder()
                            .setEventId("adyen:" + payoutId + ":PAID")
                            .setOccurredAt(paidAt)
                            .setPsp(Psp.ADYEN)
                            .setStoreId("store-1")
                            .setPayoutId(payoutId)
                            .setStatus(PayoutStatus.PAID)
                            .setGrossMinor(amount)
                            .setFeeMinor(0)
                            .setRefundMinor(0)
                            .setAdjustmentMinor(0)
                            .setNetMinor(amount)
                            .setCurrency("EUR")
                            .setExpectedArrivalDate(day)
                            .setDestinationAccountId(EUR_ACCOUNT)
                            .setOrderIds(List.of())
                            .setDescriptor(null)
                            .setLines(List.of())
                            .build());
        }
        for (int i = 0; i < 2; i++) {
            String tag = "ADYEN-" + k + "-" + i;
            lines.add(
                    new Line(
                            EUR_ACCOUNT,
                            cal.startOf(day).plus(Duration.ofHours(14 + i)),
                            amount,
                            "Adyen N.V.",
                            null,
                            tag,
                            true));
            lineSettles.put(tag, pair);
            ambiguous.add(tag);
        }
    }

    /**
     * How long a planted fee spike lasts: a payout day for busy shops; a week for small ones, as a
     * repricing does, since a small shop's payouts that also carry refunds cannot be judged (their
     * fee may hide a dispute fee).
     */
    private int feeSpikeDays() {
        return config.profile() == SimulatorConfig.Profile.SMALL_SHOPS ? 7 : 1;
    }

    /** Three payout days on which a PSP of the first two stores charges 1.5 points more. */
    private void planFeeSpikes(List<Store> stores) {
        if (config.anomaliesFrom() < 0) return;
        List<Psp> psps = new ArrayList<>();
        for (Store st : stores.subList(0, Math.min(2, stores.size()))) {
            for (Psp p : st.psps()) if (!psps.contains(p) && p != Psp.AMAZON_PAY) psps.add(p);
        }
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        for (int k = 0; k < 3; k++) {
            LocalDate day =
                    cal.onOrAfter(config.start().plusDays(config.anomaliesFrom() + 5 + 8 * k));
            feeSpikes.put(psps.get(k % psps.size()) + "|" + day, false);
        }
    }

    /**
     * Three debits of 8x the EUR account's largest usual debit, each to a new counterparty, with a
     * sweep in an hour before so the balance (and the low-balance truth) stays as planned.
     */
    private void scenarioDebits() {
        if (config.anomaliesFrom() < 0) return;
        if (config.profile() == SimulatorConfig.Profile.SMALL_SHOPS) {
            newPayeesAtNight();
            spendingRuns();
            return;
        }
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        long largest =
                lines.stream()
                        .filter(l -> l.account().equals(EUR_ACCOUNT) && l.amount() < 0)
                        .filter(l -> !l.eventTag().startsWith("ODD-"))
                        .mapToLong(l -> -l.amount())
                        .max()
                        .orElse(300_000);
        List<String> names =
                List.of("Nordwind Trading GmbH", "Atlas Freight Ltd", "Helios Conseil SARL");
        for (int k = 0; k < 3; k++) {
            LocalDate day =
                    cal.onOrAfter(config.start().plusDays(config.anomaliesFrom() + 7 + 8 * k));
            Instant at = cal.startOf(day).plus(Duration.ofHours(15));
            sweptDebit(day, at, 8 * largest, names.get(k), "INVOICE 9981" + k);
            plant("UNUSUAL_DEBIT", EUR_ACCOUNT, at, null, List.of(), "8x the largest usual debit");
        }
    }

    /** A debit of {@code amount} to {@code payee}, after a sweep that brings the money in. */
    private void sweptDebit(
            LocalDate day, Instant at, long amount, String payee, String reference) {
        lines.add(
                new Line(
                        EUR_ACCOUNT,
                        at.minus(Duration.ofHours(1)),
                        amount,
                        "Treso Holding",
                        "TREASURY SWEEP " + day,
                        "SWEEP-" + day,
                        true));
        lines.add(new Line(EUR_ACCOUNT, at, -amount, payee, reference, "DEBIT8-" + day, true));
    }

    /**
     * Three fraud-shaped debits: 8x the usual supplier bill, at 03:00 in Paris, to a payee never
     * paid before, with a pressing reference; a sweep an hour before keeps the balance as planned.
     */
    private void newPayeesAtNight() {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        long[] bills =
                lines.stream()
                        .filter(
                                l ->
                                        l.account().equals(EUR_ACCOUNT)
                                                && l.eventTag().startsWith("BILL"))
                        .mapToLong(l -> -l.amount())
                        .sorted()
                        .toArray();
        long usual = bills.length == 0 ? 400_000 : bills[bills.length / 2];
        List<String> names =
                List.of("Nordwind Trading GmbH", "Atlas Freight Ltd", "Helios Conseil SARL");
        for (int k = 0; k < 3; k++) {
            LocalDate day =
                    cal.onOrAfter(config.start().plusDays(config.anomaliesFrom() + 6 + 8 * k));
            Instant at = day.atTime(3, 12).atZone(ZoneId.of("Europe/Paris")).toInstant();
            sweptDebit(day, at, 8 * usual, names.get(k), "URGENT TRANSFER");
            plant(
                    "UNUSUAL_DEBIT",
                    EUR_ACCOUNT,
                    at,
                    null,
                    List.of(),
                    "a new payee paid 8x the usual supplier bill at night");
        }
    }

    /**
     * Three days on which the EUR account's card is used 14 times for small amounts (150-600 EUR):
     * no single debit stands out, the day does.
     */
    private void spendingRuns() {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        List<String> merchants =
                List.of("CB AMAZON MKTP", "CB ALIEXPRESS", "CB APPLE.COM", "CB ZALANDO");
        for (int k = 0; k < 3; k++) {
            LocalDate day =
                    cal.onOrAfter(config.start().plusDays(config.anomaliesFrom() + 2 + 8 * k));
            Instant from = day.atStartOfDay(ZoneId.of("Europe/Paris")).toInstant();
            for (int i = 0; i < 14; i++) {
                Instant at = from.plus(Duration.ofHours(8 + i)).plusSeconds(hard.nextInt(3000));
                long amount = 15_000 + hard.nextInt(45_000);
                String merchant = merchants.get(i % merchants.size());
                lines.add(
                        new Line(
                                EUR_ACCOUNT,
                                at,
                                -amount,
                                merchant,
                                merchant + " " + day + " " + i,
                                "CARD-" + day + "-" + i,
                                true));
            }
            plant(
                    "OUTFLOW_SPIKE",
                    EUR_ACCOUNT,
                    from,
                    from.plus(Duration.ofDays(1)),
                    List.of(),
                    "14 card payments in a day");
        }
    }

    /**
     * Each store's time zone (STORE_CONFIG), and its monthly promotion (days 25 to 27, orders x1.6)
     * announced ahead (PROMOTION), so that a planned sale is not an anomaly.
     */
    private void storeControls(List<Store> stores) {
        Instant issued = start.minus(Duration.ofHours(1));
        for (Store st : stores) {
            deliver(
                    issued,
                    ControlCommand.newBuilder()
                            .setEventId("control:STORE_CONFIG:" + st.id() + ":1")
                            .setOccurredAt(issued)
                            .setKind("STORE_CONFIG")
                            .setScope(st.id())
                            .setVersion(1)
                            .setEffectiveAt(start.minus(Duration.ofDays(1)))
                            .setCurrency(st.currency())
                            .setTimeZone(st.zone().getId())
                            .setParams(Map.of())
                            .build());
            for (LocalDate m = config.start().withDayOfMonth(25);
                    m.isBefore(config.start().plusDays(config.days()));
                    m = m.plusMonths(1)) {
                Instant from = m.atStartOfDay(st.zone()).toInstant();
                Instant to = m.plusDays(3).atStartOfDay(st.zone()).toInstant();
                deliver(
                        issued,
                        ControlCommand.newBuilder()
                                .setEventId("control:PROMOTION:" + st.id() + ":" + m)
                                .setOccurredAt(issued)
                                .setKind("PROMOTION")
                                .setScope(st.id())
                                .setVersion(m.toEpochDay())
                                .setEffectiveAt(from)
                                .setParams(Map.of("until", to.toString(), "uplift", "1.6"))
                                .build());
            }
        }
    }

    private void plantedDebits() {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        LocalDate day = cal.onOrAfter(config.start().plusDays(17));
        Instant at = cal.startOf(day).plus(Duration.ofHours(15));
        if (!at.isBefore(end)) {
            return;
        }
        long largest =
                lines.stream()
                        .filter(
                                l ->
                                        l.account().equals(EUR_ACCOUNT)
                                                && l.eventTag().startsWith("BILL"))
                        .mapToLong(l -> -l.amount())
                        .max()
                        .orElse(300_000);
        lines.add(
                new Line(
                        EUR_ACCOUNT,
                        at,
                        -8 * largest,
                        "Unknown Trading Ltd",
                        "INVOICE 99812",
                        "ODD-" + day,
                        true));
        plant("UNUSUAL_DEBIT", EUR_ACCOUNT, at, null, List.of(), "8x the largest usual debit");
    }

    /**
     * A shortfall known three weeks ahead: a tax bill issued on day {@code shortfallFrom}, paid on
     * its due date, that takes the EUR account to 30 % of its threshold, and a loan two business
     * days later that lifts the lowest later balance to 1.2x the threshold. Planted after the
     * openings are set, so the statements carry both.
     */
    private void plannedShortfall(long eurOpening) {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        LocalDate issued = config.start().plusDays(config.shortfallFrom());
        LocalDate due = cal.onOrAfter(issued.plusDays(21));
        LocalDate loanDay = cal.plusBusinessDays(due, 2);
        Instant issuedAt = cal.startOf(issued).plus(Duration.ofHours(8));
        Instant paidAt = cal.startOf(due).plus(Duration.ofHours(10)).plusSeconds(900);
        Instant loanAt = cal.startOf(loanDay).plus(Duration.ofHours(10)).plusSeconds(900);
        long before = eurOpening;
        for (Line l : sortedLines(EUR_ACCOUNT)) {
            if (l.bookedAt().isBefore(paidAt)) before += l.amount();
        }
        long tax = before - eurThreshold * 3 / 10;
        String doc = "TAX-" + issued.toString().replace("-", "");
        bill(doc, "Direction Generale des Finances", tax, null, issued, due, issuedAt);
        lines.add(
                new Line(
                        EUR_ACCOUNT,
                        paidAt,
                        -tax,
                        "Direction Generale des Finances",
                        "PAYMENT " + doc,
                        doc,
                        true));
        lend(eurOpening, loanAt, loanDay);
        plant(
                "PROJECTED_SHORTFALL",
                EUR_ACCOUNT,
                issuedAt,
                loanAt,
                List.of(doc),
                "tax bill known 3 weeks ahead takes the account to 30 % of its threshold");
    }

    /**
     * A loan drawn at {@code loanAt} that lifts the lowest later EUR balance to 1.2x the threshold.
     */
    private void lend(long eurOpening, Instant loanAt, LocalDate loanDay) {
        long bal = eurOpening, minAfter = Long.MAX_VALUE;
        for (Line l : sortedLines(EUR_ACCOUNT)) {
            bal += l.amount();
            if (!l.bookedAt().isBefore(loanAt)) minAfter = Math.min(minAfter, bal);
        }
        long loan = Math.max(eurThreshold, eurThreshold * 12 / 10 - minAfter);
        lines.add(
                new Line(
                        EUR_ACCOUNT,
                        loanAt,
                        loan,
                        "Banque Populaire",
                        "LOAN DRAWDOWN",
                        "LOAN-" + loanDay,
                        true));
    }

    /**
     * Sets opening balances so that only the planted dip crosses the EUR threshold, then plants the
     * dip and the loan that ends it.
     */
    private long[] planBalances() {
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        long margin = eurThreshold / 10;
        LocalDate dipDay = cal.onOrAfter(config.start().plusDays(3)); // early: the demo shows it
        LocalDate loanDay = cal.plusBusinessDays(dipDay, 2);
        Instant dipAt = cal.startOf(dipDay).plus(Duration.ofHours(10)).plusSeconds(1800);
        Instant loanAt = cal.startOf(loanDay).plus(Duration.ofHours(10)).plusSeconds(1800);
        long eurOpening = 2 * eurThreshold;
        List<Line> eur = sortedLines(EUR_ACCOUNT);
        long run = 0, minBefore = 0;
        for (Line l : eur) {
            if (!l.bookedAt().isBefore(dipAt)) break;
            run += l.amount();
            minBefore = Math.min(minBefore, run);
        }
        eurOpening = Math.max(eurOpening, eurThreshold + 2 * margin - minBefore);
        long dipAmount = eurOpening + run - (eurThreshold * 7 / 10);
        lines.add(
                new Line(
                        EUR_ACCOUNT,
                        dipAt,
                        -dipAmount,
                        TAX_OFFICE,
                        "TVA 2026-02",
                        "VAT-" + dipDay,
                        true));
        long bal = eurOpening, maxBetween = Long.MIN_VALUE;
        for (Line l : sortedLines(EUR_ACCOUNT)) {
            bal += l.amount();
            if (l.bookedAt().isBefore(loanAt) && !l.bookedAt().isBefore(dipAt)) {
                maxBetween = Math.max(maxBetween, bal);
            }
        }
        lend(eurOpening, loanAt, loanDay);
        if (maxBetween >= eurThreshold + margin) {
            throw new IllegalStateException(
                    "simulation would resolve the dip early; seed " + config.seed());
        }
        plant(
                "LOW_BALANCE",
                EUR_ACCOUNT,
                dipAt,
                loanAt,
                List.of(),
                "tax payment dips below the threshold");

        // USD: open well above the threshold plus margin.
        long usdRun = 0, usdMin = 0;
        for (Line l : sortedLines(USD_ACCOUNT)) {
            usdRun += l.amount();
            usdMin = Math.min(usdMin, usdRun);
        }
        long usdOpening = Math.max(8_000_000, 2 * USD_THRESHOLD - usdMin);
        return new long[] {eurOpening, usdOpening};
    }

    private List<Line> sortedLines(String account) {
        return lines.stream()
                .filter(l -> l.account().equals(account))
                .sorted(Comparator.comparing(Line::bookedAt).thenComparing(Line::eventTag))
                .toList();
    }

    private void fxRates() {
        for (LocalDate d = config.start().minusDays(1);
                d.isBefore(config.start().plusDays(config.days()));
                d = d.plusDays(1)) {
            Instant at = d.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(16));
            deliver(
                    at.isBefore(start) ? start : at,
                    FxRate.newBuilder()
                            .setEventId("fx:USD:EUR:" + d)
                            .setOccurredAt(at)
                            .setCurrency("USD")
                            .setBaseCurrency("EUR")
                            .setRate(usdEur.get(d).toPlainString())
                            .build());
        }
    }

    private static final String[] MERCHANTS = {
        "CARREFOUR",
        "SNCF",
        "UBER",
        "AMAZON.FR",
        "LA POSTE",
        "BUREAU VALLEE",
        "TOTALENERGIES",
        "IKEA",
        "FNAC",
        "DARTY",
        "LEROY MERLIN",
        "MONOPRIX",
        "AIR FRANCE",
        "BOOKING.COM",
        "OVH",
        "CANVA",
        "NOTION",
        "SLACK",
        "ADOBE",
        "GOOGLE ADS",
        "META ADS",
        "COLISSIMO",
        "DHL",
        "CHRONOPOST",
        "METRO",
        "BOULANGER",
        "CULTURA",
        "DECATHLON",
        "APPLE",
        "ORANGE"
    };

    /**
     * With {@link SimulatorConfig#withCardSpend}: card purchases on the EUR account, drawn from a
     * random stream of their own so the rest of the business stays as it is.
     */
    private void cardSpend() {
        if (!config.cardSpend()) return;
        SplittableRandom cards = new SplittableRandom(config.seed() * 31 + 7);
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        int n = 0;
        for (LocalDate d = config.start();
                d.isBefore(config.start().plusDays(config.days()));
                d = d.plusDays(1)) {
            boolean weekend = d.getDayOfWeek().getValue() >= 6;
            int purchases = weekend ? cards.nextInt(2) : 2 + cards.nextInt(5);
            for (int k = 0; k < purchases; k++) {
                String merchant = MERCHANTS[cards.nextInt(MERCHANTS.length)];
                Instant at = cal.startOf(d).plus(Duration.ofMinutes(480 + cards.nextInt(720)));
                if (!at.isBefore(end)) continue;
                lines.add(
                        new Line(
                                EUR_ACCOUNT,
                                at,
                                -(800 + cards.nextInt(11_200)),
                                "CB " + merchant,
                                "CARTE " + merchant + " " + d,
                                "CARD-" + d + "-" + (++n),
                                true));
            }
        }
    }

    /** The tax office's name on the bank lines (the early dip pays it too). */
    static final String TAX_OFFICE = "Direction Generale des Finances";

    /** The day of the month after a VAT period its return is paid (or the next bank day). */
    static final int VAT_DUE_DAY = 19;

    /**
     * With {@link SimulatorConfig#withVat}: the entity's VAT returns, each period's VAT collected
     * on the EUR stores' captures, less their refunds' (a chargeback is no credit note), plus the
     * invoices' and less the bills' VAT, by their Paris dates, paid from the EUR account on the due
     * day; a period that ends in a credit pays nothing.
     */
    private void vatReturns() {
        if (config.vatRegime() == null) return;
        BusinessCalendar cal = calendars.get(EUR_ACCOUNT);
        int months = config.vatRegime().equals("QUARTERLY") ? 3 : 1;
        Map<LocalDate, Long> byPeriod = new java.util.TreeMap<>();
        for (Delivery d : deliveries) {
            long tax;
            Instant at;
            if (d.record() instanceof OrderEvent o
                    && "EUR".equals(o.getCurrency())
                    && o.getTaxMinor() != null
                    && (o.getKind() == OrderKind.CAPTURED || o.getKind() == OrderKind.REFUNDED)) {
                tax = o.getKind() == OrderKind.CAPTURED ? o.getTaxMinor() : -o.getTaxMinor();
                at = o.getOccurredAt();
            } else if (d.record() instanceof Obligation b
                    && "EUR".equals(b.getCurrency())
                    && b.getTaxMinor() != null
                    && b.getStatus() == ObligationStatus.OPEN) {
                tax = b.getKind() == ObligationKind.RECEIVABLE ? b.getTaxMinor() : -b.getTaxMinor();
                at = b.getOccurredAt();
            } else {
                continue;
            }
            LocalDate day = at.atZone(cal.zone()).toLocalDate();
            LocalDate first =
                    LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / months * months + 1, 1);
            byPeriod.merge(first, tax, Math::addExact);
        }
        for (Map.Entry<LocalDate, Long> p : byPeriod.entrySet()) {
            LocalDate next = p.getKey().plusMonths(months);
            LocalDate due = cal.onOrAfter(next.withDayOfMonth(VAT_DUE_DAY));
            Instant paidAt = cal.startOf(due).plus(Duration.ofHours(11));
            if (p.getValue() <= 0 || !paidAt.isBefore(end)) continue;
            String id =
                    months == 1
                            ? p.getKey().toString().substring(0, 7)
                            : p.getKey().getYear() + "-Q" + (p.getKey().getMonthValue() / 3 + 1);
            lines.add(
                    new Line(
                            EUR_ACCOUNT,
                            paidAt,
                            -p.getValue(),
                            TAX_OFFICE,
                            "TVA " + id,
                            "VAT-" + id,
                            true));
            truth.vatPaid.put(id, p.getValue());
        }
    }

    private void controls(long[] openings) {
        Instant issued = start.minus(Duration.ofHours(1));
        if (config.vatRegime() != null) {
            deliver(
                    issued,
                    ControlCommand.newBuilder()
                            .setEventId("control:VAT_CONFIG:FR:1")
                            .setOccurredAt(issued)
                            .setKind("VAT_CONFIG")
                            .setScope("FR")
                            .setVersion(1)
                            .setEffectiveAt(start.minus(Duration.ofDays(1)))
                            .setCurrency("EUR")
                            .setParams(
                                    Map.of(
                                            "regime",
                                            config.vatRegime(),
                                            "due_day",
                                            Integer.toString(VAT_DUE_DAY),
                                            "account",
                                            EUR_ACCOUNT,
                                            "payee",
                                            TAX_OFFICE))
                            .build());
        }
        int i = 0;
        for (String account : List.of(EUR_ACCOUNT, USD_ACCOUNT)) {
            long threshold = account.equals(EUR_ACCOUNT) ? eurThreshold : USD_THRESHOLD;
            deliver(
                    issued,
                    ControlCommand.newBuilder()
                            .setEventId("control:LOW_BALANCE_THRESHOLD:" + account + ":1")
                            .setOccurredAt(issued)
                            .setKind("LOW_BALANCE_THRESHOLD")
                            .setScope(account)
                            .setVersion(1)
                            .setEffectiveAt(start.minus(Duration.ofDays(1)))
                            .setThresholdMinor(threshold)
                            .setCurrency(account.equals(EUR_ACCOUNT) ? "EUR" : "USD")
                            .setTimeZone(calendars.get(account).zone().getId())
                            .setParams(Map.of("margin_minor", Long.toString(threshold / 10)))
                            .build());
            // The account's zone and business days, as its bank keeps them.
            deliver(
                    issued,
                    ControlCommand.newBuilder()
                            .setEventId("control:ACCOUNT_CONFIG:" + account + ":1")
                            .setOccurredAt(issued)
                            .setKind("ACCOUNT_CONFIG")
                            .setScope(account)
                            .setVersion(1)
                            .setEffectiveAt(start.minus(Duration.ofDays(1)))
                            .setCurrency(account.equals(EUR_ACCOUNT) ? "EUR" : "USD")
                            .setTimeZone(calendars.get(account).zone().getId())
                            .setParams(Map.of("calendar", calendars.get(account).id()))
                            .build());
            SimulationTruth.Account a = new SimulationTruth.Account();
            a.accountId = account;
            a.currency = account.equals(EUR_ACCOUNT) ? "EUR" : "USD";
            a.openingBalanceMinor = openings[i++];
            a.lowBalanceThresholdMinor = threshold;
            a.lowBalanceMarginMinor = threshold / 10;
            truth.accounts.add(a);
        }
    }

    // ---- statements ----

    private void statements(long[] openings) {
        int a = 0;
        for (String account : List.of(EUR_ACCOUNT, USD_ACCOUNT)) {
            statementsOf(account, openings[a], truth.accounts.get(a));
            a++;
        }
    }

    private void statementsOf(String account, long opening, SimulationTruth.Account truthAccount) {
        BusinessCalendar cal = calendars.get(account);
        String currency = account.equals(EUR_ACCOUNT) ? "EUR" : "USD";
        List<Line> all = new ArrayList<>(sortedLines(account));
        LocalDate last = config.start().plusDays(config.days() - 1);
        long balance = opening;
        long expected = opening;
        int sequence = 0;
        int businessDay = 0;
        List<String> dupCandidates = new ArrayList<>();
        for (LocalDate d = cal.onOrAfter(config.start()); !d.isAfter(last); d = cal.next(d)) {
            businessDay++;
            Instant from = cal.startOf(d);
            Instant to = cal.startOf(cal.next(d));
            String statementId = account.substring(0, 4) + "-" + d.toString().replace("-", "");
            List<Line> day = new ArrayList<>();
            for (Line l : all) {
                if (!l.bookedAt().isBefore(from) && l.bookedAt().isBefore(to)) day.add(l);
            }
            if (account.equals(USD_ACCOUNT) && businessDay == 10) {
                day.add(
                        new Line(
                                account,
                                from.plus(Duration.ofHours(16)),
                                -2_500,
                                "Bank",
                                "WIRE FEE",
                                "LOST-" + d,
                                false));
                plant(
                        "BALANCE_BREAK",
                        account,
                        to,
                        null,
                        List.of(statementId),
                        "statement lists a 25.00 fee line that is never delivered");
            }
            Instant deliveredAt = to.plus(Duration.ofHours(6));
            boolean late = businessDay % 7 == 3;
            if (late) {
                deliveredAt =
                        cal.startOf(cal.next(cal.next(d)))
                                .plus(Duration.ofHours(6)); // a late statement
            }
            long sum = 0;
            int n = 0;
            for (Line l : day) {
                n++;
                sum += l.amount();
                String bankRef = "B" + d.toString().replace("-", "") + String.format("%04d", n);
                String eventId = account + ":" + bankRef;
                if (l.eventTag().startsWith("PO-") || l.eventTag().startsWith("ADYEN-")) {
                    SimulationTruth.Settlement s = new SimulationTruth.Settlement();
                    s.bankEventId = eventId;
                    s.bookedAt = l.bookedAt().toString();
                    s.payoutIds.addAll(lineSettles.get(l.eventTag()));
                    s.label =
                            ambiguous.contains(l.eventTag()) ? "AMBIGUOUS_BY_DESIGN" : "RESOLVABLE";
                    s.hardCases.addAll(lineHardCases.getOrDefault(l.eventTag(), List.of()));
                    if (late) s.hardCases.add("LATE_STATEMENT");
                    truth.settlements.add(s);
                }
                if (!l.delivered()) continue;
                String category = categoryOf(l.eventTag());
                if (category != null) {
                    SimulationTruth.Categorised c = new SimulationTruth.Categorised();
                    c.bankEventId = eventId;
                    c.bookedAt = l.bookedAt().toString();
                    c.category = category;
                    truth.categorised.add(c);
                }
                BankTransaction tx =
                        BankTransaction.newBuilder()
                                .setEventId(eventId)
                                .setBookedAt(l.bookedAt())
                                .setValueDate(cal.dateOf(l.bookedAt()))
                                .setAccountId(account)
                                .setAmountMinor(l.amount())
                                .setCurrency(currency)
                                .setStatus(BankEntryStatus.BOOKED)
                                .setCounterpartyName(l.counterparty())
                                .setCounterpartyAccount(null)
                                .setReference(l.reference())
                                .setBankReference(bankRef)
                                .setStatementId(statementId)
                                .build();
                deliver(deliveredAt, tx);
                expected += l.amount();
                if (random.nextInt(100) == 0) {
                    dupCandidates.add(eventId);
                    deliver(
                            deliveredAt.plus(Duration.ofDays(1)),
                            BankTransaction.newBuilder(tx).build());
                    truth.duplicateDeliveries++;
                }
            }
            long closing = balance + sum;
            long reportedClosing = closing;
            if (account.equals(EUR_ACCOUNT) && businessDay == 5) {
                reportedClosing = closing + 1_000;
                plant(
                        "STATEMENT_UNBALANCED",
                        account,
                        to,
                        null,
                        List.of(statementId),
                        "closing is 10.00 more than opening plus entries");
            }
            sequence++;
            deliver(
                    deliveredAt,
                    BankStatement.newBuilder()
                            .setEventId(account + ":" + statementId + ":" + sequence)
                            .setAccountId(account)
                            .setKind(StatementKind.END_OF_DAY)
                            .setStatementId(statementId)
                            .setSequence(sequence)
                            .setPeriodStart(from)
                            .setPeriodEnd(to)
                            .setCurrency(currency)
                            .setOpeningBalanceMinor(balance)
                            .setClosingBalanceMinor(reportedClosing)
                            .setAvailableBalanceMinor(reportedClosing)
                            .setEntryCount(n)
                            .setEntrySumMinor(sum)
                            .build());
            balance = closing;
        }
        truthAccount.expectedBalanceMinor = expected;
        truthAccount.bankReportedClosingMinor = balance;
    }

    private void duplicateOrders() {
        List<Delivery> orders =
                deliveries.stream().filter(d -> d.record() instanceof OrderEvent).toList();
        for (Delivery d : orders) {
            if (random.nextInt(200) == 0) {
                deliver(
                        d.at().plus(Duration.ofHours(2)),
                        OrderEvent.newBuilder((OrderEvent) d.record()).build());
                truth.duplicateDeliveries++;
            }
        }
    }

    // ---- helpers ----

    private Instant localTime(ZoneId zone, int dayOffset, int hour) {
        return config.start().plusDays(dayOffset).atTime(hour, 0).atZone(zone).toInstant();
    }

    private void plant(
            String type, String scope, Instant at, Instant until, List<String> ids, String note) {
        SimulationTruth.Planted p = new SimulationTruth.Planted();
        p.type = type;
        p.scope = scope;
        p.at = at.toString();
        p.until = until == null ? null : until.toString();
        p.ids.addAll(ids);
        p.note = note;
        truth.planted.add(p);
    }

    private void deliver(Instant at, SpecificRecord record) {
        deliveries.add(new Delivery(at, seq++, record));
    }

    private int poisson(double lambda) {
        return poisson(random, lambda);
    }

    /**
     * A Poisson draw by Knuth's product of uniforms; large means are split in halves, where the
     * product would underflow. Shared with tests that build synthetic hours the same way.
     */
    public static int poisson(SplittableRandom random, double lambda) {
        if (lambda > 30) {
            return poisson(random, lambda / 2) + poisson(random, lambda - lambda / 2);
        }
        double l = Math.exp(-lambda), p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** The 20 % VAT inside a gross amount (a sixth of it), rounded half up, in minor units. */
    static long vatIncluded(long gross) {
        return (gross + 3) / 6;
    }
}
