package io.treso.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.BankTransaction;
import io.treso.event.FxRate;
import io.treso.event.Obligation;
import io.treso.event.OrderEvent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContractCheckTest {
    @Test
    void samplesKeepTheContract() {
        SampleRecords.all()
                .forEach(
                        (t, r) ->
                                assertEquals(
                                        Optional.empty(), ContractCheck.violation(r), t.name()));
    }

    @Test
    void aTooLongTextIsNamedByItsPathAtAnyDepth() {
        String longText = "x".repeat(ContractCheck.MAX_TEXT + 1);
        io.treso.event.PayoutEvent p = SampleRecords.payout();
        p.getLines().get(0).setSourceId(longText);
        assertEquals(
                Optional.of("lines.source_id is 4097 characters long; at most 4096"),
                ContractCheck.violation(p));
        BankTransaction b =
                BankTransaction.newBuilder(SampleRecords.bank())
                        .setReference("y".repeat(ContractCheck.MAX_TEXT))
                        .build();
        assertEquals(Optional.empty(), ContractCheck.violation(b), "4096 characters are allowed");
    }

    /**
     * A record's texts are walked only when its encoding is longer than the longest text allowed: a
     * text one character too long always makes its encoding longer still, in Avro and in JSON.
     */
    @Test
    void aTooLongTextIsFoundFromTheBytesItWasDecodedFrom() throws Exception {
        io.treso.event.PayoutEvent p = SampleRecords.payout();
        p.getLines().get(0).setSourceId("é".repeat(ContractCheck.MAX_TEXT + 1));
        var bytes = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(p.getSchema()).write(p, encoder);
        encoder.flush();
        assertTrue(bytes.size() > ContractCheck.MAX_TEXT, "its Avro encoding: " + bytes.size());
        assertEquals(
                Optional.of("lines.source_id is 4097 characters long; at most 4096"),
                ContractCheck.violation(p, bytes.size()));
        // The same record claimed to come from few bytes is not walked: the caller's bound.
        assertEquals(Optional.empty(), ContractCheck.violation(p, ContractCheck.MAX_TEXT));
    }

    @Test
    void anUnknownCurrencyIsAViolation() {
        BankTransaction b =
                BankTransaction.newBuilder(SampleRecords.bank()).setCurrency("EUX").build();
        assertEquals(Optional.of("unknown currency 'EUX'"), ContractCheck.violation(b));
    }

    @Test
    void aNegativeOrderAmountIsAViolation() {
        OrderEvent o = OrderEvent.newBuilder(SampleRecords.order()).setAmountMinor(-1).build();
        assertTrue(ContractCheck.violation(o).orElseThrow().startsWith("amount_minor is negative"));
    }

    @Test
    void anObligationsTaxIsPartOfItsAmount() {
        Obligation sample = (Obligation) SampleRecords.all().get(EventType.OBLIGATION);
        Obligation over = Obligation.newBuilder(sample).setTaxMinor(45_001L).build();
        assertEquals(
                Optional.of(
                        "tax_minor (45001) exceeds amount_minor (45000); the tax is part of the"
                                + " amount"),
                ContractCheck.violation(over));
        Obligation negative = Obligation.newBuilder(sample).setTaxMinor(-1L).build();
        assertTrue(
                ContractCheck.violation(negative)
                        .orElseThrow()
                        .startsWith("tax_minor is negative"));
        Obligation none = Obligation.newBuilder(sample).setTaxMinor(null).build();
        assertEquals(Optional.empty(), ContractCheck.violation(none), "the tax is optional");
    }

    @Test
    void aBlankIdIsAViolation() {
        OrderEvent o = OrderEvent.newBuilder(SampleRecords.order()).setEventId(" ").build();
        assertEquals(Optional.of("event_id is missing"), ContractCheck.violation(o));
    }

    @Test
    void aRateThatIsNotADecimalIsAViolation() {
        FxRate f =
                FxRate.newBuilder()
                        .setEventId("x")
                        .setOccurredAt(SampleRecords.T)
                        .setCurrency("USD")
                        .setBaseCurrency("EUR")
                        .setRate("0,92")
                        .build();
        assertTrue(ContractCheck.violation(f).orElseThrow().contains("not a decimal"));
    }
}
