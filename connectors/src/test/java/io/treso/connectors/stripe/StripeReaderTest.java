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
}
