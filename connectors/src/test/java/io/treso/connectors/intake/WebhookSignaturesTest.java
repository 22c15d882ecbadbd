package io.treso.connectors.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treso.connectors.intake.WebhookSignatures.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HMAC is checked against RFC 4231's test case 2 (key "Jefe"), so the signer the tests use is
 * not only consistent with the verifier but right.
 */
class WebhookSignaturesTest {
    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA =
            "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    private static final String RFC4231_CASE2 =
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    @Test
    void shopifyAndWooCommerceSignaturesAreTheBase64HmacOfTheRawBody() {
        String header = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(RFC4231_CASE2));
        assertEquals(header, WebhookSignatures.base64Header(DATA, JEFE));
        assertEquals(Verdict.VALID, WebhookSignatures.base64Hmac(DATA, header, List.of(JEFE)));
        byte[] other = "Jeff".getBytes(StandardCharsets.US_ASCII);
        assertEquals(
                Verdict.VALID, WebhookSignatures.base64Hmac(DATA, header, List.of(other, JEFE)));
        assertEquals(Verdict.MISMATCH, WebhookSignatures.base64Hmac(DATA, header, List.of(other)));
        byte[] changed = DATA.clone();
        changed[0] = 'W';
        assertEquals(
                Verdict.MISMATCH, WebhookSignatures.base64Hmac(changed, header, List.of(JEFE)));
        assertEquals(Verdict.MISSING, WebhookSignatures.base64Hmac(DATA, null, List.of(JEFE)));
        assertEquals(Verdict.MALFORMED, WebhookSignatures.base64Hmac(DATA, "@@", List.of(JEFE)));
    }

    @Test
    void stripeSignsTheTimestampDotBodyAndAnyV1MayMatchWithinTheTolerance() {
        byte[] body = "{\"id\":\"evt_1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] secret = "whsec_a".getBytes(StandardCharsets.UTF_8);
        long t = 1_772_409_600L;
        Instant now = Instant.ofEpochSecond(t);
        Duration five = Duration.ofMinutes(5);
        String header = WebhookSignatures.stripeHeader(body, t, secret);
        assertEquals(
                Verdict.VALID, WebhookSignatures.stripe(body, header, List.of(secret), now, five));
        // The scheme the docs give: hex HMAC-SHA256 of "<t>.<body>".
        String expected =
                HexFormat.of()
                        .formatHex(
                                hmac(
                                        secret,
                                        (t + "." + new String(body, StandardCharsets.UTF_8))
                                                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("t=" + t + ",v1=" + expected, header);
        String rolled =
                "t=" + t + ",v1=" + "00".repeat(32) + ",v0=abc,v1=" + expected + ",x=unknown";
        assertEquals(
                Verdict.VALID, WebhookSignatures.stripe(body, rolled, List.of(secret), now, five));
        assertEquals(
                Verdict.VALID,
                WebhookSignatures.stripe(
                        body, header, List.of(secret), now.plusSeconds(300), five));
        assertEquals(
                Verdict.STALE,
                WebhookSignatures.stripe(
                        body, header, List.of(secret), now.plusSeconds(301), five));
        assertEquals(
                Verdict.STALE,
                WebhookSignatures.stripe(
                        body, header, List.of(secret), now.minusSeconds(301), five));
        assertEquals(
                Verdict.MISMATCH,
                WebhookSignatures.stripe(
                        body, header, List.of("whsec_b".getBytes()), now.plusSeconds(9999), five),
                "a forger learns nothing about the clock");
        String moved = header.replace("t=" + t, "t=" + (t + 1));
        assertEquals(
                Verdict.MISMATCH,
                WebhookSignatures.stripe(body, moved, List.of(secret), now, five));
        assertEquals(
                Verdict.MALFORMED,
                WebhookSignatures.stripe(body, "v1=" + expected, List.of(secret), now, five));
        assertEquals(
                Verdict.MALFORMED,
                WebhookSignatures.stripe(body, "t=x,v1=" + expected, List.of(secret), now, five));
        assertEquals(
                Verdict.MISSING, WebhookSignatures.stripe(body, " ", List.of(secret), now, five));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
