package io.treso.connectors.shopify;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixtures follow the Shopify Admin REST API reference examples (shopify.dev: Payouts and Balance
 * Transactions under Shopify Payments; the Order and Refund resources and their {@code orders/paid}
 * and {@code refunds/create} webhooks): same fields and the reference's example ids (order
 * 450789469), amounts changed so that the payout summary adds up. Transcribed by hand: this machine
 * has no network.
 */
class ShopifyReaderTest {
    private static final String FR = "FR7630006000011234567890189";
    private final ShopifyReader reader =
            new ShopifyReader(new PspContext("store-1", FR, ZoneId.of("Europe/Paris")));

    @TempDir Path tmp;

    @Test
    void payoutsTakeTheirBalanceTransactionsAsLines() throws Exception {
        List<ParsedFile> files =
                reader.read(
                        List.of(
                                path("shopify/payouts.json"),
                                path("shopify/balance-transactions.json")));
        assertTrue(files.stream().noneMatch(ParsedFile::isRefused), files.toString());
        List<PayoutEvent> payouts = events(files, PayoutEvent.class);
        PayoutEvent p = payouts.get(0);
        assertEquals("shopify_payments:91283746:PAID", p.getEventId());
        assertEquals(Psp.SHOPIFY_PAYMENTS, p.getPsp());
        assertEquals("store-1", p.getStoreId());
        assertEquals(FR, p.getDestinationAccountId());
        assertEquals(PayoutStatus.PAID, p.getStatus());
        assertEquals(LocalDate.of(2026, 3, 4), p.getExpectedArrivalDate());
        assertEquals(Instant.parse("2026-03-03T23:00:00Z"), p.getOccurredAt());
        assertEquals(108_000L, p.getGrossMinor());
        assertEquals(3_120L, p.getFeeMinor());
        assertEquals(4_380L, p.getRefundMinor());
        assertEquals(-500L, p.getAdjustmentMinor());
        assertEquals(100_000L, p.getNetMinor());
        assertEquals(4, p.getLines().size()); // the payout's own transaction is no line
        assertEquals(List.of("450789469", "450789470"), p.getOrderIds());
        assertEquals(PayoutLineType.REFUND, p.getLines().get(2).getType());
        assertNull(p.getLines().get(3).getOrderId());
        assertEquals(PayoutStatus.IN_TRANSIT, payouts.get(1).getStatus());
        assertTrue(payouts.get(1).getLines().isEmpty());
    }

    @Test
    void webhooksBecomeOrderEvents() throws Exception {
        List<ParsedFile> files =
                reader.read(
                        List.of(
                                path("shopify/orders-paid.json"),
                                path("shopify/refunds-create.json")));
        List<OrderEvent> orders = events(files, OrderEvent.class);
        OrderEvent paid = orders.get(0);
        assertEquals("shopify:450789469:CAPTURED", paid.getEventId());
        assertEquals(OrderKind.CAPTURED, paid.getKind());
        assertEquals(60_000L, paid.getAmountMinor());
        assertEquals(10_000L, paid.getTaxMinor());
        assertEquals(Psp.SHOPIFY_PAYMENTS, paid.getPsp());
        OrderEvent refund = orders.get(1);
        assertEquals("shopify:450789469:REFUNDED:509562969", refund.getEventId());
        assertEquals(4_380L, refund.getAmountMinor());
        assertEquals(Instant.parse("2026-03-02T08:00:00Z"), refund.getOccurredAt());
    }

    @Test
    void refusesOrphanTransactionsAndAPayoutThatDoesNotAddUp() throws Exception {
        ParsedFile orphan = reader.read(List.of(path("shopify/balance-transactions.json"))).get(0);
        assertEquals(
                "balance transactions of payouts [91283746] but no such payout was given; pass the payouts file too",
                orphan.refusal());
        Path bad =
                edited(
                        tmp,
                        "shopify/payouts.json",
                        "\"charges_fee_amount\": \"31.20\"",
                        "\"charges_fee_amount\": \"31.30\"");
        ParsedFile refused = reader.read(List.of(bad)).get(0);
        assertEquals(
                "payout 91283746: gross 1080.00 EUR - fees 31.30 EUR - refunds 43.80 EUR + adjustments -5.00 EUR ≠ amount 1000.00 EUR",
                refused.refusal());
    }

    static <T> List<T> events(List<ParsedFile> files, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ParsedFile f : files) {
            for (var b : f.batches()) {
                for (SpecificRecord r : b.events()) if (type.isInstance(r)) out.add(type.cast(r));
            }
        }
        return out;
    }
}
