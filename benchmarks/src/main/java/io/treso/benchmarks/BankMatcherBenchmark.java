package io.treso.benchmarks;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.ReconciliationRecord;
import io.treso.event.StatementKind;
import io.treso.jobs.reconciliation.BankMatcher;
import io.treso.jobs.reconciliation.FxRates;
import io.treso.jobs.reconciliation.InMemoryMatchStore;
import io.treso.jobs.reconciliation.MatchingRules;
import io.treso.jobs.reconciliation.Obligations;
import io.treso.jobs.reconciliation.PayoutFacts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The matching rules alone: one account's business day of PSP payouts and the credits that settle
 * them (70 % named by payout id, 10 % by a cut reference, 20 % by amount only), decided on an
 * in-memory store. Operations are credits decided.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BankMatcherBenchmark {
    static final int CREDITS = 200;
    static final String ACCOUNT = "FR7630006000011234567890189";
    static final LocalDate DAY = LocalDate.parse("2026-03-17");

    private List<PayoutFacts> payouts;
    private List<BankTransaction> credits;
    private BankStatement statement;
    private BusinessCalendar calendar;

    @Setup(Level.Iteration)
    public void setUp() {
        calendar = BusinessCalendar.target(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(7);
        payouts = new ArrayList<>();
        credits = new ArrayList<>();
        long paidAt = calendar.startOf(DAY).toEpochMilli() + 5 * 3_600_000L;
        for (int i = 0; i < CREDITS; i++) {
            String id = String.format("po_%010d", 1_000_000_000L + random.nextInt(900_000_000));
            long net = 10_000 + random.nextInt(5_000_000);
            PayoutFacts f = new PayoutFacts();
            f.eventId = "stripe:" + id + ":PAID";
            f.payoutId = id;
            f.psp = "STRIPE";
            f.storeId = "store-" + (i % 40);
            f.status = "PAID";
            f.occurredAt = paidAt;
            f.netMinor = net;
            f.currency = "EUR";
            f.arrivalDay = DAY.toEpochDay();
            f.destinationAccountId = ACCOUNT;
            f.descriptor = "STRIPE " + id;
            payouts.add(f);
            String reference =
                    i % 10 < 7 ? "STRIPE " + id : i % 10 == 7 ? id.substring(0, 10) : "TRANSFER";
            credits.add(
                    BankTransaction.newBuilder()
                            .setEventId(ACCOUNT + ":B" + i)
                            .setBookedAt(Instant.ofEpochMilli(paidAt + 4 * 3_600_000L + i * 1_000L))
                            .setValueDate(DAY)
                            .setAccountId(ACCOUNT)
                            .setAmountMinor(net)
                            .setCurrency("EUR")
                            .setStatus(BankEntryStatus.BOOKED)
                            .setCounterpartyName("STRIPE")
                            .setReference(reference)
                            .setBankReference("B" + i)
                            .setStatementId("S1")
                            .build());
        }
        statement =
                BankStatement.newBuilder()
                        .setEventId(ACCOUNT + ":S1")
                        .setAccountId(ACCOUNT)
                        .setKind(StatementKind.END_OF_DAY)
                        .setStatementId("S1")
                        .setSequence(1)
                        .setPeriodStart(calendar.startOf(DAY))
                        .setPeriodEnd(calendar.startOf(DAY.plusDays(1)))
                        .setCurrency("EUR")
                        .setOpeningBalanceMinor(0L)
                        .setClosingBalanceMinor(0L)
                        .setAvailableBalanceMinor(null)
                        .setEntryCount(CREDITS)
                        .setEntrySumMinor(0)
                        .build();
    }

    @Benchmark
    @OperationsPerInvocation(CREDITS)
    public void decideADayOfCredits(Blackhole bh) {
        BankMatcher m =
                new BankMatcher(
                        ACCOUNT,
                        new InMemoryMatchStore(),
                        List.of(MatchingRules.defaults()),
                        FxRates.NONE,
                        Obligations.NONE,
                        calendar,
                        List.of(),
                        1,
                        Long.MAX_VALUE,
                        new BankMatcher.Sink() {
                            @Override
                            public void record(ReconciliationRecord r) {
                                bh.consume(r);
                            }

                            @Override
                            public void alert(CashAlert a) {
                                bh.consume(a);
                            }

                            @Override
                            public void position(CashPosition p) {
                                bh.consume(p);
                            }
                        },
                        bh::consume);
        for (PayoutFacts p : payouts) m.onPayout(p);
        for (BankTransaction c : credits) m.onBankLine(c, Long.MIN_VALUE);
        m.onStatement(statement, Long.MIN_VALUE);
        m.onTime(Long.MAX_VALUE);
    }
}
