package io.treso.connectors.prestashop;

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
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * PrestaShop webservice orders (JSON output), written for Treso's tests from PrestaShop's
 * webservice reference (devdocs.prestashop-project.org, the orders resource): a paid order, a
 * cancelled bank-wire order, and an order in a state the shop added (14), which the stock state
 * table does not know and the shop's own table does.
 */
class PrestaShopReaderTest {
    private static final PspContext SHOP =
            new PspContext("store-ps", null, ZoneId.of("Europe/Paris"));

    private ParsedFile read(Properties table) throws Exception {
        return SourceReader.perFile(new PrestaShopReader(SHOP, table)::parse)
                .read(List.of(path("prestashop/orders.json")))
                .get(0);
    }

    @Test
    void aShopsOwnStateTableMapsItsStates() throws Exception {
        ParsedFile f = read(PrestaShopReader.states(path("prestashop/custom-states.properties")));
        assertTrue(!f.isRefused(), () -> f.refusal());
        List<OrderEvent> all =
                f.batches().get(0).events().stream().map(e -> (OrderEvent) e).toList();
        assertEquals(
                List.of(
                        "prestashop:5:CAPTURED",
                        "prestashop:5:PLACED",
                        "prestashop:6:CANCELLED",
                        "prestashop:6:PLACED",
                        "prestashop:7:CAPTURED",
                        "prestashop:7:PLACED"),
                all.stream().map(OrderEvent::getEventId).sorted().toList());
        OrderEvent paid = byId(all, "prestashop:5:CAPTURED");
        assertEquals(6_180L, paid.getAmountMinor());
        assertEquals(1_030L, paid.getTaxMinor(), "incl. minus excl.");
        assertEquals(
                Instant.parse("2026-03-02T09:16:30Z"), paid.getOccurredAt(), "shop time, Paris");
        assertEquals(Psp.STRIPE, paid.getPsp());
        assertEquals(Channel.PRESTASHOP, paid.getChannel());
        assertEquals("XKBKNABJK", paid.getPspReference());
        assertEquals(Psp.BANK_TRANSFER, byId(all, "prestashop:6:CANCELLED").getPsp());
        for (OrderEvent e : all) {
            assertEquals(Optional.empty(), ContractCheck.violation(e), e.getEventId());
        }
    }

    @Test
    void aStateTheTableDoesNotKnowRefusesTheFileNamingTheFix() throws Exception {
        assertEquals(
                "order 7: state 14 is not in the state table; add state.14=PLACED|CAPTURED|"
                        + "CANCELLED|REFUNDED to it (--mapping FILE)",
                read(PrestaShopReader.stockStates()).refusal());
    }

    private static OrderEvent byId(List<OrderEvent> all, String id) {
        return all.stream().filter(e -> e.getEventId().equals(id)).findFirst().orElseThrow();
    }
}
