package io.treso.benchmarks;

import io.treso.event.CashAlert;
import io.treso.jobs.variance.Bucket;
import io.treso.jobs.variance.InMemoryScopeStore;
import io.treso.jobs.variance.ScopeVariance;
import io.treso.jobs.variance.VarianceControls;
import io.treso.jobs.variance.VarianceType;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One store bucket judged and learned: the expectations of its four metrics, the sales and refund
 * windows, the episode edges and the baseline update, on an in-memory store warmed with five weeks
 * (the Flink shell adds RocksDB on top). One operation is one bucket end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VarianceBaselineBenchmark {
    static final long HOUR = 3_600_000L;
    static final long T0 = Instant.parse("2026-03-16T00:00:00Z").toEpochMilli();

    private ScopeVariance judge;
    private SplittableRandom random;
    private long hour;
    private Blackhole sink;

    @Setup(Level.Iteration)
    public void setUp(Blackhole bh) {
        sink = bh;
        random = new SplittableRandom(1);
        judge =
                new ScopeVariance(
                        new InMemoryScopeStore(),
                        new ScopeVariance.Out() {
                            @Override
                            public void alert(CashAlert a) {
                                sink.consume(a);
                            }

                            @Override
                            public void z(VarianceType type, double z) {
                                sink.consume(z);
                            }
                        });
        hour = 0;
        for (int i = 0; i < 5 * 7 * 24; i++) next();
    }

    private void next() {
        Bucket b = new Bucket();
        b.family = Bucket.STORE;
        b.scope = "store-1/SHOPIFY";
        b.store = "store-1";
        b.currency = "EUR";
        b.start = T0 + hour * HOUR;
        b.end = b.start + HOUR;
        for (int i = 0; i < 30; i++) {
            long amount = 1_500 + random.nextLong(12_000);
            b.primary += amount;
            b.primarySquares += amount * amount;
            b.primaryCubes += (amount / 100) * (amount / 100) * (amount / 100);
            b.count++;
        }
        if (random.nextInt(4) == 0) {
            b.secondary = 7_500;
            b.secondarySquares = 7_500L * 7_500;
            b.secondaryCount = 1;
        }
        judge.onBucketEnd(b, HOUR, VarianceControls.NONE);
        hour++;
    }

    @Benchmark
    public void bucketEnd() {
        next();
    }
}
