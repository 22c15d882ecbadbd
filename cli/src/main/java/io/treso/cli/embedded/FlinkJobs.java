package io.treso.cli.embedded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the CLI watches of a running job: whether it died, and whether it has caught up. */
public final class FlinkJobs {
    private FlinkJobs() {}

    /**
     * Null while the job runs; once it has stopped for good (its restarts spent), what stopped it,
     * so a command says so and exits non-zero instead of printing "Still running".
     */
    public static String stopped(JobClient job) throws Exception {
        JobStatus status;
        try {
            status = job.getJobStatus().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | IllegalStateException e) {
            // The cluster that ran it has shut down: so has the job.
            return "the Flink job stopped: its cluster is gone (" + rootOf(e) + ")";
        }
        if (!status.isGloballyTerminalState()) {
            return null;
        }
        String cause = "";
        try {
            job.getJobExecutionResult().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            cause = ": " + rootOf(e);
        } catch (TimeoutException e) {
            cause = "";
        }
        return "the Flink job stopped: " + status + cause;
    }

    /**
     * Whether consumer {@code group} has committed (on a checkpoint, so its outputs are committed
     * too) past every record now in {@code topics}.
     */
    public static boolean caughtUp(Admin admin, String group, List<String> topics)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get()
                .forEach(
                        (topic, d) ->
                                d.partitions()
                                        .forEach(
                                                i ->
                                                        latest.put(
                                                                new TopicPartition(
                                                                        topic, i.partition()),
                                                                OffsetSpec.latest())));
        var ends = admin.listOffsets(latest).all().get();
        for (var e : ends.entrySet()) {
            long end = e.getValue().offset();
            OffsetAndMetadata c = committed.get(e.getKey());
            if (end > 0 && (c == null || c.offset() < end)) {
                return false;
            }
        }
        return true;
    }

    static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root;
    }
}
