package io.treso.jobs.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The webhook intake's keys ({@code ./treso intake}): limits, and per sender ({@code shopify},
 * {@code woocommerce}, {@code stripe}) its signing secret and what its payloads omit. A sender is
 * served when its secret is set; secrets belong in {@code TRESO_INTAKE_<SENDER>_SECRET}, not in a
 * file that is committed.
 */
public final class IntakeOptions {
    private IntakeOptions() {}

    public static final Param<Integer> MAX_BODY_BYTES =
            new Param<>(
                    "treso.intake.max-body-bytes",
                    1024 * 1024,
                    "The largest webhook body taken; a larger one is answered 413 unread.",
                    IntakeOptions::positive);

    public static final Param<Duration> KAFKA_TIMEOUT =
            new Param<>(
                    "treso.intake.kafka-timeout",
                    Duration.ofSeconds(4),
                    "How long a delivery waits for Kafka's acknowledgement before it is answered 503 (Shopify gives up after 5 s).",
                    IntakeOptions::positiveDuration);

    public static final Param<Duration> STRIPE_TOLERANCE =
            new Param<>(
                    "treso.intake.stripe-tolerance",
                    Duration.ofMinutes(5),
                    "How far a Stripe-Signature timestamp may be from this machine's clock (a replayed request is older).",
                    IntakeOptions::positiveDuration);

    public static final Param<Integer> DELIVERY_LOG_SIZE =
            new Param<>(
                    "treso.intake.delivery-log-size",
                    100_000,
                    "Delivery ids remembered, so a redelivery is answered without publishing again; beyond them the events' own ids still count it once.",
                    IntakeOptions::positive);

    public static final Param<String> TRANSACTIONAL_ID =
            new Param<>(
                    "treso.intake.transactional-id",
                    "treso-intake",
                    "The Kafka transactional id; give each intake instance its own.",
                    s -> s);

    /** One sender's keys: {@code treso.intake.<sender>.*}. */
    public record Sender(
            String name,
            Param<List<String>> secret,
            Param<String> store,
            Param<String> account,
            Param<ZoneId> zone) {}

    public static final Sender SHOPIFY = sender("shopify");
    public static final Sender WOOCOMMERCE = sender("woocommerce");
    public static final Sender STRIPE = sender("stripe");

    public static final Param<String> STRIPE_CHANNEL =
            new Param<>(
                    "treso.intake.stripe.channel",
                    "OTHER",
                    "The channel of the orders Stripe refunds name (SHOPIFY, WOOCOMMERCE, MAGENTO, PRESTASHOP, AMAZON, OTHER).",
                    s -> s);

    public static final Param<String> STRIPE_ORDER_KEY =
            new Param<>(
                    "treso.intake.stripe.order-key",
                    "order_id",
                    "The charge metadata key that holds the shop's order id.",
                    s -> s);

    public static final List<Sender> SENDERS = List.of(SHOPIFY, WOOCOMMERCE, STRIPE);

    public static final List<Param<?>> ALL = all();

    private static List<Param<?>> all() {
        List<Param<?>> all =
                new ArrayList<>(
                        List.of(
                                MAX_BODY_BYTES,
                                KAFKA_TIMEOUT,
                                STRIPE_TOLERANCE,
                                DELIVERY_LOG_SIZE,
                                TRANSACTIONAL_ID));
        for (Sender s : SENDERS) all.addAll(List.of(s.secret(), s.store(), s.account(), s.zone()));
        all.addAll(List.of(STRIPE_CHANNEL, STRIPE_ORDER_KEY));
        return List.copyOf(all);
    }

    /**
     * The intake's keys of {@code values}, with {@code TRESO_INTAKE_*} variables winning; an
     * unknown {@code treso.intake.} key fails, naming it.
     */
    public static Map<String, String> of(Map<String, String> values, Map<String, String> env) {
        Map<String, String> own = new TreeMap<>();
        values.forEach(
                (k, v) -> {
                    if (!k.startsWith("treso.intake.")) return;
                    if (ALL.stream().noneMatch(p -> p.key().equals(k))) {
                        throw new IllegalArgumentException("unknown config key " + k);
                    }
                    own.put(k, v);
                });
        for (Param<?> p : ALL) {
            String v = env.get(JobConfig.envName(p.key()));
            if (v != null) own.put(p.key(), v);
        }
        ALL.forEach(p -> p.from(own)); // a malformed value fails now, naming its key
        return own;
    }

    private static Sender sender(String name) {
        String prefix = "treso.intake." + name + ".";
        return new Sender(
                name,
                new Param<>(
                        prefix + "secret",
                        List.of(),
                        "The "
                                + name
                                + " webhook signing secret (comma-separated: two while one is rotated); set, "
                                + name
                                + " deliveries are served. Give it as TRESO_INTAKE_"
                                + name.toUpperCase(java.util.Locale.ROOT)
                                + "_SECRET.",
                        s -> List.of(s.split("\\s*,\\s*"))),
                new Param<>(
                        prefix + "store",
                        null,
                        "The Treso store id of " + name + "'s events (required when served).",
                        s -> s),
                new Param<>(
                        prefix + "account",
                        null,
                        "The bank account "
                                + name
                                + "'s payouts land on (reconciliation matches only payouts with one).",
                        s -> s),
                new Param<>(
                        prefix + "zone",
                        ZoneId.of("UTC"),
                        "The time zone of " + name + "'s dates without one.",
                        ZoneId::of));
    }

    private static Integer positive(String s) {
        int n = Integer.parseInt(s);
        if (n <= 0) throw new IllegalArgumentException("must be positive");
        return n;
    }

    private static Duration positiveDuration(String s) {
        Duration d = Duration.parse(s);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be positive");
        return d;
    }
}
