package io.treso.connectors.kafka;

import io.treso.schemas.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates Treso's topics. Positions and control are compacted: positions keep the last per scope,
 * and control keys (kind + scope + effective_at) keep every version.
 */
public final class TopicAdmin {
    private TopicAdmin() {}

    /**
     * The input topics that do not exist yet, so a producer can say so at once instead of timing
     * out on metadata. Fails with a clear message when the broker does not answer in time.
     */
    public static List<String> missingInputs(
            String bootstrap, TresoTopics topics, java.time.Duration timeout) {
        return missingInputs(bootstrap, Map.of(), topics, timeout);
    }

    /** The same, with the deployment's Kafka client properties (SASL, TLS). */
    public static List<String> missingInputs(
            String bootstrap,
            Map<String, String> client,
            TresoTopics topics,
            java.time.Duration timeout) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(p)) {
            Set<String> existing =
                    admin.listTopics()
                            .names()
                            .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>();
            for (String t : topics.inputTopics()) if (!existing.contains(t)) missing.add(t);
            return missing;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (root instanceof org.apache.kafka.common.config.ConfigException) {
                // Kafka masks password-type values in this message.
                throw new IllegalArgumentException(
                        "the Kafka client settings were refused: " + root.getMessage(), e);
            }
            throw new IllegalStateException(
                    "Kafka at "
                            + bootstrap
                            + " did not answer within "
                            + timeout.toSeconds()
                            + " s",
                    e);
        }
    }

    /**
     * The controller acknowledges a creation before every broker's metadata lists the topic, so a
     * client that asks at once (a producer checking its topics) could be told they do not exist.
     */
    private static void awaitListed(Admin admin, List<NewTopic> created) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Set<String> listed = admin.listTopics().names().get();
            if (created.stream().allMatch(t -> listed.contains(t.name()))) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("created topics are not listed after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The topic configuration each record type needs; compose's and Helm's topic set-up are checked
     * against it. Control, positions and daily positions are compacted (the latest per key is what
     * counts: a daily position's key is its scope and date, so every day stays); other inputs keep
     * everything, because they carry event time as their timestamp and Kafka's time retention
     * counts from it: a back-fill from last spring would be deleted on arrival.
     */
    public static Map<String, String> configs(EventType t) {
        if (t == EventType.POSITION || t == EventType.DAILY_POSITION || t == EventType.CONTROL) {
            return Map.of("cleanup.policy", "compact");
        }
        return t.isInput() ? Map.of("retention.ms", "-1") : Map.of();
    }

    public static void createAll(String bootstrap, TresoTopics topics, int partitions) {
        createAll(bootstrap, Map.of(), topics, partitions);
    }

    /** The same, with the deployment's Kafka client properties (SASL, TLS). */
    public static void createAll(
            String bootstrap, Map<String, String> client, TresoTopics topics, int partitions) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> create = new ArrayList<>();
            for (EventType t : EventType.values()) {
                if (t.defaultTopic() == null || existing.contains(topics.of(t))) continue;
                create.add(new NewTopic(topics.of(t), partitions, (short) 1).configs(configs(t)));
            }
            if (!create.isEmpty()) {
                admin.createTopics(create).all().get();
                awaitListed(admin, create);
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot create topics on " + bootstrap + ": " + e.getMessage(), e);
        }
    }
}
