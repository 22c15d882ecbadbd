package io.treso.benchmarks;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DeadLetter;
import io.treso.event.StatementKind;
import io.treso.jobs.position.AccountBook;
import io.treso.jobs.position.InMemoryAccountStore;
import io.treso.jobs.position.PositionOutput;
import io.treso.jobs.position.ThresholdRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
 * The position domain logic alone: a business day of bank lines, then the statement that checks
 * them and walks LOW_BALANCE, on an in-memory store (the Flink shell adds RocksDB on top).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccountBookBenchmark {
    static final int LINES_PER_DAY = 200;
    static final String ACCOUNT = "FR7630006000011234567890189";

    private List<BankTransaction> lines;
    private List<ThresholdRule> rules;
    private BusinessCalendar calendar;
    private int day;

    @Setup(Level.Iteration)
    public void setUp() {
        calendar = BusinessCalendar.target(ZoneOffset.UTC);
        rules = new ArrayList<>();
        ThresholdRule r = new ThresholdRule();
        r.eventId = "t";
        r.scope = ACCOUNT;
        r.version = 1;
        r.thresholdMinor = 1_000_000;
        r.marginMinor = 100_000;
        rules.add(r);
        lines = new ArrayList<>();
        Instant t0 = Instant.parse("2026-03-17T08:00:00Z");
        for (int i = 0; i < LINES_PER_DAY; i++) {
            lines.add(
                    BankTransaction.newBuilder()
                            .setEventId(ACCOUNT + ":L" + i)
                            .setBookedAt(t0.plusSeconds(i * 60L))
                            .setAccountId(ACCOUNT)
                            .setAmountMinor(i % 2 == 0 ? -1_500_000 : 1_500_000)
                            .setCurrency("EUR")
                            .setStatus(BankEntryStatus.BOOKED)
                            .setStatementId("S2")
                            .build());
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES_PER_DAY + 2)
    public void aDayOfLines(Blackhole bh) {
        InMemoryAccountStore store = new InMemoryAccountStore();
        AccountBook book =
                new AccountBook(
                        store,
                        new Sink(bh),
                        1,
                        Duration.ofDays(400).toMillis(),
                        calendar,
                        Long.MAX_VALUE);
        book.onStatement(
                statement("S1", 1, "2026-03-16T00:00:00Z", "2026-03-17T00:00:00Z", 2_000_000, 0, 0),
                rules);
        for (BankTransaction l : lines) {
            book.onBankLine(l, rules);
        }
        book.onStatement(
                statement(
                        "S2",
                        2,
                        "2026-03-17T00:00:00Z",
                        "2026-03-18T00:00:00Z",
                        2_000_000,
                        0,
                        LINES_PER_DAY),
                rules);
        day++;
    }

    private static BankStatement statement(
            String id, long seq, String from, String to, long opening, long sum, int count) {
        return BankStatement.newBuilder()
                .setEventId(ACCOUNT + ":" + id)
                .setAccountId(ACCOUNT)
                .setKind(StatementKind.END_OF_DAY)
                .setStatementId(id)
                .setSequence(seq)
                .setPeriodStart(Instant.parse(from))
                .setPeriodEnd(Instant.parse(to))
                .setCurrency("EUR")
                .setOpeningBalanceMinor(opening)
                .setClosingBalanceMinor(opening + sum)
                .setEntryCount(count)
                .setEntrySumMinor(sum)
                .build();
    }

    private static final class Sink implements PositionOutput {
        private final Blackhole bh;

        Sink(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void position(CashPosition p) {
            bh.consume(p);
        }

        @Override
        public void alert(CashAlert a) {
            bh.consume(a);
        }

        @Override
        public void refused(DeadLetter deadLetter) {
            bh.consume(deadLetter);
        }

        @Override
        public void wakeAt(long eventTime) {}
    }
}
