package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import io.treso.jobs.testing.SharedMiniCluster;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replay's outputs handed over in the JVM: every record arrives as its own copy even when the
 * operator before the sink refills one instance (object reuse is on in every Treso job), and a job
 * whose receiver is gone fails saying why.
 */
class ReplayOutputSinkTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    /** Refills one record for every element, as an operator may under object reuse. */
    static final class OneInstance implements MapFunction<Long, DeadLetter> {
        private transient DeadLetter reused;

        @Override
        public DeadLetter map(Long n) {
            if (reused == null) {
                reused =
                        DeadLetter.newBuilder()
                                .setReason("TEST")
                                .setDetail("")
                                .setErrorClass(ErrorClass.PERMANENT)
                                .setOriginalBytes(ByteBuffer.allocate(0))
                                .build();
            }
            reused.setDetail("record " + n);
            reused.setEventTime(Instant.ofEpochMilli(n));
            return reused;
        }
    }

    static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FlinkSettings.applyJobDefaults(env);
        env.setParallelism(1);
        return env;
    }

    @Test
    void eachRecordArrivesAsItsOwnCopy() throws Exception {
        List<DeadLetter> got = new ArrayList<>();
        try (var receiver = ReplayOutputSink.<DeadLetter>open(got::add)) {
            StreamExecutionEnvironment env = env();
            env.fromSequence(1, 5)
                    .map(new OneInstance())
                    .returns(TypeInformation.of(DeadLetter.class))
                    .sinkTo(receiver.sink());
            env.execute("replay output copies");
            receiver.close();
        }
        List<String> details = new ArrayList<>();
        for (DeadLetter d : got) details.add(d.getDetail() + "@" + d.getEventTime().toEpochMilli());
        assertEquals(
                List.of("record 1@1", "record 2@2", "record 3@3", "record 4@4", "record 5@5"),
                details);
    }

    @Test
    void aJobWhoseReceiverIsGoneFailsSayingWhy() {
        var receiver = ReplayOutputSink.<DeadLetter>open(d -> {});
        receiver.close();
        StreamExecutionEnvironment env = env();
        env.fromSequence(1, 2)
                .map(new OneInstance())
                .returns(TypeInformation.of(DeadLetter.class))
                .sinkTo(receiver.sink());
        Exception e = assertThrows(Exception.class, () -> env.execute("replay output gone"));
        assertTrue(
                ExceptionUtils.findThrowableWithMessage(e, "no replay is waiting").isPresent(),
                () -> ExceptionUtils.stringifyException(e));
    }

    /** Fails its first attempt once it has handed a record over. */
    static final class FailsFirstAttempt
            extends org.apache.flink.api.common.functions.RichMapFunction<Long, Long> {
        @Override
        public Long map(Long n) {
            if (n == 3 && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                throw new IllegalStateException("the first attempt fails");
            }
            return n;
        }
    }

    /**
     * A job allowed to restart (replay itself allows none) must not hand the records before the
     * failure over a second time: the second attempt refuses to start, and the job fails saying so.
     */
    @Test
    void aRestartedAttemptHandsNothingOverTwice() throws Exception {
        List<DeadLetter> got = new ArrayList<>();
        try (var receiver = ReplayOutputSink.<DeadLetter>open(got::add)) {
            StreamExecutionEnvironment env = env();
            org.apache.flink.configuration.Configuration restart =
                    new org.apache.flink.configuration.Configuration();
            restart.setString("restart-strategy.type", "fixed-delay");
            restart.setString("restart-strategy.fixed-delay.attempts", "1");
            restart.setString("restart-strategy.fixed-delay.delay", "10 ms");
            env.configure(restart);
            env.fromSequence(1, 5)
                    .map(new FailsFirstAttempt())
                    .map(new OneInstance())
                    .returns(TypeInformation.of(DeadLetter.class))
                    .sinkTo(receiver.sink());
            Exception e = assertThrows(Exception.class, () -> env.execute("replay restarted"));
            assertTrue(
                    ExceptionUtils.findThrowableWithMessage(e, "do not survive a restart")
                            .isPresent(),
                    () -> ExceptionUtils.stringifyException(e));
            receiver.close();
        }
        List<String> details = new ArrayList<>();
        for (DeadLetter d : got) details.add(d.getDetail());
        assertEquals(List.of("record 1", "record 2"), details);
    }
}
