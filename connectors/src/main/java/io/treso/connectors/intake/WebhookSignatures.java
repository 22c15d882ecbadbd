package io.treso.connectors.intake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures, checked on the raw body before anything reads it. Every comparison is
 * constant-time ({@link MessageDigest#isEqual}), so a forger learns nothing from how long a refusal
 * took.
 */
public final class WebhookSignatures {
    private WebhookSignatures() {}

    /** What a signature check found; anything but VALID is a 401. */
    public enum Verdict {
        VALID,
        MISSING,
        MALFORMED,
        MISMATCH,
        /** Stripe: a signature over a timestamp outside the tolerance (a replayed request). */
        STALE
    }

    /**
     * Shopify's {@code X-Shopify-Hmac-Sha256} and WooCommerce's {@code X-WC-Webhook-Signature}: the
     * base64 HMAC-SHA256 of the raw body, under any of {@code secrets} (two during rotation).
     */
    public static Verdict base64Hmac(byte[] body, String header, List<byte[]> secrets) {
        if (header == null || header.isBlank()) return Verdict.MISSING;
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.strip());
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        for (byte[] secret : secrets) {
            if (MessageDigest.isEqual(hmac(secret, body), given)) return Verdict.VALID;
        }
        return Verdict.MISMATCH;
    }

    /**
     * Stripe's {@code Stripe-Signature: t=…,v1=…[,v1=…]}: the hex HMAC-SHA256 of {@code t + "." +
     * body}. Any v1 may match any secret (Stripe signs with each live secret while one is rolled),
     * and {@code t} must be within {@code tolerance} of {@code now}, so a captured request cannot
     * be replayed later.
     */
    public static Verdict stripe(
            byte[] body, String header, List<byte[]> secrets, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) return Verdict.MISSING;
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (key.equals("t")) {
                timestamp = value;
            } else if (key.equals("v1")) {
                try {
                    signatures.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException e) {
                    return Verdict.MALFORMED;
                }
            }
        }
        if (timestamp == null || signatures.isEmpty()) return Verdict.MALFORMED;
        long t;
        try {
            t = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        boolean match = false;
        for (byte[] secret : secrets) {
            byte[] expected = hmac(secret, signed);
            for (byte[] given : signatures) match |= MessageDigest.isEqual(expected, given);
        }
        if (!match) return Verdict.MISMATCH;
        // Judged after the signature, so an unsigned request never learns about the clock.
        return Math.abs(now.getEpochSecond() - t) <= tolerance.toSeconds()
                ? Verdict.VALID
                : Verdict.STALE;
    }

    /** Stripe's header for {@code body} at {@code t}, as Stripe computes it (tests, tools). */
    public static String stripeHeader(byte[] body, long t, byte[]... secrets) {
        StringBuilder h = new StringBuilder("t=").append(t);
        byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        for (byte[] secret : secrets) {
            h.append(",v1=").append(HexFormat.of().formatHex(hmac(secret, signed)));
        }
        return h.toString();
    }

    /** The base64 HMAC-SHA256 Shopify and WooCommerce send (tests, tools). */
    public static String base64Header(byte[] body, byte[] secret) {
        return Base64.getEncoder().encodeToString(hmac(secret, body));
    }

    private static byte[] hmac(byte[] secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
