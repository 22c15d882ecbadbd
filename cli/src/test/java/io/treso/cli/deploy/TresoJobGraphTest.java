package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.kafka.SharedKafka;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.TresoJob;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.metrics.MetricsSink;
import io.treso.jobs.runtime.FlinkSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster job's graph: every operator has a stable uid, and the set equals the checked-in list
 * {@code deploy/operator-uids.txt}, so a rename that would orphan savepoint state fails the build;
 * the deployment's Kafka client properties (SASL, TLS) reach every source and sink.
 */
@ExtendWith(SharedKafka.class)
class TresoJobGraphTest {
    private static TresoTopics topics;
    private static String suffix;

    @BeforeAll
    static void topics() {
        suffix = "-jobgraph-" + System.nanoTime();
        topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(SharedKafka.bootstrap(), topics, 2);
    }

    private static StreamExecutionEnvironment graph(Map<String, String> extra) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.base("rocksdb"));
        env.setParallelism(2);
        java.util.Map<String, String> values = new java.util.HashMap<>(extra);
        values.put("treso.kafka.bootstrap-servers", SharedKafka.bootstrap());
        values.put("treso.registry.url", SharedKafka.registryUrl());
        values.put("treso.topics.suffix", suffix);
        TresoJob.build(env, JobConfig.of(values));
        return env;
    }

    @Test
    void everyOperatorHasTheUidTheSavepointsKnow() throws Exception {
        StreamGraph graph = graph(Map.of()).getStreamGraph();
        List<String> missing = new ArrayList<>();
        TreeSet<String> uids = new TreeSet<>();
        List<String> twice = new ArrayList<>();
        for (StreamNode n : graph.getStreamNodes()) {
            if (n.getTransformationUID() == null) {
                missing.add(n.getOperatorName());
            } else if (!uids.add(n.getTransformationUID())) {
                twice.add(n.getTransformationUID());
            }
        }
        assertTrue(missing.isEmpty(), "operators without a uid: " + missing);
        assertTrue(twice.isEmpty(), "uids given to two operators: " + twice);
        // Flink's own check: the job graph refuses colliding uid hashes.
        graph.getJobGraph();
        TreeSet<String> expected = new TreeSet<>(checkedIn());
        assertEquals(
                expected,
                uids,
                "operator uids changed: a savepoint's state under a removed uid is orphaned. If that"
                        + " is deliberate, update cli/src/test/resources/deploy/operator-uids.txt and"
                        + " say so in the README's upgrade notes.\nadded: "
                        + minus(uids, expected)
                        + "\nremoved: "
                        + minus(expected, uids));
    }

    @Test
    void kafkaClientPropertiesReachEverySourceAndSink() throws Exception {
        StreamExecutionEnvironment env =
                graph(
                        Map.of(
                                "treso.kafka.client.ssl.endpoint.identification.algorithm",
                                "https",
                                "treso.kafka.client.client.dns.lookup",
                                "use_all_dns_ips"));
        int sources = 0;
        int sinks = 0;
        int metricSinks = 0;
        for (Transformation<?> t : all(env.getTransformations())) {
            if (t instanceof SourceTransformation<?, ?, ?> s) {
                Method m = s.getSource().getClass().getDeclaredMethod("getConfiguration");
                m.setAccessible(true);
                Configuration c = (Configuration) m.invoke(s.getSource());
                assertEquals(
                        "https",
                        c.toMap().get("ssl.endpoint.identification.algorithm"),
                        "source " + t.getName());
                assertEquals("read_committed", c.toMap().get("isolation.level"));
                sources++;
            }
            if (t instanceof SinkTransformation<?, ?> s && s.getSink() instanceof KafkaSink) {
                Method m = s.getSink().getClass().getDeclaredMethod("getKafkaProducerConfig");
                m.setAccessible(true);
                Properties p = (Properties) m.invoke(s.getSink());
                assertEquals(
                        "use_all_dns_ips",
                        p.getProperty("client.dns.lookup"),
                        "sink " + t.getName());
                sinks++;
            }
            if (t instanceof SinkTransformation<?, ?> s && s.getSink() instanceof MetricsSink) {
                metricSinks++;
            }
        }
        assertEquals(
                3,
                metricSinks,
                "the boards' sinks: positions, forecast and dead letters (alerts end in a function)");
        assertEquals(2, sources, "the data and control sources");
        assertEquals(
                6,
                sinks,
                "positions, daily positions, alerts, reconciliation, forecast, dead letters");
    }

    private static List<Transformation<?>> all(List<Transformation<?>> roots) {
        List<Transformation<?>> out = new ArrayList<>();
        java.util.ArrayDeque<Transformation<?>> todo = new java.util.ArrayDeque<>(roots);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (!seen.add(t.getId())) continue;
            out.add(t);
            todo.addAll(t.getInputs());
        }
        return out;
    }

    private static List<String> checkedIn() throws IOException {
        try (InputStream in =
                TresoJobGraphTest.class.getResourceAsStream("/deploy/operator-uids.txt")) {
            assertFalse(in == null, "deploy/operator-uids.txt is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }
    }

    private static TreeSet<String> minus(TreeSet<String> a, TreeSet<String> b) {
        TreeSet<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
