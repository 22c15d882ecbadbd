package io.treso.cli.bench;

import io.treso.connectors.kafka.KafkaInputs;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.source.SourceRecord;
import io.treso.jobs.input.InputGate;
import io.treso.jobs.input.WireDecoderFactory;
import io.treso.schemas.registry.RegistryEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The ceiling: plain KafkaConsumers, one thread per source reader, reading the same topics with
 * tuned fetches and decoding every record with the pipeline's own decoder, and no Flink.
 */
final class CeilingReader {
    private CeilingReader() {}

    /** Records per second over all input partitions, with {@code threads} consumers. */
    static double run(String bootstrap, RegistryEndpoint registry, TresoTopics topics, int threads)
            throws Exception {
        List<TopicPartition> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> meta =
                new KafkaConsumer<>(TopicReader.consumerProperties(bootstrap))) {
            for (String t : topics.inputTopics()) {
                meta.partitionsFor(t, Duration.ofSeconds(30))
                        .forEach(i -> all.add(new TopicPartition(t, i.partition())));
            }
        }
        AtomicLong count = new AtomicLong();
        // Timed like the pipelines: from the first record read to the last decoded, so consumer
        // start-up (metadata, seeks) is not counted on either side.
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < threads; w++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int i = w; i < all.size(); i += threads) mine.add(all.get(i));
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    count.addAndGet(
                                            consume(
                                                    bootstrap, registry, topics, mine, first,
                                                    last));
                                } catch (Throwable e) {
                                    failures.add(e);
                                }
                            },
                            "ceiling-" + w);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) t.join();
        if (!failures.isEmpty())
            throw new IllegalStateException("ceiling reader failed", failures.get(0));
        double seconds = (last.get() - first.get()) / 1e9;
        return count.get() / seconds;
    }

    private static long consume(
            String bootstrap,
            RegistryEndpoint registry,
            TresoTopics topics,
            List<TopicPartition> parts,
            AtomicLong first,
            AtomicLong last) {
        Properties p = TopicReader.consumerProperties(bootstrap);
        p.putAll(KafkaInputs.fetchTuning());
        InputGate.Decoder decoder = new WireDecoderFactory(registry, topics).create();
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                var records = c.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) first.accumulateAndGet(System.nanoTime(), Math::min);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    decoder.decode(
                            new SourceRecord(
                                    r.topic(),
                                    r.partition(),
                                    r.offset(),
                                    false,
                                    r.timestamp(),
                                    r.value()));
                    n++;
                }
            }
            last.accumulateAndGet(System.nanoTime(), Math::max);
        }
        return n;
    }
}
