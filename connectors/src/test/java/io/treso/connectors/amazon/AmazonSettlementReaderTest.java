package io.treso.connectors.amazon;

import static io.treso.connectors.ingest.Fixtures.edited;
import static io.treso.connectors.ingest.Fixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.SourceReader;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Amazon settlement reports, flat file V2, written for Treso's tests from the column list of Seller
 * Central's "Settlement report - Flat File V2" help page: orders with their principal, shipping,
 * promotions and fees; a refund with its refunded commission; an advertising fee; the reserve
 * released and held. A second fixture is the European variant (dd.MM.yyyy dates, decimal commas,
 * fewer optional columns, posted-date-time only).
 */
class AmazonSettlementReaderTest {
    private static final String FR = "FR7630006000011234567890189";

    @TempDir Path tmp;

    private final AmazonSettlementReader reader =
            new AmazonSettlementReader(
                    new PspContext("store-amazon", FR, ZoneId.of("Europe/Paris")), Psp.AMAZON_PAY);

    private PayoutEvent payout(Path file) throws Exception {
        ParsedFile f = reader.parse(file);
        assertTrue(!f.isRefused(), () -> f.refusal());
        List<IngestBatch> batches = f.batches();
        assertEquals(1, batches.size());
        return (PayoutEvent) batches.get(0).events().get(0);
    }

    private String refusal(Path file) throws Exception {
        return SourceReader.perFile(reader::parse).read(List.of(file)).get(0).refusal();
    }

    @Test
    void aSettlementIsAPayoutWithItsOrdersRefundsFeesAndReserve() throws Exception {
        PayoutEvent p = payout(path("amazon/settlement-v2.tsv"));
        assertEquals("amazon_pay:11872645021:IN_TRANSIT", p.getEventId());
        assertEquals(PayoutStatus.IN_TRANSIT, p.getStatus());
        assertEquals("store-amazon", p.getStoreId());
        assertEquals(FR, p.getDestinationAccountId());
        assertEquals(4_026L, p.getNetMinor(), "total-amount");
        assertEquals(15_880L, p.getGrossMinor(), "principal, shipping and its promotion");
        assertEquals(6_564L, p.getFeeMinor(), "fees 31.13, less 4.49 refunded, plus 39.00 ads");
        assertEquals(4_990L, p.getRefundMinor());
        assertEquals(-300L, p.getAdjustmentMinor(), "reserve: 12.00 released, 15.00 held");
        assertEquals(LocalDate.parse("2026-03-17"), p.getExpectedArrivalDate());
        assertEquals(Instant.parse("2026-03-15T00:00:00Z"), p.getOccurredAt());
        assertEquals(
                List.of("402-1111111-1111111", "402-2222222-2222222", "402-3333333-3333333"),
                p.getOrderIds());
        PayoutLine first = p.getLines().get(0);
        assertEquals(PayoutLineType.CHARGE, first.getType());
        assertEquals(4_990L, first.getAmountMinor());
        assertEquals(1_069L, first.getFeeMinor(), "commission and FBA fee");
        assertEquals(3_921L, first.getNetMinor());
        long sum = p.getLines().stream().mapToLong(PayoutLine::getNetMinor).sum();
        assertEquals(p.getNetMinor(), sum, "the lines' nets add up to the deposit");
    }

    @Test
    void theEuropeanVariantGivesTheSamePayout() throws Exception {
        PayoutEvent us = payout(path("amazon/settlement-v2.tsv"));
        PayoutEvent eu = payout(path("amazon/settlement-v2-eu.tsv"));
        assertEquals(us, eu);
    }

    @Test
    void rowsThatDoNotAddUpToTheTotalRefuseTheFile() throws Exception {
        Path bad =
                edited(
                        tmp,
                        "amazon/settlement-v2.tsv",
                        "\tItemFees\tCommission\t-2.99\t",
                        "\tItemFees\tCommission\t-2.98\t");
        assertEquals(
                "settlement 11872645021: its rows sum to 40.27 EUR but total-amount is 40.26 EUR"
                        + " (gap -0.01 EUR)",
                refusal(bad));
        Path notAmazon = path("qonto.csv");
        assertTrue(refusal(notAmazon).startsWith("no column \"settlement-id\""));
    }
}
