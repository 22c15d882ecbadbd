package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutLineType;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import io.treso.event.ReconciliationRecord;
import io.treso.event.StatementKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each matching rule alone, the ambiguous cases, deadlines, and revisions in either order. */
class BankMatcherTest {
    static final String ACCOUNT = "FR7630006000011234567890189";
    // Monday 2026-03-16; the week is all business days.
    static final LocalDate MON = LocalDate.parse("2026-03-16");
    static final BusinessCalendar CAL = BusinessCalendar.target(ZoneOffset.UTC);

    InMemoryMatchStore store;
    List<ReconciliationRecord> records;
    List<BankCategories> categories;
    List<CashAlert> alerts;
    List<MatchingRules> rules;
    FxRates fx;
    List<ObligationFacts> obligations;
    List<CashPosition> aging;
    BankMatcher matcher;

    @BeforeEach
    void setUp() {
        store = new InMemoryMatchStore();
        records = new ArrayList<>();
        alerts = new ArrayList<>();
        rules = new ArrayList<>();
        fx = FxRates.NONE;
        obligations = new ArrayList<>();
        aging = new ArrayList<>();
        categories = new ArrayList<>();
        matcher = matcher();
    }

    BankMatcher matcher() {
        return new BankMatcher(
                ACCOUNT,
                store,
                rules,
                (from, to, day) -> fx.rate(from, to, day),
                () -> obligations,
                CAL,
                categories,
                1,
                Long.MAX_VALUE,
                new BankMatcher.Sink() {
                    @Override
                    public void record(ReconciliationRecord r) {
                        records.add(r);
                    }

                    @Override
                    public void alert(CashAlert a) {
                        alerts.add(a);
                    }

                    @Override
                    public void position(CashPosition p) {
                        aging.add(p);
                    }
                },
                t -> {});
    }

    static long at(LocalDate day, int hour) {
        return CAL.startOf(day).plus(Duration.ofHours(hour)).toEpochMilli();
    }

    static long endOfDay(LocalDate day) {
        return CAL.startOf(day.plusDays(1)).toEpochMilli();
    }

    static PayoutEvent.Builder payout(String id, long net, LocalDate arrival, PayoutStatus status) {
        return PayoutEvent.newBuilder()
                .setEventId("stripe:" + id + ":" + status)
                .setOccurredAt(Instant.ofEpochMilli(at(arrival.minusDays(2), 2)))
                .setPsp(Psp.STRIPE)
                .setStoreId("store-1")
                .setPayoutId(id)
                .setStatus(status)
                .setGrossMinor(net)
                .setFeeMinor(0)
                .setRefundMinor(0)
                .setAdjustmentMinor(0)
                .setNetMinor(net)
                .setCurrency("EUR")
                .setExpectedArrivalDate(arrival)
                .setDestinationAccountId(ACCOUNT)
                .setOrderIds(List.of())
                .setDescriptor("STRIPE " + id)
                .setLines(
                        List.of(
                                PayoutLine.newBuilder()
                                        .setSourceId("ch_" + id)
                                        .setType(PayoutLineType.CHARGE)
                                        .setOrderId("o_" + id)
                                        .setAmountMinor(net)
                                        .setFeeMinor(0)
                                        .setNetMinor(net)
                                        .setCurrency("EUR")
                                        .setExchangeRate(null)
                                        .build()));
    }

    @Test
    void aLoanCreditIsCategorisedNotUnreconciledAndAConfiguredRuleWins() {
        categories.add(
                BankCategories.of(
                                ControlCommand.newBuilder()
                                        .setEventId("control:BANK_CATEGORY:*:1")
                                        .setOccurredAt(Instant.EPOCH)
                                        .setKind(BankCategories.KIND)
                                        .setScope("*")
                                        .setVersion(1)
                                        .setEffectiveAt(Instant.EPOCH)
                                        .setParams(
                                                Map.of(
                                                        "rule.1",
                                                        "category=CAPITAL;pattern=Treso Holding;in=counterparty"))
                                        .build())
                        .orElseThrow());
        paid("po_ABCDEFGHJK", 10_000_000, MON);
        bankDay(
                MON,
                0,
                credit("b1", 10_000_000, MON, "DEBLOCAGE PRET 4521", "Banque Populaire"),
                credit("b2", 2_500_000, MON, "TRANSFER", "Treso Holding"),
                credit("b3", 7_000, MON, "INV 12", "ACME"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(
                List.of(
                        "CATEGORISED/LOAN/category:default-loan",
                        "CATEGORISED/CAPITAL/category:*:rule.1",
                        "UNMATCHED/null/none"),
                records.stream()
                        .map(r -> r.getStatus() + "/" + r.getCategory() + "/" + r.getRule())
                        .toList(),
                "the loan is no payout even of the same amount");
        assertFalse(records.get(0).getNeedsReview());
        assertEquals(
                List.of("UNRECONCILED_BANK_LINE/FIRING"),
                alertTypes(),
                "only the line nothing explains");
        assertEquals(
                List.of("bank:" + ACCOUNT + ":b3"),
                alerts.stream().map(a -> "bank:" + a.getScope()).toList());
    }

    @Test
    void eachDaysCashFlowByCategoryIsReportedOnceTheDayIsDecided() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        bankDay(
                MON,
                0,
                credit("b1", 150_000, MON, "STRIPE po_ABCDEFGHJK", "STRIPE"),
                credit("b2", -400_000, MON, "LOYER AVRIL", "Immo Gestion SA"),
                credit("b3", -1_500, MON, "FRAIS TENUE DE COMPTE", "Bank"),
                credit("b4", -2_000, MON, "FRAIS CARTE", "Bank"),
                credit("b5", 7_000, MON, "TRANSFER 12", "ACME"));
        quietDays(MON.plusDays(1), MON.plusDays(7), 0);
        matcher.onTime(Long.MAX_VALUE);
        List<String> flows =
                aging.stream()
                        .filter(p -> p.getScope().startsWith(BankMatcher.FLOW))
                        .map(p -> p.getScope() + "=" + p.getBalanceMinor() + "@" + p.getAsOf())
                        .toList();
        String tuesday = "@" + CAL.startOf(MON.plusDays(1));
        assertEquals(
                List.of(
                        "flow:" + ACCOUNT + ":BANK_FEES=-3500" + tuesday,
                        "flow:" + ACCOUNT + ":PSP_PAYOUT=150000" + tuesday,
                        "flow:" + ACCOUNT + ":RENT=-400000" + tuesday,
                        "flow:" + ACCOUNT + ":UNCATEGORISED=7000" + tuesday),
                flows,
                "one position per category, the day's net, each line counted once");
    }

    @Test
    void aPayoutWithoutLinesSaysInItsRuleThatItsOrdersWereNotChecked() {
        for (String id : List.of("po_ORDERIDS01", "po_MONEYONLY2")) {
            var p = payout(id, 5_000, MON, PayoutStatus.PAID).setLines(List.of());
            send(id.equals("po_ORDERIDS01") ? p.setOrderIds(List.of("o1")) : p);
        }
        bankDay(
                MON,
                0,
                credit("b1", 5_000, MON, "STRIPE po_ORDERIDS01", "STRIPE"),
                credit("b2", 5_000, MON, "STRIPE po_MONEYONLY2", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(
                List.of(
                        "reference (order ids without lines: amounts unchecked)",
                        "reference (money only: no orders to check)"),
                records.stream().map(ReconciliationRecord::getRule).toList());
    }

    /**
     * A credit naming an open payout is decided on arrival from the state's index of open payouts
     * (not by reading them all): each payout is filed under its id's and descriptor's first
     * letters, leaves the index once settled, and moves when its descriptor changes.
     */
    @Test
    void openPayoutsAreFiledByTheirFirstLettersAndLeaveTheIndexWhenSettled() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        paid("po_ABCDZZZZZZ", 90_000, MON);
        assertEquals(
                List.of("po_ABCDEFGHJK", "po_ABCDZZZZZZ"), List.of(store.payoutsUnder("iPOAB")));
        assertEquals(
                List.of("po_ABCDEFGHJK", "po_ABCDZZZZZZ"), List.of(store.payoutsUnder("dSTRI")));
        send(
                payout("po_ABCDZZZZZZ", 90_000, MON, PayoutStatus.PAID)
                        .setDescriptor("SHOP 77")
                        .setOccurredAt(Instant.ofEpochMilli(at(MON, 6))));
        assertEquals(List.of("po_ABCDEFGHJK"), List.of(store.payoutsUnder("dSTRI")), "moved");
        assertEquals(List.of("po_ABCDZZZZZZ"), List.of(store.payoutsUnder("dSHOP")));
        matcher.onBankLine(credit("b1", 150_000, MON, "STRIPE po_ABCDEFGHJK", "STRIPE"), 0);
        assertEquals(
                List.of("MATCHED reference"),
                records.stream().map(r -> r.getStatus() + " " + r.getRule()).toList(),
                "decided on arrival, before any statement");
        assertEquals(List.of("po_ABCDZZZZZZ"), List.of(store.payoutsUnder("iPOAB")), "settled");
        assertEquals(0, store.payoutsUnder("dSTRI").length, "an emptied key is gone");
    }

    /**
     * State written before the index (a savepoint of 0.1.x) has open payouts filed nowhere: the
     * first credit after the restore files them all, and is decided as it would have been.
     */
    @Test
    void payoutsRestoredFromStateBeforeTheIndexAreFiledByTheFirstCredit() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        paid("po_QRSTUVWXYZ", 90_000, MON);
        for (String id : List.of("po_ABCDEFGHJK", "po_QRSTUVWXYZ")) {
            TrackedPayout p = store.payout(id);
            new PayoutIndex(store).forget(p);
            store.putPayout(p);
        }
        assertEquals(null, store.progress(), "no bank line yet: nothing says the index is whole");
        assertEquals(0, store.payoutsUnder("iPOQR").length, "as restored");
        matcher.onBankLine(credit("b1", 90_000, MON, "STRIPE po_QRSTUVWXYZ", "STRIPE"), 0);
        assertEquals(
                List.of("MATCHED reference"),
                records.stream().map(r -> r.getStatus() + " " + r.getRule()).toList());
        assertEquals(List.of("po_ABCDEFGHJK"), List.of(store.payoutsUnder("iPOAB")), "filed");
        assertTrue(store.progress().payoutsIndexed);
    }

    void send(PayoutEvent.Builder p) {
        matcher.onPayout(PayoutFacts.of(p.build()));
    }

    void paid(String id, long net, LocalDate arrival) {
        send(payout(id, net, arrival, PayoutStatus.IN_TRANSIT));
        send(
                payout(id, net, arrival, PayoutStatus.PAID)
                        .setOccurredAt(Instant.ofEpochMilli(at(arrival, 5))));
    }

    BankTransaction credit(String id, long amount, LocalDate day, String reference, String from) {
        return BankTransaction.newBuilder()
                .setEventId(ACCOUNT + ":" + id)
                .setBookedAt(Instant.ofEpochMilli(at(day, 10)))
                .setValueDate(day)
                .setAccountId(ACCOUNT)
                .setAmountMinor(amount)
                .setCurrency("EUR")
                .setStatus(BankEntryStatus.BOOKED)
                .setCounterpartyName(from)
                .setCounterpartyAccount(null)
                .setReference(reference)
                .setBankReference(id)
                .setStatementId("S-" + day)
                .build();
    }

    /** Statements are numbered by business day: Monday the 16th is number 1. */
    BankStatement statement(LocalDate day, long entries) {
        long seq = CAL.businessDaysBetween(MON, day) + 1;
        return BankStatement.newBuilder()
                .setEventId(ACCOUNT + ":S-" + day)
                .setAccountId(ACCOUNT)
                .setKind(StatementKind.END_OF_DAY)
                .setStatementId("S-" + day)
                .setSequence(seq)
                .setPeriodStart(CAL.startOf(day))
                .setPeriodEnd(CAL.startOf(day.plusDays(1)))
                .setCurrency("EUR")
                .setOpeningBalanceMinor(0L)
                .setClosingBalanceMinor(0L)
                .setAvailableBalanceMinor(null)
                .setEntryCount(entries)
                .setEntrySumMinor(0)
                .build();
    }

    /** A day of bank data: its credits, then its statement. */
    void bankDay(LocalDate day, long watermark, BankTransaction... lines) {
        for (BankTransaction l : lines) matcher.onBankLine(l, watermark);
        matcher.onStatement(statement(day, lines.length), watermark);
    }

    /** Statements with no lines for each business day from {@code from} to {@code to}. */
    void quietDays(LocalDate from, LocalDate to, long watermark) {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            matcher.onStatement(statement(d, 0), watermark);
        }
    }

    ReconciliationRecord last() {
        return records.get(records.size() - 1);
    }

    List<String> alertTypes() {
        return alerts.stream().map(a -> a.getType() + "/" + a.getState()).toList();
    }

    // ---- rules ----

    @Test
    void theWholePayoutIdInTheReferenceIsAutoConfirmed() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        bankDay(MON, 0, credit("b1", 150_000, MON, "STRIPE PO_ABCDEFGHJK", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        ReconciliationRecord r = last();
        assertEquals("MATCHED", r.getStatus().name());
        assertEquals("reference", r.getRule());
        assertEquals(100, r.getConfidence());
        assertFalse(r.getNeedsReview());
        assertEquals(List.of("po_ABCDEFGHJK"), r.getPayoutIds());
        // Decided when both sides are in, not when the window closes: the credit came last.
        assertEquals(Instant.ofEpochMilli(at(MON, 10)), r.getDecidedAt());
    }

    @Test
    void aReferenceForTheExactNetIsDecidedOnceBothSidesAreInWhicheverCameFirst() {
        // The credit first: no statement yet, no window closed; decided when the payout comes.
        matcher.onBankLine(credit("b1", 150_000, MON, "STRIPE po_ABCDEFGHJK", "STRIPE"), 0);
        assertTrue(records.isEmpty(), "no payout named yet");
        send(
                payout("po_ABCDEFGHJK", 150_000, MON, PayoutStatus.PAID)
                        .setOccurredAt(Instant.ofEpochMilli(at(MON, 12))));
        assertEquals(1, records.size());
        assertEquals("MATCHED reference " + Instant.ofEpochMilli(at(MON, 12)), describe(last()));
        // The payout first: decided when the credit is booked.
        setUp();
        send(
                payout("po_ABCDEFGHJK", 150_000, MON, PayoutStatus.PAID)
                        .setOccurredAt(Instant.ofEpochMilli(at(MON, 12))));
        matcher.onBankLine(
                credit("b1", 150_000, MON.plusDays(1), "STRIPE po_ABCDEFGHJK", "STRIPE"), 0);
        assertEquals(
                "MATCHED reference " + Instant.ofEpochMilli(at(MON.plusDays(1), 10)),
                describe(last()));
        assertFalse(last().getNeedsReview());
        // 10.00 short: not decisive (PARTIAL needs a look), so it waits for the window.
        setUp();
        paid("po_ABCDEFGHJK", 150_000, MON);
        matcher.onBankLine(credit("b1", 149_000, MON, "STRIPE po_ABCDEFGHJK", "STRIPE"), 0);
        assertTrue(records.isEmpty());
    }

    static String describe(ReconciliationRecord r) {
        return r.getStatus() + " " + r.getRule() + " " + r.getDecidedAt();
    }

    @Test
    void aCreditWaitsForItsWindowAndForItsStatementToBeComplete() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        long thursday = CAL.startOf(MON.plusDays(3)).toEpochMilli();
        // No reference: the amount rule must wait until no other candidate can come.
        matcher.onBankLine(credit("b1", 150_000, MON, "TRANSFER", "STRIPE"), 0);
        // The statement says two lines; only one is in.
        matcher.onStatement(statement(MON, 2), thursday);
        matcher.onTime(thursday);
        assertTrue(records.isEmpty(), "decided before the statement was complete");
        matcher.onBankLine(credit("b2", -500, MON, "FEE", "BANK"), thursday);
        assertEquals(
                List.of("CATEGORISED/BANK_FEES", "MATCHED/PSP_PAYOUT"),
                records.stream().map(r -> r.getStatus() + "/" + r.getCategory()).toList(),
                "the fee debit, then the credit");
    }

    @Test
    void aReferenceCutToTenCharactersStillNamesOnePayout() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        paid("po_ZZZZZZZZZZ", 150_000, MON);
        bankDay(MON, 0, credit("b1", 150_000, MON, "po_ABCDEFG", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("reference-truncated", last().getRule());
        assertEquals(List.of("po_ABCDEFGHJK"), last().getPayoutIds());
        assertEquals(95, last().getConfidence());
    }

    @Test
    void oneExactAmountInTheWindowMatchesWithHints() {
        paid("po_AAAAAAAAAA", 150_000, MON);
        paid("po_BBBBBBBBBB", 990_000, MON);
        bankDay(MON, 0, credit("b1", 150_000, MON, "TRANSFER", "STRIPE PAYMENTS"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("amount-exact", last().getRule());
        assertEquals(List.of("po_AAAAAAAAAA"), last().getPayoutIds());
        assertEquals(95, last().getConfidence()); // 80, +10 the PSP named, +5 arrival that day
        assertFalse(last().getNeedsReview());
    }

    @Test
    void anExactAmountOutsideTheWindowIsNoCandidate() {
        paid("po_AAAAAAAAAA", 150_000, MON);
        LocalDate nextMon = MON.plusDays(7);
        quietDays(MON, MON.plusDays(4), 0);
        bankDay(nextMon, 0, credit("b1", 150_000, nextMon, "TRANSFER", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("UNMATCHED", last().getStatus().name());
    }

    @Test
    void sameAmountsNothingTellsApartAreAmbiguousWithEveryCandidateAndNoDeadlineAlert() {
        paid("ady_1", 4_000_000, MON);
        paid("ady_2", 4_000_000, MON);
        bankDay(
                MON,
                0,
                credit("b1", 4_000_000, MON, null, "Adyen N.V."),
                credit("b2", 4_000_000, MON, null, "Adyen N.V."));
        quietDays(MON.plusDays(1), MON.plusDays(4), 0);
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(2, records.size());
        for (ReconciliationRecord r : records) {
            assertEquals("AMBIGUOUS", r.getStatus().name());
            assertEquals(List.of("ady_1", "ady_2"), r.getPayoutIds());
            assertTrue(r.getNeedsReview());
        }
        assertTrue(alerts.isEmpty(), "the records are the review items: " + alertTypes());
    }

    @Test
    void aHintTellsSameAmountsApartButAPersonConfirms() {
        paid("po_AAAAAAAAAA", 150_000, MON);
        paid("po_BBBBBBBBBB", 150_000, MON.plusDays(1));
        bankDay(MON, 0, credit("b1", 150_000, MON, "TRANSFER", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("MATCHED", last().getStatus().name());
        assertEquals(List.of("po_AAAAAAAAAA"), last().getPayoutIds()); // arrived that day
        assertEquals(89, last().getConfidence());
        assertTrue(last().getNeedsReview());
    }

    @Test
    void severalPayoutsOfOneMerchantSumToOneCredit() {
        paid("PP-AAAAAAAAAA", 100_000, MON);
        paid("PP-BBBBBBBBBB", 23_456, MON.plusDays(1));
        paid("PP-CCCCCCCCCC", 77_777, MON.plusDays(1));
        quietDays(MON, MON, 0);
        LocalDate tue = MON.plusDays(1);
        bankDay(tue, 0, credit("b1", 123_456, tue, "PAYPAL TRANSFER", "PAYPAL EUROPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("amount-n-to-1", last().getRule());
        assertEquals(List.of("PP-AAAAAAAAAA", "PP-BBBBBBBBBB"), last().getPayoutIds());
        assertTrue(last().getNeedsReview(), "an amount-only N:1 is confirmed by a person");
    }

    @Test
    void aConvertedAmountWithinTheToleranceMatchesForeignPayouts() {
        fx = (from, to, day) -> "USD".equals(from) ? new BigDecimal("0.92") : null;
        send(
                payout("AMZ-1", 1_000_000, MON, PayoutStatus.PAID)
                        .setPsp(Psp.AMAZON_PAY)
                        .setCurrency("USD")
                        .setDescriptor(null));
        // 10,000.00 USD at 0.92 = 9,200.00 EUR; the bank's spread takes 0.3 %.
        bankDay(MON, 0, credit("b1", 917_240, MON, "SETTLEMENT", "AMAZON PAYMENTS"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("amount-fx", last().getRule());
        assertEquals("MATCHED", last().getStatus().name());
        assertEquals(917_240 - 920_000, last().getDifferenceMinor());
        assertTrue(last().getNeedsReview());
    }

    @Test
    void withoutARateAForeignPayoutIsNoCandidate() {
        send(payout("AMZ-1", 1_000_000, MON, PayoutStatus.PAID).setCurrency("USD"));
        bankDay(MON, 0, credit("b1", 917_240, MON, "SETTLEMENT", "AMAZON"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("UNMATCHED", last().getStatus().name());
    }

    @Test
    void aReferencedCreditShortOfTheNetIsPartialAndNeedsReview() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        bankDay(MON, 0, credit("b1", 148_766, MON, "STRIPE po_ABCDEFGHJK", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("PARTIAL", last().getStatus().name());
        assertEquals(-1_234, last().getDifferenceMinor());
        assertTrue(last().getNeedsReview());
    }

    // ---- deadlines ----

    @Test
    void anUnmatchedCreditRaisesUnreconciledBankLineWhenItsWindowCloses() {
        bankDay(MON, 0, credit("b1", 5_000_000, MON, "TRANSFER 8812", "ACME Corp"));
        matcher.onTime(CAL.startOf(MON.plusDays(3)).toEpochMilli() - 1);
        assertTrue(alerts.isEmpty());
        matcher.onTime(CAL.startOf(MON.plusDays(3)).toEpochMilli());
        assertEquals(List.of("UNRECONCILED_BANK_LINE/FIRING"), alertTypes());
        assertEquals(List.of(ACCOUNT + ":b1"), alerts.get(0).getEvidenceEventIds());
    }

    @Test
    void aPaidPayoutWithoutCreditIsMissingOnceTheStatementsPassArrivalPlusGrace() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        quietDays(MON, MON.plusDays(1), Long.MAX_VALUE);
        matcher.onTime(Long.MAX_VALUE);
        assertTrue(alerts.isEmpty(), "the statements do not reach the deadline yet");
        quietDays(MON.plusDays(2), MON.plusDays(2), Long.MAX_VALUE);
        assertEquals(List.of("MISSING_DEPOSIT/FIRING"), alertTypes());
        assertEquals("po_ABCDEFGHJK", alerts.get(0).getScope());
        quietDays(MON.plusDays(3), MON.plusDays(4), Long.MAX_VALUE);
        assertEquals(1, alerts.size(), "once");
    }

    @Test
    void aPayoutFailedBeforeItsDeadlineIsNotMissing() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        send(
                payout("po_ABCDEFGHJK", 150_000, MON, PayoutStatus.FAILED)
                        .setOccurredAt(Instant.ofEpochMilli(at(MON.plusDays(1), 12))));
        quietDays(MON, MON.plusDays(4), Long.MAX_VALUE);
        assertTrue(alerts.isEmpty(), alertTypes().toString());
    }

    @Test
    void aPayoutWhoseIdentityDoesNotHoldIsAlertedOnceWithItsBrokenLines() {
        PayoutLine good =
                PayoutLine.newBuilder()
                        .setSourceId("ch_1")
                        .setType(PayoutLineType.CHARGE)
                        .setOrderId("o1")
                        .setAmountMinor(10_000)
                        .setFeeMinor(300)
                        .setNetMinor(9_700)
                        .setCurrency("EUR")
                        .setExchangeRate(null)
                        .build();
        PayoutLine bad = PayoutLine.newBuilder(good).setSourceId("ch_2").setNetMinor(9_900).build();
        PayoutEvent.Builder p =
                payout("po_X", 19_600, MON, PayoutStatus.IN_TRANSIT)
                        .setGrossMinor(20_000)
                        .setFeeMinor(600)
                        .setLines(List.of(good, bad));
        send(p);
        send(
                payout("po_X", 19_600, MON, PayoutStatus.PAID)
                        .setGrossMinor(20_000)
                        .setFeeMinor(600)
                        .setLines(List.of(good, bad)));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(List.of("PAYOUT_AMOUNT_MISMATCH/FIRING"), alertTypes());
        assertTrue(alerts.get(0).getEvidenceEventIds().contains("ch_2"));
        assertFalse(alerts.get(0).getEvidenceEventIds().contains("ch_1"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(1, alerts.size());
    }

    // ---- order never decides ----

    @Test
    void aLateStatementDoesNotLetALaterCreditTakeThePayout() {
        List<String> a = twoCreditsOnePayout(false);
        List<String> b = twoCreditsOnePayout(true);
        assertEquals(a, b);
        assertTrue(a.get(0).contains("b1") && a.get(0).contains("MATCHED"), a.toString());
    }

    /** Monday's and Tuesday's credits both fit the payout; Monday's statement may come late. */
    List<String> twoCreditsOnePayout(boolean mondayLate) {
        setUp();
        quietDays(MON.minusDays(3), MON.minusDays(3), 0); // the account's statements so far
        paid("po_AAAAAAAAAA", 150_000, MON);
        LocalDate tue = MON.plusDays(1);
        long late = CAL.startOf(MON.plusDays(6)).toEpochMilli();
        Runnable monday = () -> bankDay(MON, late, credit("b1", 150_000, MON, "X", "STRIPE"));
        Runnable tuesday = () -> bankDay(tue, late, credit("b2", 150_000, tue, "X", "STRIPE"));
        if (mondayLate) {
            tuesday.run();
            matcher.onTime(late);
            monday.run();
        } else {
            monday.run();
            tuesday.run();
        }
        matcher.onTime(late);
        return records.stream()
                .map(
                        r ->
                                r.getBankEventIds()
                                        + " "
                                        + r.getStatus()
                                        + " "
                                        + r.getPayoutIds()
                                        + " r"
                                        + r.getRevision())
                .toList();
    }

    @Test
    void aPayoutFailedAfterPaidRevisesItsMatchWhicheverIsReadFirst() {
        List<String> failureFirst = failedAfterMatch(true);
        List<String> failureLast = failedAfterMatch(false);
        assertEquals(failureFirst, failureLast);
        assertEquals(2, failureFirst.size(), failureFirst.toString());
        assertTrue(failureFirst.get(0).contains("MATCHED r1"));
        assertTrue(failureFirst.get(1).contains("UNMATCHED r2"));
    }

    List<String> failedAfterMatch(boolean failureReadBeforeDecision) {
        setUp();
        paid("po_AAAAAAAAAA", 150_000, MON);
        Consumer<Long> bank =
                w -> bankDay(MON, w, credit("b1", 150_000, MON, "po_AAAAAAAAAA", "STRIPE"));
        PayoutEvent.Builder failed =
                payout("po_AAAAAAAAAA", 150_000, MON, PayoutStatus.FAILED)
                        .setOccurredAt(Instant.ofEpochMilli(at(MON.plusDays(4), 12)));
        if (failureReadBeforeDecision) {
            send(failed);
            bank.accept(0L);
            matcher.onTime(CAL.startOf(MON.plusDays(3)).toEpochMilli());
        } else {
            bank.accept(0L);
            matcher.onTime(CAL.startOf(MON.plusDays(3)).toEpochMilli());
            send(failed);
        }
        List<String> out = new ArrayList<>();
        for (ReconciliationRecord r : records) {
            out.add(
                    r.getMatchId()
                            + " "
                            + r.getStatus()
                            + " r"
                            + r.getRevision()
                            + " "
                            + r.getDecidedAt()
                            + " "
                            + r.getPayoutIds());
        }
        for (CashAlert a : alerts)
            out.add(a.getType() + " " + a.getState() + " " + a.getDetectedAt());
        return out.stream().filter(s -> !s.startsWith("UNRECONCILED")).toList();
    }

    @Test
    void aPayoutAnnouncedAfterTheWindowRevisesTheCreditThatNamedItWhicheverIsReadFirst() {
        List<String> early = latePayout(true);
        List<String> late = latePayout(false);
        assertEquals(early, late);
        assertTrue(early.get(0).contains("UNMATCHED r1"), early.toString());
        assertTrue(early.get(1).contains("MATCHED r2"), early.toString());
        assertTrue(early.get(2).contains("UNRECONCILED_BANK_LINE FIRING"), early.toString());
        assertTrue(early.get(3).contains("UNRECONCILED_BANK_LINE RESOLVED"), early.toString());
    }

    List<String> latePayout(boolean payoutReadBeforeDecision) {
        setUp();
        long afterWindow = at(MON.plusDays(4), 9);
        PayoutEvent.Builder p =
                payout("po_LATELATELA", 150_000, MON, PayoutStatus.PAID)
                        .setOccurredAt(Instant.ofEpochMilli(afterWindow));
        if (payoutReadBeforeDecision) send(p);
        bankDay(MON, 0, credit("b1", 150_000, MON, "STRIPE po_LATELATELA", "STRIPE"));
        matcher.onTime(CAL.startOf(MON.plusDays(3)).toEpochMilli());
        if (!payoutReadBeforeDecision) send(p);
        List<String> out = new ArrayList<>();
        for (ReconciliationRecord r : records) {
            out.add(
                    r.getStatus()
                            + " r"
                            + r.getRevision()
                            + " "
                            + r.getDecidedAt()
                            + " "
                            + r.getPayoutIds());
        }
        for (CashAlert a : alerts)
            out.add(
                    a.getType()
                            + " "
                            + a.getState()
                            + " "
                            + a.getDetectedAt()
                            + " "
                            + a.getAlertId());
        return out;
    }

    @Test
    void aCalledOffCandidateResolvesAnAmbiguity() {
        paid("ady_1", 4_000_000, MON);
        paid("ady_2", 4_000_000, MON);
        bankDay(MON, 0, credit("b1", 4_000_000, MON, null, "Adyen"));
        matcher.onTime(CAL.startOf(MON.plusDays(3)).toEpochMilli());
        assertEquals("AMBIGUOUS", last().getStatus().name());
        send(
                payout("ady_2", 4_000_000, MON, PayoutStatus.FAILED)
                        .setOccurredAt(Instant.ofEpochMilli(at(MON.plusDays(3), 12))));
        assertEquals("MATCHED", last().getStatus().name());
        assertEquals(2, last().getRevision());
        assertEquals(List.of("ady_1"), last().getPayoutIds());
        assertTrue(last().getNeedsReview());
    }

    @Test
    void theSameBankLineTwiceIsOneCredit() {
        paid("po_ABCDEFGHJK", 150_000, MON);
        BankTransaction c = credit("b1", 150_000, MON, "po_ABCDEFGHJK", "STRIPE");
        matcher.onBankLine(c, 0);
        matcher.onBankLine(c, 0);
        matcher.onStatement(statement(MON, 1), 0);
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(1, records.size());
    }

    // ---- rules as data ----

    @Test
    void rulesForTheAccountBeatRulesForAllAndApplyFromTheirEffectiveTime() {
        MatchingRules all = new MatchingRules();
        all.windowBusinessDays = 5;
        MatchingRules mine = new MatchingRules();
        mine.scope = ACCOUNT;
        mine.windowBusinessDays = 1;
        mine.effectiveAt = 1_000;
        List<MatchingRules> list = List.of(all, mine);
        assertEquals(5, MatchingRules.inForce(list, ACCOUNT, 999).windowBusinessDays);
        assertEquals(1, MatchingRules.inForce(list, ACCOUNT, 1_000).windowBusinessDays);
        assertEquals(5, MatchingRules.inForce(list, "OTHER", 1_000).windowBusinessDays);
        assertEquals(2, MatchingRules.inForce(List.of(), ACCOUNT, 0).windowBusinessDays);
    }

    @Test
    void aWiderWindowLetsALaterCreditMatch() {
        MatchingRules wide = new MatchingRules();
        wide.windowBusinessDays = 6;
        rules.add(wide);
        paid("po_AAAAAAAAAA", 150_000, MON);
        LocalDate nextMon = MON.plusDays(7);
        quietDays(MON, MON.plusDays(4), 0);
        bankDay(nextMon, 0, credit("b1", 150_000, nextMon, "TRANSFER", "STRIPE"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("MATCHED", last().getStatus().name());
    }

    // ---- payables and receivables ----

    ObligationFacts obligation(
            String doc, ObligationKind kind, long amount, LocalDate due, String party) {
        ObligationFacts f =
                ObligationFacts.of(
                        Obligation.newBuilder()
                                .setEventId("erp:" + doc)
                                .setOccurredAt(CAL.startOf(MON.minusDays(10)))
                                .setKind(kind)
                                .setDocumentId(doc)
                                .setCounterpartyName(party)
                                .setCounterpartyAccount(null)
                                .setAmountMinor(amount)
                                .setCurrency("EUR")
                                .setIssuedDate(MON.minusDays(10))
                                .setDueDate(due)
                                .setStatus(ObligationStatus.OPEN)
                                .build());
        obligations.add(f);
        return f;
    }

    @Test
    void aDebitNamingAPayablePaysItAndASecondOneIsADuplicatePayment() {
        obligation("BILL-7", ObligationKind.PAYABLE, 250_000, MON, "Acme Packaging SARL");
        LocalDate tue = MON.plusDays(1);
        bankDay(MON, Long.MAX_VALUE, credit("d1", -250_000, MON, "BILL-7", "Acme Packaging SARL"));
        bankDay(tue, Long.MAX_VALUE, credit("d2", -250_000, tue, "BILL-7", "Acme Packaging SARL"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals(2, records.size());
        assertEquals("MATCHED", records.get(0).getStatus().name());
        assertEquals("payable-reference", records.get(0).getRule());
        assertEquals(List.of("BILL-7"), records.get(0).getObligationIds());
        assertEquals("duplicate-payment", records.get(1).getRule());
        assertEquals(List.of("DUPLICATE_PAYMENT/FIRING"), alertTypes());
        assertEquals(
                List.of(ACCOUNT + ":d1", ACCOUNT + ":d2", "erp:BILL-7"),
                alerts.get(0).getEvidenceEventIds());
    }

    @Test
    void theFirstPaymentIsTheEarlierBookingEvenWhenItsStatementComesLater() {
        obligation("BILL-7", ObligationKind.PAYABLE, 250_000, MON, "Acme");
        quietDays(MON.minusDays(3), MON.minusDays(3), Long.MAX_VALUE);
        LocalDate tue = MON.plusDays(1);
        bankDay(tue, Long.MAX_VALUE, credit("d2", -250_000, tue, "BILL-7", "Acme"));
        bankDay(MON, Long.MAX_VALUE, credit("d1", -250_000, MON, "BILL-7", "Acme"));
        assertEquals(List.of(ACCOUNT + ":d1"), records.get(0).getBankEventIds());
        assertEquals(ACCOUNT + ":d2", alerts.get(0).getEvidenceEventIds().get(1));
    }

    @Test
    void aDebitWithoutReferencePaysTheOnePayableOfItsAmountAndCounterparty() {
        obligation("BILL-7", ObligationKind.PAYABLE, 250_000, MON, "Acme Packaging SARL");
        obligation("BILL-8", ObligationKind.PAYABLE, 250_000, MON, "Nordic Logistics AB");
        bankDay(MON, Long.MAX_VALUE, credit("d1", -250_000, MON, "SEPA", "ACME PACKAGING"));
        assertEquals("payable-amount", last().getRule());
        assertEquals(List.of("BILL-7"), last().getObligationIds());
        assertTrue(last().getNeedsReview());
    }

    @Test
    void aCreditNamingAnInvoicePaysTheReceivableNotAPayout() {
        obligation("INV-2026-0042", ObligationKind.RECEIVABLE, 150_000, MON, "Galeries Lafayette");
        paid("po_AAAAAAAAAA", 150_000, MON);
        bankDay(MON, 0, credit("b1", 150_000, MON, "INV-2026-0042", "GALERIES LAFAYETTE SA"));
        matcher.onTime(Long.MAX_VALUE);
        assertEquals("receivable-reference", last().getRule());
        assertEquals(List.of("INV-2026-0042"), last().getObligationIds());
        assertTrue(last().getPayoutIds().isEmpty());
    }

    @Test
    void anUnpaidReceivableIsOverdueOnceTheStatementsPassItsDueDate() {
        obligation("INV-1", ObligationKind.RECEIVABLE, 150_000, MON, "Printemps");
        obligation("INV-2", ObligationKind.RECEIVABLE, 90_000, MON, "Le Bon Marche");
        LocalDate tue = MON.plusDays(1);
        quietDays(MON.minusDays(3), MON.minusDays(3), Long.MAX_VALUE);
        assertTrue(alerts.isEmpty(), "not overdue before the statements pass the due date");
        bankDay(
                MON,
                Long.MAX_VALUE,
                credit("b1", 90_000, MON, "VIR LE BON MARCHE", "LE BON MARCHE"));
        assertEquals(List.of("OVERDUE_RECEIVABLE/FIRING"), alertTypes());
        assertEquals(CAL.startOf(tue), alerts.get(0).getDetectedAt());
        assertEquals("INV-1", alerts.get(0).getScope());
        assertEquals("receivable-amount", records.get(0).getRule());
        quietDays(tue.plusDays(1), tue.plusDays(3), Long.MAX_VALUE);
        assertEquals(1, alerts.size(), "ONE_SHOT");
        CashPosition lastDay = aging.get(aging.size() - 1);
        assertTrue(
                aging.stream()
                        .anyMatch(
                                p ->
                                        p.getScope().endsWith(":0-30")
                                                && p.getBalanceMinor() == 150_000),
                aging.toString());
        assertEquals(CAL.startOf(tue.plusDays(4)), lastDay.getAsOf());
    }

    // ---- treasurer actions ----

    io.treso.event.ControlCommand action(
            String matchId, String action, java.util.Map<String, String> more, long effectiveAt) {
        java.util.Map<String, String> params = new java.util.HashMap<>(more);
        params.put("match_id", matchId);
        params.put("action", action);
        return io.treso.event.ControlCommand.newBuilder()
                .setEventId("control:MATCH_ACTION:" + matchId + ":" + action)
                .setOccurredAt(Instant.ofEpochMilli(effectiveAt))
                .setKind("MATCH_ACTION")
                .setScope(ACCOUNT)
                .setVersion(1)
                .setEffectiveAt(Instant.ofEpochMilli(effectiveAt))
                .setThresholdMinor(null)
                .setCurrency(null)
                .setTimeZone(null)
                .setParams(params)
                .build();
    }

    @Test
    void aTreasurerMatchesAnUnmatchedCreditByHandAndTheAlertResolves() {
        paid("po_AAAAAAAAAA", 100_000, MON);
        paid("po_BBBBBBBBBB", 49_000, MON);
        bankDay(MON, 0, credit("b1", 150_000, MON, "TRANSFER", "BANK"));
        long thursday = CAL.startOf(MON.plusDays(3)).toEpochMilli();
        matcher.onTime(thursday);
        assertEquals("UNMATCHED", last().getStatus().name());
        matcher.onAction(
                action(
                        "bank:" + ACCOUNT + ":b1",
                        "match",
                        java.util.Map.of("payout_ids", "po_BBBBBBBBBB,po_AAAAAAAAAA"),
                        0),
                thursday + 1000);
        ReconciliationRecord r = last();
        assertEquals("MATCHED", r.getStatus().name());
        assertEquals(2, r.getRevision());
        assertEquals("treasurer-match", r.getRule());
        assertEquals(List.of("po_AAAAAAAAAA", "po_BBBBBBBBBB"), r.getPayoutIds());
        assertEquals(1_000, r.getDifferenceMinor());
        assertEquals(
                Instant.ofEpochMilli(thursday + 1000),
                r.getDecidedAt(),
                "applied from the watermark");
        assertEquals(
                List.of("UNRECONCILED_BANK_LINE/FIRING", "UNRECONCILED_BANK_LINE/RESOLVED"),
                alertTypes());
    }

    @Test
    void confirmRejectAndWriteOffEachMakeARevision() {
        paid("po_AAAAAAAAAA", 150_000, MON);
        paid("po_BBBBBBBBBB", 150_000, MON.plusDays(1));
        bankDay(MON, 0, credit("b1", 150_000, MON, "TRANSFER", "STRIPE"));
        long thursday = CAL.startOf(MON.plusDays(3)).toEpochMilli();
        matcher.onTime(thursday);
        assertTrue(last().getNeedsReview());
        String id = "bank:" + ACCOUNT + ":b1";
        matcher.onAction(action(id, "confirm", java.util.Map.of(), thursday + 1), thursday + 1);
        assertEquals(
                List.of(false, 2, "treasurer-confirm"),
                List.of(last().getNeedsReview(), last().getRevision(), last().getRule()));
        matcher.onAction(action(id, "reject", java.util.Map.of(), thursday + 2), thursday + 2);
        assertEquals("REJECTED", last().getStatus().name());
        assertEquals(List.of("UNRECONCILED_BANK_LINE/FIRING"), alertTypes());
        matcher.onAction(
                action(id, "write_off", java.util.Map.of("reason", "owner top-up"), thursday + 3),
                thursday + 3);
        assertEquals("WRITTEN_OFF", last().getStatus().name());
        assertEquals("treasurer-write-off: owner top-up", last().getRule());
        assertEquals(4, last().getRevision());
        assertEquals(
                List.of("UNRECONCILED_BANK_LINE/FIRING", "UNRECONCILED_BANK_LINE/RESOLVED"),
                alertTypes());
    }

    @Test
    void anActionEffectiveLaterWaitsForItsTime() {
        paid("po_AAAAAAAAAA", 150_000, MON);
        bankDay(MON, 0, credit("b1", 150_000, MON, "po_AAAAAAAAAA", "STRIPE"));
        long thursday = CAL.startOf(MON.plusDays(3)).toEpochMilli();
        matcher.onTime(thursday);
        matcher.onAction(
                action("bank:" + ACCOUNT + ":b1", "reject", java.util.Map.of(), thursday + DAYS),
                thursday);
        assertEquals(1, records.size());
        matcher.onTime(thursday + DAYS);
        assertEquals("REJECTED", last().getStatus().name());
    }

    static final long DAYS = Duration.ofDays(1).toMillis();

    @Test
    void malformedActionsAreRefusedWithTheReason() {
        var e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class,
                        () -> MatchAction.of(action("m", "write_off", java.util.Map.of(), 0)));
        assertTrue(e.getMessage().contains("reason"), e.getMessage());
        assertThrows(() -> MatchAction.of(action("m", "merge", java.util.Map.of(), 0)));
        assertThrows(() -> MatchAction.of(action("m", "match", java.util.Map.of(), 0)));
    }

    static void assertThrows(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }
}
