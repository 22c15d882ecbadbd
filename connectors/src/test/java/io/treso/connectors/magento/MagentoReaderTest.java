package io.treso.connectors.magento;

import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.event.Channel;
import io.treso.event.OrderEvent;
import io.treso.event.Psp;
import io.treso.schemas.ContractCheck;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Magento 2 REST search results, written for Treso's tests from Adobe Commerce's REST reference
 * (salesOrderRepositoryV1, salesInvoiceRepositoryV1, salesCreditmemoRepositoryV1): a paid order
 * with its invoice and a partial credit memo, a cancelled order.
 */
class MagentoReaderTest {
    private final MagentoReader reader =
            new MagentoReader(new PspContext("store-mage", null, ZoneId.of("UTC")));

    @Test
    void ordersInvoicesAndCreditMemosBecomeOrderEvents() throws Exception {
        List<ParsedFile> parsed =
                reader.read(
                        List.of(
                                path("magento/orders.json"),
                                path("magento/invoices.json"),
                                path("magento/creditmemos.json")));
        List<OrderEvent> all = new ArrayList<>();
        for (ParsedFile f : parsed) {
            assertTrue(!f.isRefused(), () -> f.refusal());
            for (IngestBatch b : f.batches()) b.events().forEach(e -> all.add((OrderEvent) e));
        }
        assertEquals(
                List.of(
                        "magento:000000041:CAPTURED:000000017",
                        "magento:000000041:PLACED",
                        "magento:000000041:REFUNDED:000000005",
                        "magento:000000042:CANCELLED",
                        "magento:000000042:PLACED"),
                all.stream().map(OrderEvent::getEventId).sorted().toList());
        OrderEvent captured = byId(all, "magento:000000041:CAPTURED:000000017");
        assertEquals(5_990L, captured.getAmountMinor());
        assertEquals(998L, captured.getTaxMinor());
        assertEquals(Instant.parse("2026-03-02T09:41:40Z"), captured.getOccurredAt());
        assertEquals(Psp.STRIPE, captured.getPsp());
        assertEquals("pi_3Mag41XyZ", captured.getPspReference());
        assertEquals(Channel.MAGENTO, captured.getChannel());
        assertEquals("000000041", captured.getOrderId(), "the number customers see");
        assertEquals(1_000L, byId(all, "magento:000000041:REFUNDED:000000005").getAmountMinor());
        assertEquals(
                Instant.parse("2026-03-04T08:00:00Z"),
                byId(all, "magento:000000042:CANCELLED").getOccurredAt());
        for (OrderEvent e : all) {
            assertEquals(Optional.empty(), ContractCheck.violation(e), e.getEventId());
        }
    }

    @Test
    void anInvoiceWithoutItsOrderIsRefusedAndTheOthersGoOn() throws Exception {
        List<ParsedFile> parsed =
                reader.read(List.of(path("magento/invoices.json"), path("xero/invoices.json")));
        assertEquals(
                "invoice or credit memo 000000017 names order entity 41, which no orders file given"
                        + " here holds: give the orders too",
                parsed.get(0).refusal());
        assertTrue(parsed.get(1).refusal().startsWith("no \"items\" array"));
    }

    private static OrderEvent byId(List<OrderEvent> all, String id) {
        return all.stream().filter(e -> e.getEventId().equals(id)).findFirst().orElseThrow();
    }
}
