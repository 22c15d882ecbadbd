package io.treso.cli.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.intake.WebhookSignatures;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.shopify.ShopifyReader;
import io.treso.connectors.woocommerce.WooCommerceReader;
import io.treso.event.DeadLetter;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutStatus;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ./treso intake} as a sender meets it: a real HTTP client, bodies signed here as each
 * vendor documents it, the in-JVM broker and registry, and the published records read back.
 *
 * <p>Signatures: Shopify, "Verify webhooks" (shopify.dev/docs/apps/build/webhooks/subscribe/https,
 * X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body); WooCommerce, "Webhooks"
 * (woocommerce.com/document/webhooks, X-WC-Webhook-Signature, the same); Stripe, "Check the webhook
 * signatures" (docs.stripe.com/webhooks#verify-manually: t=, v1= hex HMAC-SHA256 of "t.body", 5
 * minute tolerance, several v1 while a secret is rolled). Stripe event bodies follow "The Event
 * object" with a Payout and a Charge object (docs.stripe.com/api/events/object).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntakeCommandTest {
    private static final String SHOPIFY = "shpss_test_secret";
    private static final String WOO = "woo secret";
    private static final String STRIPE_OLD = "whsec_old";
    private static final String STRIPE_NEW = "whsec_new";
    private static final int MAX_BODY = 64 * 1024;
    private static final Path FIXTURES = Path.of("..", "connectors", "src", "test", "resources");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;
    private static TresoTopics topics = TresoTopics.withSuffix("-intake");
    private static Thread intake;
    private static StringWriter out = new StringWriter();
    private static String base;
    private static io.treso.cli.testing.LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        logs = io.treso.cli.testing.LogCapture.start("intake", "io.treso.connectors.intake");
        kafka = EmbeddedKafka.start();
        registry = EmbeddedSchemaRegistry.start(0);
        TopicAdmin.createAll(kafka.bootstrapServers(), topics, 1);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        String[] args = {
            "intake",
            "--port",
            String.valueOf(port),
            "--host",
            "127.0.0.1",
            "--kafka",
            kafka.bootstrapServers(),
            "--registry",
            registry.url(),
            "--topic-suffix",
            "-intake",
            "--set",
            "treso.intake.shopify.secret=" + SHOPIFY,
            "--set",
            "treso.intake.shopify.store=store-1",
            "--set",
            "treso.intake.woocommerce.secret=" + WOO,
            "--set",
            "treso.intake.woocommerce.store=store-2",
            "--set",
            "treso.intake.stripe.secret=" + STRIPE_OLD + "," + STRIPE_NEW,
            "--set",
            "treso.intake.stripe.store=store-3",
            "--set",
            "treso.intake.stripe.account=FR7630006000011234567890189",
            "--set",
            "treso.intake.stripe.channel=WOOCOMMERCE",
            "--set",
            "treso.intake.max-body-bytes=" + MAX_BODY,
            "--set",
            "treso.intake.kafka-timeout=PT3S",
            "--stop-after",
            "PT10M"
        };
        intake =
                new Thread(
                        () ->
                                TresoCli.execute(
                                        args,
                                        new PrintWriter(out, true),
                                        new PrintWriter(out, true)),
                        "intake-under-test");
        intake.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200) break;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline || !intake.isAlive()) {
                    throw new AssertionError("the intake did not start: " + out, notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (intake != null) {
            intake.interrupt();
            intake.join(30_000);
        }
        if (logs != null) logs.close();
        if (registry != null) registry.close();
        if (kafka != null) kafka.close();
        System.out.println("intake output:\n" + out);
    }

    @Test
    @Order(1)
    void aSignedShopifyOrderIsPublishedOnceAsIngestReadsItAndARedeliveryChangesNothing()
            throws Exception {
        Path file = FIXTURES.resolve("ingest/shopify/orders-paid.json");
        byte[] body = Files.readAllBytes(file);
        HttpResponse<String> r = shopify(body, "orders/paid", "wh-1", sign(body, SHOPIFY));
        assertEquals(200, r.statusCode(), r.body());
        List<OrderEvent> expected = new ArrayList<>();
        for (var f :
                new ShopifyReader(new PspContext("store-1", null, ZoneOffset.UTC))
                        .read(List.of(file))) {
            f.batches().forEach(b -> b.events().forEach(e -> expected.add((OrderEvent) e)));
        }
        assertEquals(1, expected.size());
        assertEquals(expected, atLeast(1, IntakeCommandTest::orders));

        HttpResponse<String> again = shopify(body, "orders/paid", "wh-1", sign(body, SHOPIFY));
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("already published"), again.body());
        assertEquals(expected, orders(), "a redelivery publishes nothing");
        assertTrue(
                metrics()
                        .contains(
                                "treso_intake_deliveries_total{source=\"shopify\",outcome=\"duplicate\"} 1"));
    }

    @Test
    @Order(2)
    void wrongOrMissingSignaturesAre401AndPublishNothing() throws Exception {
        byte[] body = Files.readAllBytes(FIXTURES.resolve("ingest/shopify/orders-paid.json"));
        int before = orders().size();
        assertEquals(
                401,
                shopify(body, "orders/paid", "wh-2", sign(body, "another secret")).statusCode());
        assertEquals(401, shopify(body, "orders/paid", "wh-2", null).statusCode());
        byte[] tampered =
                new String(body, StandardCharsets.UTF_8)
                        .replace("600.00", "6000.00")
                        .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                401, shopify(tampered, "orders/paid", "wh-2", sign(body, SHOPIFY)).statusCode());
        assertEquals(before, orders().size());
        assertTrue(
                metrics()
                        .contains(
                                "treso_intake_refused_total{source=\"shopify\",reason=\"bad_signature\"} 3"),
                metrics());
    }

    @Test
    @Order(3)
    void unknownTopicsAre400AndBodiesOverTheLimit413() throws Exception {
        byte[] body = Files.readAllBytes(FIXTURES.resolve("ingest/shopify/orders-paid.json"));
        assertEquals(400, shopify(body, "orders/create", "wh-3", sign(body, SHOPIFY)).statusCode());
        byte[] big = new byte[MAX_BODY + 1];
        Arrays.fill(big, (byte) ' ');
        assertEquals(413, shopify(big, "orders/paid", "wh-4", sign(big, SHOPIFY)).statusCode());
        String m = metrics();
        assertTrue(
                m.contains(
                        "treso_intake_refused_total{source=\"shopify\",reason=\"unknown_topic\"} 1"),
                m);
        assertTrue(
                m.contains("treso_intake_refused_total{source=\"shopify\",reason=\"too_large\"} 1"),
                m);
    }

    @Test
    @Order(4)
    void aSignedBodyThatCannotBeReadIsDeadLetteredWithItsBytesAnd202() throws Exception {
        byte[] body =
                "{\"id\": 99, \"currency\": \"EUR\", \"total_price\": \"12.3.4\""
                        .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = shopify(body, "orders/paid", "wh-5", sign(body, SHOPIFY));
        assertEquals(202, r.statusCode(), r.body());
        byte[] order =
                "{\"id\": 99, \"currency\": \"EUR\", \"total_price\": \"12.3.4\", \"processed_at\": \"2026-03-02T10:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r2 = shopify(order, "orders/paid", "wh-6", sign(order, SHOPIFY));
        assertEquals(202, r2.statusCode(), r2.body());
        List<DeadLetter> letters =
                atLeast(
                        2,
                        () ->
                                TopicReader.readAll(
                                        kafka.bootstrapServers(),
                                        endpoint(),
                                        topics.of(EventType.DEAD_LETTER),
                                        DeadLetter.class));
        assertEquals(2, letters.size(), letters.toString());
        assertEquals("UNPARSEABLE_WEBHOOK", letters.get(0).getReason());
        assertTrue(
                letters.get(0).getDetail().startsWith("shopify orders/paid: not JSON"),
                letters.get(0).getDetail());
        assertEquals(ByteBuffer.wrap(body), letters.get(0).getOriginalBytes());
        assertTrue(letters.get(1).getDetail().contains("12.3.4"), letters.get(1).getDetail());
        assertEquals("shopify:wh-6", letters.get(1).getEventId());
    }

    @Test
    @Order(5)
    void wooCommerceOrderWebhooksAndItsUnsignedPing() throws Exception {
        var orders =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(FIXTURES.resolve("ingest/woocommerce/orders.json").toFile());
        var refunded = orders.get(2);
        byte[] body = refunded.toString().getBytes(StandardCharsets.UTF_8);
        int before = orders().size();
        HttpResponse<String> r =
                post(
                        "/webhooks/woocommerce",
                        body,
                        "X-WC-Webhook-Signature",
                        sign(body, WOO),
                        "X-WC-Webhook-Topic",
                        "order.updated",
                        "X-WC-Webhook-Delivery-ID",
                        "9001");
        assertEquals(200, r.statusCode(), r.body());
        var expected =
                new WooCommerceReader(new PspContext("store-2", null, ZoneOffset.UTC))
                        .orderEvents(refunded);
        assertTrue(expected.size() >= 3, expected.toString());
        List<OrderEvent> now = atLeast(before + expected.size(), IntakeCommandTest::orders);
        assertEquals(expected, now.subList(before, now.size()));
        assertEquals(
                200,
                post("/webhooks/woocommerce", "webhook_id=17".getBytes(StandardCharsets.US_ASCII))
                        .statusCode());
        assertEquals(
                401,
                post("/webhooks/woocommerce", body, "X-WC-Webhook-Topic", "order.updated")
                        .statusCode());
    }

    @Test
    @Order(6)
    void stripePayoutsAndRefundsUnderRotatedSecretsAndStaleTimestampsRefused() throws Exception {
        byte[] payout =
                Files.readAllBytes(Path.of("src/test/resources/intake/stripe-payout-paid.json"));
        long now = Instant.now().getEpochSecond();
        // While a secret is rolled Stripe signs with both: one v1 per secret.
        String both =
                WebhookSignatures.stripeHeader(
                        payout, now, bytes("whsec_unknown"), bytes(STRIPE_NEW));
        assertEquals(200, post("/webhooks/stripe", payout, "Stripe-Signature", both).statusCode());
        List<PayoutEvent> payouts = atLeast(1, () -> read(EventType.PAYOUT, PayoutEvent.class));
        assertEquals(1, payouts.size());
        assertEquals("po_1Ab2Cd3Ef4Gh5Ij", payouts.get(0).getPayoutId());
        assertEquals(PayoutStatus.PAID, payouts.get(0).getStatus());
        assertEquals(125000, payouts.get(0).getNetMinor());
        assertEquals("FR7630006000011234567890189", payouts.get(0).getDestinationAccountId());

        byte[] refund =
                Files.readAllBytes(
                        Path.of("src/test/resources/intake/stripe-charge-refunded.json"));
        String stale = WebhookSignatures.stripeHeader(refund, now - 301, bytes(STRIPE_OLD));
        HttpResponse<String> r = post("/webhooks/stripe", refund, "Stripe-Signature", stale);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(
                metrics()
                        .contains(
                                "treso_intake_refused_total{source=\"stripe\",reason=\"stale_timestamp\"} 1"));
        int before = orders().size();
        String fresh = WebhookSignatures.stripeHeader(refund, now, bytes(STRIPE_OLD));
        assertEquals(200, post("/webhooks/stripe", refund, "Stripe-Signature", fresh).statusCode());
        List<OrderEvent> after = atLeast(before + 1, IntakeCommandTest::orders);
        assertEquals(before + 1, after.size());
        OrderEvent refunded = after.get(after.size() - 1);
        assertEquals(OrderKind.REFUNDED, refunded.getKind());
        assertEquals("1042", refunded.getOrderId());
        assertEquals(1500, refunded.getAmountMinor());
        assertEquals("store-3", refunded.getStoreId());
        byte[] unknown =
                "{\"id\":\"evt_x\",\"type\":\"customer.created\",\"data\":{\"object\":{}}}"
                        .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                400,
                post(
                                "/webhooks/stripe",
                                unknown,
                                "Stripe-Signature",
                                WebhookSignatures.stripeHeader(unknown, now, bytes(STRIPE_NEW)))
                        .statusCode());
    }

    @Test
    @Order(7)
    void theMetricsAreValidPrometheusText() throws Exception {
        String m = metrics();
        assertTrue(m.contains("treso_intake_events_published_total{source=\"shopify\"} 1"), m);
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            System.out.println(
                    "promtool absent (Debian's prometheus package): metrics format checked by the assertions only");
            return;
        }
        Process p =
                new ProcessBuilder(promtool.toString(), "check", "metrics")
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().write(m.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
    }

    @Test
    @Order(8)
    void whileKafkaIsAwayDeliveriesAre503AndTheRetryAfterItReturnsPublishesOnce() throws Exception {
        String json =
                Files.readString(FIXTURES.resolve("ingest/shopify/orders-paid.json"))
                        .replace("450789469", "450789470");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        int before = orders().size();
        kafka.stopBroker();
        long t0 = System.nanoTime();
        HttpResponse<String> down = shopify(body, "orders/paid", "wh-7", sign(body, SHOPIFY));
        double took = (System.nanoTime() - t0) / 1e9;
        kafka.restartBroker();
        assertEquals(503, down.statusCode(), down.body());
        int unavailable = 1;
        HttpResponse<String> r;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((r = shopify(body, "orders/paid", "wh-7", sign(body, SHOPIFY))).statusCode() == 503
                && System.nanoTime() < deadline) {
            unavailable++;
            Thread.sleep(1_000); // as a sender's retry
        }
        assertEquals(200, r.statusCode(), r.body());
        List<OrderEvent> after = atLeast(before + 1, IntakeCommandTest::orders);
        assertEquals(before + 1, after.size(), "published once: " + after);
        assertEquals("450789470", after.get(after.size() - 1).getOrderId());
        System.out.printf(
                "intake: Kafka away -> 503 after %.1f s; %d answers 503 in all, then 200 once it was back; the order published once%n",
                took, unavailable);
    }

    @Test
    @Order(9)
    void anOperatorReadsWhatHappenedAndNoSecretAnywhere() {
        String log = logs.text();
        assertTrue(log.contains("went to the dead-letter topic as UNPARSEABLE_WEBHOOK"), log);
        assertTrue(log.contains("answering 503 so senders retry"), log);
        assertTrue(log.contains("acknowledges again"), log);
        for (String secret : List.of(SHOPIFY, WOO, STRIPE_OLD, STRIPE_NEW)) {
            assertTrue(!log.contains(secret) && !out.toString().contains(secret), secret);
        }
    }

    /**
     * The shop was quiet for over a week (more than the heartbeats follow in one jump): the first
     * order after the gap alone may be a typo and moves nothing; the second, near it, confirms that
     * time moved on, and the heartbeats resume there instead of stopping for good.
     */
    @Test
    @Order(10)
    void afterAGapOfWeeksTheHeartbeatsResumeOnceASecondDeliveryConfirmsIt() throws Exception {
        String json = Files.readString(FIXTURES.resolve("ingest/shopify/orders-paid.json"));
        Instant latest = latestHeartbeat();
        for (int i = 1; i <= 2; i++) {
            byte[] body =
                    json.replace("450789469", "55500" + i)
                            .replace("2026-03-01T10:00:00+01:00", "2026-03-25T0" + i + ":30:00Z")
                            .getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    200,
                    shopify(body, "orders/paid", "gap-" + i, sign(body, SHOPIFY)).statusCode());
            Instant now = latestHeartbeat();
            if (i == 1) assertEquals(latest, now, "one far-ahead record alone moves no heartbeat");
            else assertEquals(Instant.parse("2026-03-25T02:00:00Z"), now);
        }
    }

    private static Instant latestHeartbeat() {
        var decoder =
                new io.treso.schemas.wire.AvroWireDecoder<>(
                        endpoint().client(), io.treso.event.Heartbeat.class);
        Instant[] latest = {Instant.EPOCH};
        TopicReader.scan(
                kafka.bootstrapServers(),
                topics.of(EventType.BANK),
                r -> {
                    Instant at = decoder.decode(r.value()).getOccurredAt();
                    if (at.isAfter(latest[0])) latest[0] = at;
                });
        return latest[0];
    }

    /**
     * Reads until {@code n} records show, for up to 15 s: a transaction's commit markers reach the
     * partition a moment after the producer's commit returns, so a read_committed consumer may
     * briefly see the older end.
     */
    private static <T> List<T> atLeast(int n, java.util.function.Supplier<List<T>> read)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<T> got = read.get();
        while (got.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
            got = read.get();
        }
        return got;
    }

    private static List<OrderEvent> orders() {
        return read(EventType.ORDER, OrderEvent.class);
    }

    /** The topic's records, without the heartbeats the intake writes beside them. */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
            EventType type, Class<T> as) {
        var decoder = new io.treso.schemas.wire.AvroWireDecoder<>(endpoint().client(), as);
        List<T> out = new ArrayList<>();
        TopicReader.scan(
                kafka.bootstrapServers(),
                topics.of(type),
                r -> {
                    if (!new String(r.key(), StandardCharsets.UTF_8).endsWith("-heartbeat")) {
                        out.add(decoder.decode(r.value()));
                    }
                });
        return out;
    }

    private static RegistryEndpoint endpoint() {
        return new RegistryEndpoint(registry.url(), null, null);
    }

    private static String metrics() throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static HttpResponse<String> shopify(
            byte[] body, String topic, String webhookId, String signature) throws Exception {
        List<String> h =
                new ArrayList<>(
                        List.of(
                                "X-Shopify-Topic",
                                topic,
                                "X-Shopify-Webhook-Id",
                                webhookId,
                                "X-Shopify-Shop-Domain",
                                "example.myshopify.com"));
        if (signature != null) h.addAll(List.of("X-Shopify-Hmac-Sha256", signature));
        return post("/webhooks/shopify", body, h.toArray(String[]::new));
    }

    private static HttpResponse<String> post(String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(byte[] body, String secret) {
        return WebhookSignatures.base64Header(body, bytes(secret));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
