package io.treso.connectors.stripe;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fixtures follow the Stripe API reference (stripe.com/docs/api: "The Payout object" and "The
 * Balance Transaction object", the list returned by {@code GET /v1/balance_transactions?payout=}):
 * same fields, types and units; ids and amounts are ours. Transcribed by hand: no network here.
 */
class StripeReaderTest {
    private final StripeReader reader =
            new StripeReader(new PspContext("store-2", "DE89370400440532013000", ZoneId.of("UTC")));

    @TempDir Path tmp;

    @Test
    void aPayoutWithItsBalanceTransactions() throws Exception {
        List<ParsedFile> files =
                reader.read(
                        List.of(
                                path("stripe/payout.json"),
                                path("stripe/balance-transactions.json")));
        assertTrue(files.stream().noneMatch(ParsedFile::isRefused), files.toString());
        PayoutEvent p = payout(files);
        assertEquals("stripe:po_1Ab2Cd3Ef4Gh5Ij:PAID", p.getEventId());
        assertEquals(PayoutStatus.PAID, p.getStatus());
        assertEquals("EUR", p.getCurrency());
        assertEquals(LocalDate.of(2026, 3, 2), p.getExpectedArrivalDate());
        assertEquals(Instant.parse("2026-03-02T00:00:00Z"), p.getOccurredAt());
        assertEquals(130_000L, p.getGrossMinor());
        assertEquals(3_000L, p.getFeeMinor()); // line fees 2050 + the Radar fee 950
        assertEquals(2_000L, p.getRefundMinor());
        assertEquals(0L, p.getAdjustmentMinor());
        assertEquals(125_000L, p.getNetMinor());
        assertEquals(
                List.of(
                        PayoutLineType.CHARGE,
                        PayoutLineType.CHARGE,
                        PayoutLineType.REFUND,
                        PayoutLineType.FEE),
                p.getLines().stream().map(l -> l.getType()).toList());
        assertEquals("ch_3PoCharge00001", p.getLines().get(0).getSourceId());
    }

    @Test
    void chargesNameTheOrdersOfTheirLinesAndRefunds() throws Exception {
        List<Path> files =
                List.of(
                        path("stripe/payout.json"),
                        path("stripe/balance-transactions.json"),
                        path("stripe/charges.json"));
        PayoutEvent p = payout(reader.read(files));
        assertEquals(
                java.util.Arrays.asList("1042", null, "1042", null),
                p.getLines().stream().map(l -> l.getOrderId()).toList(),
                "the charge and its refund; the second charge names its order under another key");
        assertEquals(List.of("1042"), p.getOrderIds());
        StripeReader woo =
                new StripeReader(
                        new PspContext("store-2", "DE89370400440532013000", ZoneId.of("UTC")),
                        "woo_order");
        assertEquals(List.of("1043"), payout(woo.read(files)).getOrderIds());
        assertEquals(
                List.of(),
                payout(
                                reader.read(
                                        List.of(
                                                path("stripe/payout.json"),
                                                path("stripe/balance-transactions.json"))))
                        .getOrderIds(),
                "without the charges, no line names an order");
    }

    @Test
    void aPayoutAloneHasNoLines() throws Exception {
        PayoutEvent p = payout(reader.read(List.of(path("stripe/payout.json"))));
        assertTrue(p.getLines().isEmpty());
        assertEquals(125_000L, p.getGrossMinor());
    }

    @Test
    void refusesListsItCannotTieAndNetsThatDoNotAddUp() throws Exception {
        Path noPayout =
                edited(
                        tmp,
                        "stripe/balance-transactions.json",
                        "\"type\": \"payout\"",
                        "\"type\": \"transfer\"");
        ParsedFile f = reader.read(List.of(path("stripe/payout.json"), noPayout)).get(0);
        assertTrue(
                f.refusal()
                        .startsWith("cannot tell which payout these balance transactions settle"),
                f.refusal());
        Path off =
                edited(tmp, "stripe/balance-transactions.json", "\"net\": 98400", "\"net\": 98300");
        ParsedFile g =
                reader.read(List.of(path("stripe/payout.json"), off)).stream()
                        .filter(ParsedFile::isRefused)
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                "balance transaction txn_1PoCharge00001: amount 1000.00 EUR - fee 16.00 EUR ≠ net 983.00 EUR",
                g.refusal());
        Path decimal =
                edited(tmp, "stripe/payout.json", "\"amount\": 125000", "\"amount\": 1250.00");
        assertTrue(
                reader.read(List.of(decimal))
                        .get(0)
                        .refusal()
                        .contains("not an integer amount in minor units"));
    }

    private static PayoutEvent payout(List<ParsedFile> files) {
        for (ParsedFile f : files) {
            for (var b : f.batches()) {
                for (SpecificRecord r : b.events()) if (r instanceof PayoutEvent p) return p;
            }
        }
        throw new AssertionError("no payout in " + files);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s.replace('\'', '"'));
    }

    /**
     * {@code charge.refunded} as "The Event object" gives it: the Charge, with its {@code refunds}
     * list on API versions before 2022-11-15, without it since; {@code previous_attributes} then
     * says what the event changed.
     */
    @Test
    void refundedChargesAsWebhooksByListedRefundOrByTheStepOfAmountRefunded() throws Exception {
        StripeReader r =
                new StripeReader(
                        new PspContext("store-2", null, ZoneId.of("UTC")),
                        "shop_order",
                        io.treso.event.Channel.WOOCOMMERCE);
        String charge =
                "'id':'ch_1','object':'charge','amount':5000,'currency':'eur','metadata':{'shop_order':'77'}";
        var listed =
                r.webhook(
                        json(
                                "{'id':'evt_1','type':'charge.refunded','created':1772310000,'data':{'object':{"
                                        + charge
                                        + ",'amount_refunded':3000,'refunds':{'object':'list','data':["
                                        + "{'id':'re_1','amount':1000,'status':'succeeded','created':1772300000},"
                                        + "{'id':'re_2','amount':2000,'status':'succeeded','created':1772310000},"
                                        + "{'id':'re_3','amount':500,'status':'pending','created':1772310000}]}}}}"));
        assertEquals(2, listed.size(), "the pending refund moved no money yet");
        var first = (io.treso.event.OrderEvent) listed.get(0);
        assertEquals("stripe:77:REFUNDED:re_1", first.getEventId());
        assertEquals(1000, first.getAmountMinor());
        assertEquals("77", first.getOrderId());
        assertEquals(io.treso.event.Channel.WOOCOMMERCE, first.getChannel());
        assertEquals(Instant.ofEpochSecond(1772300000), first.getOccurredAt());

        String step =
                "{'id':'evt_2','type':'charge.refunded','created':1772310000,'data':{'object':{"
                        + charge
                        + ",'amount_refunded':3000},'previous_attributes':{'amount_refunded':1000}}}";
        var delta = r.webhook(json(step));
        assertEquals(1, delta.size());
        assertEquals(2000, ((io.treso.event.OrderEvent) delta.get(0)).getAmountMinor());
        assertEquals(
                "stripe:77:REFUNDED:ch_1:3000",
                ((io.treso.event.OrderEvent) delta.get(0)).getEventId(),
                "the same step redelivered has the same id");

        var neither =
                assertThrowsRefused(
                        () ->
                                r.webhook(
                                        json(
                                                "{'id':'evt_3','type':'charge.refunded','created':1,'data':{'object':{"
                                                        + charge
                                                        + ",'amount_refunded':3000}}}")));
        assertTrue(neither.contains("cannot tell what this event refunded"), neither);
        var noOrder =
                assertThrowsRefused(
                        () ->
                                r.webhook(
                                        json(
                                                step.replace(
                                                        "'shop_order':'77'", "'order_id':'77'"))));
        assertTrue(noOrder.contains("no metadata.shop_order"), noOrder);
    }

    private static String assertThrowsRefused(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(
                        io.treso.connectors.ingest.RefusedFileException.class, e)
                .getMessage();
    }
}
