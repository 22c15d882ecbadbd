package io.treso.cli.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka 4.x broker (KRaft, combined broker and controller) inside the JVM, with the
 * single-node settings exactly-once sinks need.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        return start(Map.of());
    }

    /**
     * A broker whose client listener speaks TLS only, with the key and certificate of a PKCS12
     * store (which also serves as the broker's own trust store: it talks to itself through that
     * listener). For trying TLS clients against a real broker (the reliability tests, R6).
     */
    public static EmbeddedKafka startTls(Path pkcs12, String password) throws Exception {
        Map<String, String> tls = new LinkedHashMap<>();
        tls.put("ssl.keystore.type", "PKCS12");
        tls.put("ssl.keystore.location", pkcs12.toAbsolutePath().toString());
        tls.put("ssl.keystore.password", password);
        tls.put("ssl.key.password", password);
        tls.put("ssl.truststore.type", "PKCS12");
        tls.put("ssl.truststore.location", pkcs12.toAbsolutePath().toString());
        tls.put("ssl.truststore.password", password);
        // The test kit builds PLAINTEXT or SASL listeners only; its client listener (EXTERNAL,
        // also the inter-broker one) is mapped to SSL here, the controller's stays plain.
        tls.put("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:PLAINTEXT");
        return start(tls);
    }

    private static EmbeddedKafka start(Map<String, String> extra) throws Exception {
        KafkaClusterTestKit.Builder builder =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "4")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "4")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .setConfigProp("log.cleaner.dedupe.buffer.size", "2097152");
        extra.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Takes the broker away (its controller stays), as a broker lost to a network partition or a
     * restart would be; {@link #restartBroker} brings it back on the same port and log directory.
     * For the reliability tests (R5).
     */
    public void stopBroker() {
        cluster.brokers().values().forEach(b -> b.shutdown());
    }

    /** Starts the broker stopped by {@link #stopBroker} again and waits until it serves. */
    public void restartBroker() throws Exception {
        cluster.brokers().values().forEach(b -> b.startup());
        cluster.waitForReadyBrokers();
    }

    /** Stops the broker; a second call does nothing (tests stop it early, then close it). */
    @Override
    public synchronized void close() throws Exception {
        if (!closed) {
            closed = true;
            cluster.close();
        }
    }
}
