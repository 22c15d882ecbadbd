package io.treso.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.schemas.registry.RegistryEndpoint;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shape of the Kafka job: the first steps on orders run in the decoder's task (chained), not
 * behind a network exchange. A union with the control topic's decoder once broke the chain, and
 * every order was serialised once per consumer just to be filtered.
 */
@ExtendWith(SharedKafka.class)
class KafkaRuntimeGraphTest {
    @Test
    void orderStepsRunInTheDecodersTask() throws Exception {
        String bootstrap = SharedKafka.bootstrap();
        String suffix = "-graph-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.base("rocksdb"));
        env.setParallelism(2);
        KafkaRuntime.build(
                env,
                new KafkaRuntime.Settings(
                        bootstrap,
                        RegistryEndpoint.of(SharedKafka.registryUrl()),
                        topics,
                        "graph",
                        suffix,
                        true,
                        Long.MAX_VALUE,
                        DeliveryGuarantee.EXACTLY_ONCE),
                TresoOptions.defaults(),
                List.of(),
                UnaryOperator.identity());
        List<String> tasks =
                StreamSupport.stream(
                                env.getStreamGraph().getJobGraph().getVertices().spliterator(),
                                false)
                        .map(JobVertex::getName)
                        .toList();
        String decoder =
                tasks.stream()
                        .filter(n -> n.contains("decode decode-data"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no data decoder in " + tasks));
        for (String step : List.of("order facts", "sales and refunds", "store activity")) {
            assertTrue(decoder.contains(step), step + " is not chained to the decoder: " + decoder);
        }
    }
}
