package io.treso.connectors.woocommerce;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.SourceReader;
import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.Psp;
import io.treso.schemas.ContractCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WooCommerce orders, written for Treso's tests from the REST API v3 reference
 * (woocommerce.github.io/woocommerce-rest-api-docs, Orders): a paid order with a partial refund, a
 * cancelled bank-transfer order, a PayPal order refunded in full; and one order as a webhook sends
 * it.
 */
class WooCommerceReaderTest {
    @TempDir Path tmp;

    private final SourceReader reader =
            SourceReader.perFile(
                    new WooCommerceReader(new PspContext("store-woo", null, ZoneId.of("UTC")))
                            ::parse);

    private List<OrderEvent> events(Path file) throws Exception {
        ParsedFile f = reader.read(List.of(file)).get(0);
        assertTrue(!f.isRefused(), () -> f.refusal());
        return f.batches().get(0).events().stream().map(e -> (OrderEvent) e).toList();
    }

    @Test
    void ordersBecomePlacedCapturedCancelledAndRefundedEvents() throws Exception {
        List<OrderEvent> all = events(path("woocommerce/orders.json"));
        assertEquals(
                List.of(
                        "woocommerce:727:CAPTURED",
                        "woocommerce:727:PLACED",
                        "woocommerce:727:REFUNDED:733",
                        "woocommerce:728:CANCELLED",
                        "woocommerce:728:PLACED",
                        "woocommerce:729:CAPTURED",
                        "woocommerce:729:PLACED",
                        "woocommerce:729:REFUNDED:741"),
                all.stream().map(OrderEvent::getEventId).sorted().toList());
        OrderEvent captured = byId(all, "woocommerce:727:CAPTURED");
        assertEquals(Instant.parse("2026-03-02T10:15:31Z"), captured.getOccurredAt());
        assertEquals(5_480L, captured.getAmountMinor());
        assertEquals(913L, captured.getTaxMinor());
        assertEquals(Psp.STRIPE, captured.getPsp());
        assertEquals("ch_3Woo727AbCdEf", captured.getPspReference());
        assertEquals(Channel.WOOCOMMERCE, captured.getChannel());
        assertEquals("store-woo", captured.getStoreId());
        assertEquals(
                1_000L, byId(all, "woocommerce:727:REFUNDED:733").getAmountMinor(), "positive");
        assertEquals(
                Instant.parse("2026-03-06T08:00:00Z"),
                byId(all, "woocommerce:727:REFUNDED:733").getOccurredAt(),
                "the order's last change: the order does not date its refunds");
        assertEquals(Psp.BANK_TRANSFER, byId(all, "woocommerce:728:CANCELLED").getPsp());
        assertEquals(Psp.PAYPAL, byId(all, "woocommerce:729:REFUNDED:741").getPsp());
        for (OrderEvent e : all) {
            assertEquals(Optional.empty(), ContractCheck.violation(e), e.getEventId());
        }
    }

    @Test
    void aWebhookOrderAndARefundedOrderWithoutItsRefunds() throws Exception {
        Path hook = tmp.resolve("order-updated.json");
        Files.writeString(
                hook,
                "{\"id\": 730, \"status\": \"refunded\", \"currency\": \"EUR\","
                        + " \"date_created_gmt\": \"2026-03-05T10:00:00\", \"date_modified_gmt\":"
                        + " \"2026-03-06T10:00:00\", \"date_paid_gmt\": \"2026-03-05T10:00:05\","
                        + " \"total\": \"12.00\", \"payment_method\": \"woocommerce_payments\"}");
        List<OrderEvent> all = events(hook);
        assertEquals(3, all.size());
        OrderEvent full = byId(all, "woocommerce:730:REFUNDED:full");
        assertEquals("woocommerce:730:REFUNDED:full", full.getEventId());
        assertEquals(1_200L, full.getAmountMinor());
        assertEquals(Psp.STRIPE, full.getPsp(), "WooPayments settles through Stripe");
    }

    private static OrderEvent byId(List<OrderEvent> all, String id) {
        return all.stream().filter(e -> e.getEventId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void refundsBeyondTheTotalAndOtherFilesAreRefused() throws Exception {
        Path over =
                edited(
                        tmp,
                        "woocommerce/orders.json",
                        "\"total\": \"-35.00\"",
                        "\"total\": \"-35.01\"");
        assertEquals(
                "order 729: refunds of 35.01 EUR exceed its total 35.00 EUR",
                reader.read(List.of(over)).get(0).refusal());
        assertTrue(
                reader.read(List.of(path("xero/invoices.json")))
                        .get(0)
                        .refusal()
                        .startsWith("not a WooCommerce order"));
    }
}
