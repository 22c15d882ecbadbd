package io.treso.connectors.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.treso.connectors.ingest.JsonFiles;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.connectors.shopify.ShopifyReader;
import io.treso.connectors.stripe.StripeReader;
import io.treso.connectors.woocommerce.WooCommerceReader;
import io.treso.event.Channel;
import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ./treso intake} does with one webhook delivery, apart from HTTP: check the signature
 * on the raw body before anything reads it, know the topic, answer a redelivery without publishing
 * again, turn the body into canonical events with the same readers {@code ingest} uses, and answer
 * only once Kafka has them. A body that is signed but cannot be read goes to the dead-letter topic
 * with its reason and is answered 202: the sender must not retry forever for a fault of ours.
 */
public final class WebhookIntake {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    /** Stable dead-letter reasons for deliveries (beside the job's own). */
    public static final String UNPARSEABLE = "UNPARSEABLE_WEBHOOK";

    public static final String KAFKA_REFUSED = "KAFKA_REFUSED_WEBHOOK";

    /** The most of a body a dead letter keeps: well inside Kafka's default record size. */
    static final int MAX_KEPT_BYTES = 256 * 1024;

    /** WooCommerce's ping when a webhook is saved: form-encoded and unsigned. */
    private static final Pattern WOO_PING = Pattern.compile("webhook_id=\\d+");

    /** The status and a short text for the sender. */
    public record Answer(int status, String message) {}

    /** One configured sender: its secrets (two while one is rotated) and what its data omits. */
    public record SourceSettings(
            WebhookSource source,
            List<byte[]> secrets,
            PspContext context,
            Channel channel,
            String orderKey) {
        public SourceSettings {
            Preconditions.checkArgument(
                    !secrets.isEmpty() && secrets.stream().allMatch(s -> s.length > 0),
                    "a webhook source needs a non-empty secret");
            secrets = List.copyOf(secrets);
        }

        /** Never the secrets. */
        @Override
        public String toString() {
            return source.id() + " -> store " + context.storeId();
        }
    }

    private final Map<WebhookSource, SourceSettings> sources = new EnumMap<>(WebhookSource.class);
    private final WebhookPublisher publisher;
    private final DeliveryLog deliveries;
    private final IntakeCounters counters;
    private final Clock clock;
    private final Duration stripeTolerance;

    public WebhookIntake(
            List<SourceSettings> sources,
            WebhookPublisher publisher,
            int deliveryLogSize,
            IntakeCounters counters,
            Clock clock,
            Duration stripeTolerance) {
        sources.forEach(s -> this.sources.put(s.source(), s));
        Preconditions.checkArgument(!this.sources.isEmpty(), "no webhook source configured");
        this.publisher = Preconditions.checkNotNull(publisher);
        this.deliveries = new DeliveryLog(deliveryLogSize);
        this.counters = Preconditions.checkNotNull(counters);
        this.clock = Preconditions.checkNotNull(clock);
        this.stripeTolerance = Preconditions.checkNotNull(stripeTolerance);
    }

    public boolean accepts(WebhookSource source) {
        return sources.containsKey(source);
    }

    /** One delivery: {@code header} looks a request header up by name, case-insensitively. */
    public Answer receive(WebhookSource source, Function<String, String> header, byte[] body) {
        SourceSettings settings = sources.get(source);
        if (settings == null) {
            return refuse(source, 404, "not_configured", source.id() + " is not configured here");
        }
        if (source == WebhookSource.WOOCOMMERCE
                && header.apply(source.signatureHeader) == null
                && WOO_PING.matcher(new String(body, StandardCharsets.US_ASCII)).matches()) {
            counters.received(source.id(), "ping");
            return new Answer(200, "pong");
        }
        WebhookSignatures.Verdict verdict =
                source == WebhookSource.STRIPE
                        ? WebhookSignatures.stripe(
                                body,
                                header.apply(source.signatureHeader),
                                settings.secrets(),
                                clock.instant(),
                                stripeTolerance)
                        : WebhookSignatures.base64Hmac(
                                body, header.apply(source.signatureHeader), settings.secrets());
        if (verdict == WebhookSignatures.Verdict.STALE) {
            return refuse(
                    source,
                    401,
                    "stale_timestamp",
                    "signature timestamp outside the "
                            + stripeTolerance.toSeconds()
                            + " s tolerance");
        }
        if (verdict != WebhookSignatures.Verdict.VALID) {
            return refuse(
                    source,
                    401,
                    "bad_signature",
                    "signature " + verdict.name().toLowerCase(java.util.Locale.ROOT));
        }
        // Signed: from here the body is the sender's and may be read.
        JsonNode stripeEvent = null;
        String topic;
        String delivery;
        if (source == WebhookSource.STRIPE) {
            try {
                stripeEvent = JsonFiles.parse(new String(body, StandardCharsets.UTF_8));
            } catch (RefusedFileException e) {
                return deadLetter(
                        settings, "event", "stripe:body-" + digest(body), body, e.getMessage());
            }
            topic = JsonFiles.text(stripeEvent, "type");
            String id = JsonFiles.text(stripeEvent, "id");
            delivery = "stripe:" + (id == null ? "body-" + digest(body) : id);
            if (topic == null || !StripeReader.readsWebhook(topic)) {
                return refuse(source, 400, "unknown_topic", "event type " + topic + " is not read");
            }
        } else {
            topic = header.apply(source.topicHeader);
            if (topic == null || !topics(source).contains(topic)) {
                return refuse(source, 400, "unknown_topic", "topic " + topic + " is not read");
            }
            String id = header.apply(source.deliveryHeader);
            String event =
                    source == WebhookSource.SHOPIFY ? header.apply("X-Shopify-Event-Id") : null;
            delivery =
                    source.id()
                            + ":"
                            + (id == null ? "body-" + digest(body) : id)
                            + (event == null ? "" : ":" + event);
        }
        if (deliveries.contains(delivery)) {
            counters.received(source.id(), "duplicate");
            return new Answer(200, "already published (" + delivery + ")");
        }
        List<SpecificRecord> events;
        try {
            events = translate(settings, topic, stripeEvent, body);
        } catch (RefusedFileException | RuntimeException e) {
            // A RuntimeException here is a reader's bug; the sender still must not retry forever.
            return deadLetter(settings, topic, delivery, body, e.getMessage());
        }
        if (events.isEmpty()) {
            deliveries.published(delivery);
            counters.received(source.id(), "nothing_to_publish");
            return new Answer(200, "nothing to publish (no money moved)");
        }
        try {
            publisher.publish(events);
        } catch (WebhookPublisher.Unavailable e) {
            return refuse(source, 503, "kafka_unavailable", "Kafka unavailable; retry later");
        } catch (WebhookPublisher.Refused e) {
            return deadLetterAs(settings, topic, delivery, body, KAFKA_REFUSED, e.getMessage());
        }
        deliveries.published(delivery);
        counters.published(source.id(), events.size());
        counters.received(source.id(), "published");
        return new Answer(200, "published " + events.size() + " events");
    }

    private static java.util.Set<String> topics(WebhookSource source) {
        return source == WebhookSource.SHOPIFY
                ? ShopifyReader.WEBHOOK_TOPICS
                : WooCommerceReader.WEBHOOK_TOPICS;
    }

    private List<SpecificRecord> translate(
            SourceSettings s, String topic, JsonNode stripeEvent, byte[] body)
            throws RefusedFileException {
        return switch (s.source()) {
            case SHOPIFY ->
                    new ArrayList<>(
                            new ShopifyReader(s.context())
                                    .webhook(topic, JsonFiles.parse(utf8(body))));
            case WOOCOMMERCE ->
                    new ArrayList<>(
                            new WooCommerceReader(s.context())
                                    .orderEvents(JsonFiles.parse(utf8(body))));
            case STRIPE ->
                    new StripeReader(s.context(), s.orderKey(), s.channel()).webhook(stripeEvent);
        };
    }

    private Answer deadLetter(
            SourceSettings s, String topic, String delivery, byte[] body, String why) {
        return deadLetterAs(s, topic, delivery, body, UNPARSEABLE, why);
    }

    private Answer deadLetterAs(
            SourceSettings s,
            String topic,
            String delivery,
            byte[] body,
            String reason,
            String why) {
        String source = s.source().id();
        boolean cut = body.length > MAX_KEPT_BYTES;
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setReason(reason)
                        .setDetail(
                                source
                                        + " "
                                        + topic
                                        + ": "
                                        + why
                                        + (cut
                                                ? " (body of "
                                                        + body.length
                                                        + " bytes; the first "
                                                        + MAX_KEPT_BYTES
                                                        + " kept)"
                                                : ""))
                        .setErrorClass(ErrorClass.PERMANENT)
                        .setRecordType(recordType(s.source(), topic))
                        .setEventId(delivery)
                        .setEventTime(null)
                        .setSourceFile("webhook " + source + " " + topic)
                        .setSourceLine(null)
                        .setOriginalBytes(
                                ByteBuffer.wrap(cut ? Arrays.copyOf(body, MAX_KEPT_BYTES) : body))
                        .build();
        try {
            publisher.publish(List.of(letter));
        } catch (WebhookPublisher.Unavailable | WebhookPublisher.Refused e) {
            // Not kept anywhere yet: the sender must try again.
            return refuse(s.source(), 503, "kafka_unavailable", "Kafka unavailable; retry later");
        }
        deliveries.published(delivery);
        counters.received(source, "dead_lettered");
        LOG.warn(
                "A signed {} {} delivery ({}) could not be read and went to the dead-letter topic as {}: {}. Answered 202 so {} does not retry; see ./treso dlq list",
                source,
                topic,
                delivery,
                reason,
                why,
                source);
        return new Answer(202, "dead-lettered: " + why);
    }

    private static String recordType(WebhookSource source, String topic) {
        if (source == WebhookSource.STRIPE && topic.startsWith("payout.")) return "payout";
        return "order";
    }

    private Answer refuse(WebhookSource source, int status, String reason, String message) {
        counters.refused(source.id(), reason);
        return new Answer(status, message);
    }

    private static String utf8(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Names a delivery that carries no id of its own by its body. */
    private static String digest(byte[] body) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(body);
            return java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
