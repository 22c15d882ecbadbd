package io.treso.connectors.intake;

import java.util.Locale;

/**
 * The senders {@code ./treso intake} takes webhooks from, with the headers each signs and names its
 * deliveries by. Shopify and WooCommerce name the topic in a header; Stripe names it in the body.
 */
public enum WebhookSource {
    SHOPIFY("X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Webhook-Id"),
    WOOCOMMERCE("X-WC-Webhook-Signature", "X-WC-Webhook-Topic", "X-WC-Webhook-Delivery-ID"),
    STRIPE("Stripe-Signature", null, null);

    public final String signatureHeader;
    public final String topicHeader;
    public final String deliveryHeader;

    WebhookSource(String signatureHeader, String topicHeader, String deliveryHeader) {
        this.signatureHeader = signatureHeader;
        this.topicHeader = topicHeader;
        this.deliveryHeader = deliveryHeader;
    }

    /** The name in paths, config keys and metric labels: {@code shopify}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source a path's last segment names, or null. */
    public static WebhookSource byId(String id) {
        for (WebhookSource s : values()) if (s.id().equals(id)) return s;
        return null;
    }
}
