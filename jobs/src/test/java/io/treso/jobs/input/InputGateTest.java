package io.treso.jobs.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.replay.EventJson;
import io.treso.connectors.source.SourceRecord;
import io.treso.connectors.source.StreamClock;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.FxRate;
import io.treso.event.Heartbeat;
import io.treso.event.StatementKind;
import io.treso.schemas.wire.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InputGateTest {
    static final Instant T = Instant.parse("2026-03-16T10:00:00Z");
    InputGate gate;
    long line;

    @BeforeEach
    void setUp() {
        gate =
                new InputGate(
                        DecoderFactory.jsonLines().create(),
                        Duration.ofDays(7),
                        Duration.ofDays(35),
                        true);
    }

    InputGate.Outcome admit(SpecificRecord r) {
        return admit(EventJson.toLine(r));
    }

    InputGate.Outcome admit(String text) {
        return gate.admit(
                new SourceRecord(
                        "events.jsonl",
                        0,
                        ++line,
                        true,
                        Long.MIN_VALUE,
                        text.getBytes(StandardCharsets.UTF_8)));
    }

    static FxRate fx(Instant at) {
        return FxRate.newBuilder()
                .setEventId("fx" + at)
                .setOccurredAt(at)
                .setCurrency("USD")
                .setBaseCurrency("EUR")
                .setRate("0.92")
                .build();
    }

    static BankTransaction bank(Instant at) {
        return BankTransaction.newBuilder()
                .setEventId("b" + at)
                .setBookedAt(at)
                .setAccountId("FR76X")
                .setAmountMinor(-100)
                .setCurrency("EUR")
                .build();
    }

    /** A quorum of records ending at T: the stream's clock starts there. */
    void startClock() {
        for (int i = StreamClock.QUORUM - 1; i >= 0; i--) {
            assertNotNull(admit(fx(T.minusSeconds(i))).accepted());
        }
    }

    @Test
    void aFutureDatedFirstRecordDoesNotMakeTheValidRecordsAfterItLate() {
        // A 2027 typo first: before the clock starts it cannot be told, so it passes...
        assertNotNull(admit(fx(T.plus(Duration.ofDays(365)))).accepted());
        // ...but it does not set the clock: the valid records after it are neither beyond the
        // dedup horizon nor late, and the same typo again is refused.
        for (int i = 0; i < 20; i++) {
            var r = admit(fx(T.plusSeconds(60L * i)));
            assertNotNull(r.accepted(), i + ": " + r.rejected());
        }
        assertEquals(T.plusSeconds(60L * 19).toEpochMilli(), gate.progress().get("events.jsonl#0"));
        assertEquals(
                "IMPLAUSIBLE_TIMESTAMP",
                admit(fx(T.plus(Duration.ofDays(366)))).rejected().getReason());
    }

    @Test
    void aMalformedLineIsDeadLetteredWithItsLineAndBytes() {
        var out = admit("{oops");
        assertEquals("INVALID_RECORD", out.rejected().getReason());
        assertEquals(1L, out.rejected().getSourceLine());
        assertEquals("events.jsonl", out.rejected().getSourceFile());
        assertEquals(
                "{oops",
                StandardCharsets.UTF_8.decode(out.rejected().getOriginalBytes()).toString());
    }

    @Test
    void anUnbalancedStatementIsDeadLettered() {
        BankStatement s =
                BankStatement.newBuilder()
                        .setEventId("s")
                        .setAccountId("FR76X")
                        .setKind(StatementKind.END_OF_DAY)
                        .setStatementId("S1")
                        .setSequence(1)
                        .setPeriodStart(T)
                        .setPeriodEnd(T.plusSeconds(86400))
                        .setCurrency("EUR")
                        .setOpeningBalanceMinor(1000L)
                        .setClosingBalanceMinor(1200L)
                        .setEntryCount(1)
                        .setEntrySumMinor(100)
                        .build();
        var out = admit(s);
        assertEquals("STATEMENT_UNBALANCED", out.rejected().getReason());
        assertEquals(
                "statement S1: opening 1000 + entries 100 = 1100, but closing is 1200",
                out.rejected().getDetail());
        assertEquals("s", out.rejected().getEventId());
    }

    @Test
    void aTimestampFarAheadOfItsStreamIsImplausibleButTheWallClockDoesNotMatter() {
        startClock();
        assertEquals(
                "IMPLAUSIBLE_TIMESTAMP",
                admit(fx(T.plus(Duration.ofDays(8)))).rejected().getReason());
        // Years in the past, or the future relative to today: fine if the stream is there.
        assertNotNull(admit(fx(T.plus(Duration.ofDays(6)))).accepted());
    }

    @Test
    void controlCommandsAreNeverJudgedByTheirTimestamp() {
        startClock();
        var rule =
                io.treso.event.ControlCommand.newBuilder()
                        .setEventId("c")
                        .setOccurredAt(T.plus(Duration.ofDays(300)))
                        .setKind("LOW_BALANCE_THRESHOLD")
                        .setScope("FR76X")
                        .setVersion(2)
                        .setEffectiveAt(Instant.EPOCH)
                        .setThresholdMinor(1L)
                        .build();
        assertNotNull(admit(rule).accepted(), "a rule issued today over last spring's data");
        assertEquals(
                T.toEpochMilli(),
                gate.progress().get("events.jsonl#0"),
                "and it does not move the stream");
    }

    @Test
    void oldNonBankRecordsAreBeyondTheHorizonButBankLinesNeverAre() {
        startClock();
        var old = admit(fx(T.minus(Duration.ofDays(36))));
        assertEquals("BEYOND_DEDUP_HORIZON", old.rejected().getReason());
        assertNotNull(admit(bank(T.minus(Duration.ofDays(300)))).accepted());
    }

    @Test
    void dlqReplaySkipsTheAgeChecks() {
        gate =
                new InputGate(
                        DecoderFactory.jsonLines().create(),
                        Duration.ofDays(7),
                        Duration.ofDays(35),
                        false);
        startClock();
        assertNotNull(admit(fx(T.minus(Duration.ofDays(36)))).accepted());
    }

    @Test
    void aHeartbeatFarAheadIsImplausibleLikeData() {
        startClock();
        var ahead =
                Heartbeat.newBuilder()
                        .setEventId("hb-ahead")
                        .setOccurredAt(T.plus(Duration.ofDays(60)))
                        .setSource("sim")
                        .build();
        assertEquals("IMPLAUSIBLE_TIMESTAMP", admit(ahead).rejected().getReason());
        assertEquals(T.toEpochMilli(), gate.progress().get("events.jsonl#0"), "the clock stays");
        var year9999 =
                Heartbeat.newBuilder(ahead)
                        .setOccurredAt(Instant.parse("9999-01-01T00:00:00Z"))
                        .build();
        assertEquals("CONTRACT_VIOLATION", admit(year9999).rejected().getReason());
    }

    @Test
    void recordsAnOperatorCouldNotProcessAreRefusedAtTheGate() {
        startClock();
        for (String rate : List.of("1E+20", "1E+999999999", "1E-999999999", "-1", "0")) {
            var r = admit(FxRate.newBuilder(fx(T)).setEventId("fx-" + rate).setRate(rate).build());
            assertEquals("CONTRACT_VIOLATION", r.rejected().getReason(), rate);
        }
        // Beyond the epoch-millisecond range, and the year 999999999: refused, never thrown.
        for (String time : List.of("+1000000000-01-01T00:00:00Z", "9999-12-31T00:00:00Z")) {
            String line =
                    EventJson.toLine(fx(T))
                            .replace(T.toString(), time)
                            .replace("\"fx", "\"fx-" + time);
            var r = admit(line);
            assertNotNull(r.rejected(), time);
        }
        var huge = BankTransaction.newBuilder(bank(T)).setAmountMinor(Long.MAX_VALUE).build();
        assertEquals("CONTRACT_VIOLATION", admit(huge).rejected().getReason());
        String far = EventJson.toLine(payout(T)).replace("\"2026-03-18\"", "\"+999999999-12-31\"");
        var farPayout = admit(far);
        assertNotNull(farPayout.rejected(), far);
        assertTrue(farPayout.rejected().getDetail().contains("expected_arrival_date"), far);
    }

    static io.treso.event.PayoutEvent payout(Instant at) {
        return io.treso.event.PayoutEvent.newBuilder()
                .setEventId("po" + at)
                .setOccurredAt(at)
                .setPsp(io.treso.event.Psp.STRIPE)
                .setStoreId("store-1")
                .setPayoutId("po_1")
                .setStatus(io.treso.event.PayoutStatus.PAID)
                .setGrossMinor(100)
                .setFeeMinor(0)
                .setRefundMinor(0)
                .setAdjustmentMinor(0)
                .setNetMinor(100)
                .setCurrency("EUR")
                .setExpectedArrivalDate(java.time.LocalDate.parse("2026-03-18"))
                .build();
    }

    @Test
    void heartbeatsAdvanceTheStreamAndFlowNoFurther() {
        var hb = Heartbeat.newBuilder().setEventId("hb").setOccurredAt(T).setSource("sim").build();
        InputGate hbGate = new InputGate(raw -> hb, Duration.ofDays(7), Duration.ofDays(35), true);
        for (int i = 1; i <= StreamClock.QUORUM; i++) {
            var beat =
                    hbGate.admit(new SourceRecord("t", 0, i, false, T.toEpochMilli(), new byte[0]));
            assertEquals(true, beat.isHeartbeat());
            assertNull(beat.rejected());
        }
        assertEquals(T.toEpochMilli(), hbGate.progress().get("t#0"), "heartbeats count to quorum");
    }

    @Test
    void transientDecodeFailuresAreThrownNeverDeadLettered() {
        InputGate failing =
                new InputGate(
                        raw -> {
                            throw DecodeException.transientFailure("registry down", null);
                        },
                        Duration.ofDays(7),
                        Duration.ofDays(35),
                        true);
        assertThrows(
                DecodeException.class,
                () -> failing.admit(new SourceRecord("t", 0, 1, false, 0, new byte[] {0})));
    }

    @Test
    void aMalformedRuleOrActionIsDeadLetteredWithWhatIsWrong() {
        for (var params :
                java.util.List.of(
                        java.util.Map.of("match_id", "m1", "action", "write_off"),
                        java.util.Map.of("window_business_days", "-1"))) {
            String kind = params.containsKey("match_id") ? "MATCH_ACTION" : "RECON_RULE";
            InputGate.Outcome o =
                    admit(
                            io.treso.event.ControlCommand.newBuilder()
                                    .setEventId("control:" + kind)
                                    .setOccurredAt(T)
                                    .setKind(kind)
                                    .setScope("FR7630006000011234567890189")
                                    .setVersion(1)
                                    .setEffectiveAt(T)
                                    .setThresholdMinor(null)
                                    .setCurrency(null)
                                    .setTimeZone(null)
                                    .setParams(params)
                                    .build());
            assertNull(o.accepted(), kind);
            assertEquals("CONTRACT_VIOLATION", o.rejected().getReason(), kind);
            assertTrue(o.rejected().getDetail().startsWith(kind), o.rejected().getDetail());
        }
    }

    @Test
    void rulesThatWouldBeAcceptedAndIgnoredAreRefusedWithWhatIsWrong() {
        record Case(
                String kind,
                Long threshold,
                String zone,
                java.util.Map<String, String> params,
                String says) {}
        for (Case c :
                java.util.List.of(
                        new Case(
                                "LOW_BALANCE_TRESHOLD",
                                1L,
                                null,
                                java.util.Map.of(),
                                "unknown control kind"),
                        new Case(
                                "LOW_BALANCE_THRESHOLD",
                                null,
                                null,
                                java.util.Map.of(),
                                "threshold_minor is required"),
                        new Case(
                                "LOW_BALANCE_THRESHOLD",
                                -5L,
                                null,
                                java.util.Map.of(),
                                "must not be negative"),
                        new Case(
                                "LOW_BALANCE_THRESHOLD",
                                5L,
                                null,
                                java.util.Map.of("margin_minor", "-1"),
                                "must not be negative"),
                        new Case(
                                "STORE_CONFIG",
                                null,
                                "Mars/Phobos",
                                java.util.Map.of(),
                                "Mars/Phobos"),
                        new Case(
                                "ACCOUNT_CONFIG",
                                null,
                                "Mars/Phobos",
                                java.util.Map.of(),
                                "Mars/Phobos"))) {
            InputGate.Outcome o =
                    admit(
                            io.treso.event.ControlCommand.newBuilder()
                                    .setEventId("control:" + c.kind() + c.threshold() + c.params())
                                    .setOccurredAt(T)
                                    .setKind(c.kind())
                                    .setScope("FR7630006000011234567890189")
                                    .setVersion(1)
                                    .setEffectiveAt(T)
                                    .setThresholdMinor(c.threshold())
                                    .setTimeZone(c.zone())
                                    .setParams(c.params())
                                    .build());
            assertNull(o.accepted(), c.toString());
            assertEquals("CONTRACT_VIOLATION", o.rejected().getReason(), c.toString());
            assertTrue(o.rejected().getDetail().contains(c.says()), o.rejected().getDetail());
        }
    }
}
