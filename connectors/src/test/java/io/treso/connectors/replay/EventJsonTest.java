package io.treso.connectors.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.BankTransaction;
import io.treso.event.OrderEvent;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    @Test
    void everySimulatedEventRoundTrips() {
        var sim = ShopSimulator.run(SimulatorConfig.of(3, 8, 3));
        for (SpecificRecord r : sim.events()) {
            assertEquals(r, EventJson.parseLine(EventJson.toLine(r)));
        }
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        var r =
                (BankTransaction)
                        EventJson.parseLine(
                                "{\"type\":\"bank\",\"event_id\":\"a:1\",\"booked_at\":\"2026-03-02T10:15:00Z\","
                                        + "\"account_id\":\"FR76\",\"amount_minor\":-1250,\"currency\":\"EUR\"}");
        assertEquals(Instant.parse("2026-03-02T10:15:00Z"), r.getBookedAt());
        assertEquals(-1250, r.getAmountMinor());
        assertEquals("BOOKED", r.getStatus().name(), "the schema default applies");
        assertNull(r.getReference());
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertMessage("not JSON", "{\"type\":");
        assertMessage("missing \"type\"", "{}");
        assertMessage("unknown type \"invoice\"", "{\"type\":\"invoice\"}");
        assertMessage("unknown type \"position\"", "{\"type\":\"position\"}");
        assertMessage(
                "missing required field \"order_id\"",
                "{\"type\":\"order\",\"event_id\":\"x\",\"occurred_at\":\"2026-03-02T10:15:00Z\",\"store_id\":\"s\","
                        + "\"channel\":\"SHOPIFY\",\"kind\":\"PLACED\",\"amount_minor\":1,\"currency\":\"EUR\",\"psp\":\"STRIPE\"}");
        assertMessage(
                "occurred_at must be an ISO-8601 instant",
                "{\"type\":\"fx\",\"event_id\":\"x\",\"occurred_at\":\"02/03/2026\",\"currency\":\"USD\",\"base_currency\":\"EUR\",\"rate\":\"1\"}");
        assertMessage(
                "amount_minor must be an integer (minor units)",
                "{\"type\":\"bank\",\"event_id\":\"a\",\"booked_at\":\"2026-03-02T10:15:00Z\",\"account_id\":\"x\",\"amount_minor\":12.5,\"currency\":\"EUR\"}");
        assertMessage(
                "channel must be one of",
                "{\"type\":\"order\",\"event_id\":\"x\",\"occurred_at\":\"2026-03-02T10:15:00Z\",\"store_id\":\"s\",\"order_id\":\"o\","
                        + "\"channel\":\"EBAY\",\"kind\":\"PLACED\",\"amount_minor\":1,\"currency\":\"EUR\",\"psp\":\"STRIPE\"}");
        String bank =
                "{\"type\":\"bank\",\"event_id\":\"a\",\"booked_at\":\"2026-03-02T10:15:00Z\",\"account_id\":\"x\",\"amount_minor\":1,\"currency\":\"EUR\"";
        EventJson.parseLine(bank + "}");
        // Strict JSON: no last-value-wins, nothing booked from a line that holds more.
        assertMessage("not JSON: Duplicate field 'amount_minor'", bank + ",\"amount_minor\":900}");
        assertMessage("not JSON: Unrecognized token 'garbage'", bank + "} garbage");
        assertMessage("not JSON: Trailing token", bank + "}" + bank + "}");
        assertMessage(
                "status cannot be \"UNKNOWN\": name the record's own status",
                bank + ",\"status\":\"UNKNOWN\"}");
        assertMessage(
                "unknown field \"amount\"",
                "{\"type\":\"bank\",\"event_id\":\"a\",\"booked_at\":\"2026-03-02T10:15:00Z\",\"account_id\":\"x\",\"amount\":1,\"amount_minor\":1,\"currency\":\"EUR\"}");
    }

    @Test
    void outputLinesKeepSchemaOrderAndNulls() {
        OrderEvent o =
                (OrderEvent)
                        EventJson.parseLine(
                                "{\"type\":\"order\",\"event_id\":\"x\",\"occurred_at\":\"2026-03-02T10:15:00Z\",\"store_id\":\"s\",\"order_id\":\"o\","
                                        + "\"channel\":\"SHOPIFY\",\"kind\":\"PLACED\",\"amount_minor\":1,\"currency\":\"EUR\",\"psp\":\"STRIPE\"}");
        String out = EventJson.toOutputLine(o);
        assertTrue(
                out.startsWith("{\"event_id\":\"x\",\"occurred_at\":\"2026-03-02T10:15:00Z\""),
                out);
        assertTrue(out.contains("\"tax_minor\":null"), out);
    }

    private static void assertMessage(String expected, String line) {
        EventFormatException e =
                assertThrows(EventFormatException.class, () -> EventJson.parseLine(line));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
