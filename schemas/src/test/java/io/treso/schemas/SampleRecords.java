package io.treso.schemas;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.Channel;
import io.treso.event.ControlCommand;
import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import io.treso.event.ForecastPoint;
import io.treso.event.FxRate;
import io.treso.event.Heartbeat;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import io.treso.event.ReconciliationRecord;
import io.treso.event.ReconciliationStatus;
import io.treso.event.Severity;
import io.treso.event.StatementKind;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every type in the contract, for round-trip tests. */
public final class SampleRecords {
    static final Instant T = Instant.parse("2026-03-02T10:15:00Z");

    private SampleRecords() {}

    public static Map<EventType, SpecificRecord> all() {
        return Map.ofEntries(
                Map.entry(EventType.ORDER, order()),
                Map.entry(EventType.PAYOUT, payout()),
                Map.entry(EventType.BANK, bank()),
                Map.entry(
                        EventType.STATEMENT,
                        BankStatement.newBuilder()
                                .setEventId("st-1")
                                .setAccountId("FR7630006000011234567890189")
                                .setKind(StatementKind.END_OF_DAY)
                                .setStatementId("STMT-2026-03-02")
                                .setSequence(61)
                                .setPeriodStart(Instant.parse("2026-03-02T00:00:00Z"))
                                .setPeriodEnd(Instant.parse("2026-03-03T00:00:00Z"))
                                .setCurrency("EUR")
                                .setOpeningBalanceMinor(100_000L)
                                .setClosingBalanceMinor(112_345L)
                                .setAvailableBalanceMinor(112_345L)
                                .setEntryCount(1)
                                .setEntrySumMinor(12_345L)
                                .build()),
                Map.entry(
                        EventType.OBLIGATION,
                        Obligation.newBuilder()
                                .setEventId("ob-1")
                                .setOccurredAt(T)
                                .setKind(ObligationKind.PAYABLE)
                                .setDocumentId("INV-77")
                                .setCounterpartyName("Acme Packaging")
                                .setCounterpartyAccount("DE89370400440532013000")
                                .setAmountMinor(45_000)
                                .setTaxMinor(7_500L)
                                .setCurrency("EUR")
                                .setIssuedDate(LocalDate.parse("2026-03-01"))
                                .setDueDate(LocalDate.parse("2026-03-31"))
                                .setStatus(ObligationStatus.OPEN)
                                .build()),
                Map.entry(
                        EventType.FX,
                        FxRate.newBuilder()
                                .setEventId("fx-1")
                                .setOccurredAt(T)
                                .setCurrency("USD")
                                .setBaseCurrency("EUR")
                                .setRate("0.9215")
                                .build()),
                Map.entry(
                        EventType.CONTROL,
                        ControlCommand.newBuilder()
                                .setEventId("cc-1")
                                .setOccurredAt(T)
                                .setKind("LOW_BALANCE_THRESHOLD")
                                .setScope("FR7630006000011234567890189")
                                .setVersion(1)
                                .setEffectiveAt(T)
                                .setThresholdMinor(50_000L)
                                .setCurrency("EUR")
                                .setTimeZone("Europe/Paris")
                                .setParams(Map.of("margin_minor", "5000"))
                                .build()),
                Map.entry(
                        EventType.HEARTBEAT,
                        Heartbeat.newBuilder()
                                .setEventId("hb-1")
                                .setOccurredAt(T)
                                .setSource("simulator")
                                .build()),
                Map.entry(
                        EventType.DAILY_POSITION,
                        io.treso.event.DailyPosition.newBuilder()
                                .setScope("FR7630006000011234567890189")
                                .setCurrency("EUR")
                                .setDate(LocalDate.parse("2026-03-09"))
                                .setZone("Europe/Paris")
                                .setClosingBalanceMinor(112_345)
                                .setBankReportedBalanceMinor(112_345L)
                                .setInTransitMinor(9_000)
                                .setInTransitEstimated(true)
                                .setLowBalanceThresholdMinor(500_000L)
                                .setClosedAt(T)
                                .build()),
                Map.entry(
                        EventType.POSITION,
                        CashPosition.newBuilder()
                                .setScope("FR7630006000011234567890189")
                                .setCurrency("EUR")
                                .setBalanceMinor(112_345)
                                .setBankReportedBalanceMinor(112_345L)
                                .setInTransitMinor(9_000)
                                .setInTransitEstimated(true)
                                .setAsOf(T)
                                .build()),
                Map.entry(
                        EventType.RECONCILIATION,
                        ReconciliationRecord.newBuilder()
                                .setMatchId("m-1")
                                .setRevision(2)
                                .setStatus(ReconciliationStatus.MATCHED)
                                .setBankEventIds(List.of("bk-1"))
                                .setPayoutIds(List.of("po_1"))
                                .setOrderIds(List.of("o-1", "o-2"))
                                .setObligationIds(List.of())
                                .setDifferenceMinor(0)
                                .setConfidence(95)
                                .setRule("REFERENCE")
                                .setNeedsReview(false)
                                .setDecidedAt(T)
                                .build()),
                Map.entry(
                        EventType.ALERT,
                        CashAlert.newBuilder()
                                .setAlertId("a-1")
                                .setType("LOW_BALANCE")
                                .setLifecycle(AlertLifecycle.STATEFUL)
                                .setSeverity(Severity.CRITICAL)
                                .setState(AlertState.FIRING)
                                .setScope("FR7630006000011234567890189")
                                .setDetectedAt(T)
                                .setEmittedAt(T.plusSeconds(2))
                                .setObservedValue("450.00")
                                .setThresholdValue("500.00")
                                .setUnit("EUR")
                                .setBaselineMean(null)
                                .setBaselineStddev(null)
                                .setZScore(null)
                                .setWindowStart(T)
                                .setWindowEnd(T.plusSeconds(3600))
                                .setEvidenceEventIds(List.of("bk-1"))
                                .setMessage("Balance fell below threshold")
                                .build()),
                Map.entry(
                        EventType.FORECAST,
                        ForecastPoint.newBuilder()
                                .setScope("currency:EUR")
                                .setDate(LocalDate.parse("2026-03-10"))
                                .setCurrency("EUR")
                                .setInflowMinor(10_000)
                                .setOutflowMinor(4_000)
                                .setProjectedBalanceMinor(118_345)
                                .setLowMinor(110_000)
                                .setHighMinor(125_000)
                                .setScenarioId("base")
                                .setAsOf(T)
                                .build()),
                Map.entry(
                        EventType.DEAD_LETTER,
                        DeadLetter.newBuilder()
                                .setReason("BAD_MAGIC_BYTE")
                                .setDetail("first byte is 0x7b")
                                .setErrorClass(ErrorClass.PERMANENT)
                                .setRecordType("bank")
                                .setEventId(null)
                                .setEventTime(null)
                                .setSourceTopic("treso.bank")
                                .setSourcePartition(0)
                                .setSourceOffset(42L)
                                .setSourceFile(null)
                                .setSourceLine(null)
                                .setOriginalBytes(ByteBuffer.wrap(new byte[] {0x7b, 0x7d}))
                                .build()));
    }

    public static OrderEvent order() {
        return OrderEvent.newBuilder()
                .setEventId("shopify:store-1:o-1:CAPTURED")
                .setOccurredAt(T)
                .setStoreId("store-1")
                .setChannel(Channel.SHOPIFY)
                .setOrderId("o-1")
                .setKind(OrderKind.CAPTURED)
                .setAmountMinor(12_345)
                .setTaxMinor(2_057L)
                .setCurrency("EUR")
                .setPsp(Psp.STRIPE)
                .setPspReference("ch_1")
                .build();
    }

    public static PayoutEvent payout() {
        return PayoutEvent.newBuilder()
                .setEventId("stripe:po_1:PAID")
                .setOccurredAt(T)
                .setPsp(Psp.STRIPE)
                .setStoreId("store-1")
                .setPayoutId("po_1")
                .setStatus(PayoutStatus.PAID)
                .setGrossMinor(12_345)
                .setFeeMinor(345)
                .setRefundMinor(0)
                .setAdjustmentMinor(0)
                .setNetMinor(12_000)
                .setCurrency("EUR")
                .setExpectedArrivalDate(LocalDate.parse("2026-03-04"))
                .setDestinationAccountId("FR7630006000011234567890189")
                .setOrderIds(List.of("o-1"))
                .setDescriptor("STRIPE PO_1")
                .setLines(
                        List.of(
                                PayoutLine.newBuilder()
                                        .setSourceId("txn_1")
                                        .setType(PayoutLineType.CHARGE)
                                        .setOrderId("o-1")
                                        .setAmountMinor(12_345)
                                        .setFeeMinor(345)
                                        .setNetMinor(12_000)
                                        .setCurrency("EUR")
                                        .setExchangeRate(null)
                                        .build()))
                .build();
    }

    public static BankTransaction bank() {
        return BankTransaction.newBuilder()
                .setEventId("FR7630006000011234567890189:REF-1")
                .setBookedAt(T)
                .setValueDate(LocalDate.parse("2026-03-02"))
                .setAccountId("FR7630006000011234567890189")
                .setAmountMinor(12_000)
                .setCurrency("EUR")
                .setStatus(BankEntryStatus.BOOKED)
                .setCounterpartyName("Stripe Payments Europe")
                .setCounterpartyAccount("IE29AIBK93115212345678")
                .setReference("STRIPE PO_1")
                .setBankReference("REF-1")
                .setStatementId("STMT-2026-03-02")
                .build();
    }
}
