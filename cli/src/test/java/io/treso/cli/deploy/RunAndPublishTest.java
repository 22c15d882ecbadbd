package io.treso.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.cli.TresoCli;
import io.treso.cli.kafka.KafkaOutputs;
import io.treso.cli.kafka.SharedKafka;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./treso publish} and {@code ./treso run} against a running broker (the demo's, here the
 * tests' shared one): a simulated business published through the production path and run by the
 * cluster job's code on a local MiniCluster gives replay's outputs; a bad key or a bad line is one
 * line and a non-zero exit.
 */
@ExtendWith(SharedKafka.class)
class RunAndPublishTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run treso(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TresoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void publishThenRunGivesReplaysOutputs() throws Exception {
        String bootstrap = SharedKafka.bootstrap();
        String registry = SharedKafka.registryUrl();
        String suffix = "-run-" + System.nanoTime();
        TresoTopics topics = TresoTopics.withSuffix(suffix);
        TopicAdmin.createAll(bootstrap, topics, 2);
        // The upgrade tests' business, whose replay is made once per test JVM.
        TwoPeriods business = TwoPeriods.get();
        Path events = dir.resolve("events.jsonl");
        int lines = business.writeBoth(events);

        Run published =
                treso(
                        "publish",
                        "--input",
                        events.toString(),
                        "--kafka",
                        bootstrap,
                        "--registry",
                        registry,
                        "--topic-suffix",
                        suffix);
        assertEquals(0, published.code(), published.err());
        assertTrue(
                published.out().contains(String.format("published %,d events", lines)),
                published.out());

        BackgroundRun run = BackgroundRun.start(bootstrap, registry, suffix);
        run.awaitCaughtUp();
        run.stop();
        KafkaOutputs.read(bootstrap, RegistryEndpoint.of(registry), topics)
                .assertSameAsReplay(business.bothReplay());
    }

    @Test
    void aBadKeyOrLineIsOneLineAndANonZeroExit() throws Exception {
        Run badKey =
                treso(
                        "run",
                        "--kafka",
                        "localhost:1",
                        "--registry",
                        "http://localhost:1",
                        "--set",
                        "treso.job.parallelsm=2");
        assertEquals(2, badKey.code());
        assertTrue(
                badKey.err().startsWith("treso: unknown config key treso.job.parallelsm\n"),
                badKey.err());

        String suffix = "-publish-" + System.nanoTime();
        TopicAdmin.createAll(SharedKafka.bootstrap(), TresoTopics.withSuffix(suffix), 1);
        Path events = dir.resolve("bad.jsonl");
        List<String> lines = new ArrayList<>();
        ShopSimulator.run(SimulatorConfig.of(3, 7, 1)).events().stream()
                .limit(20)
                .forEach(e -> lines.add(EventJson.toLine(e)));
        lines.add(5, "{\"type\":\"order\",\"event_id\":");
        Files.write(events, lines);
        Run published =
                treso(
                        "publish",
                        "--input",
                        events.toString(),
                        "--kafka",
                        SharedKafka.bootstrap(),
                        "--registry",
                        SharedKafka.registryUrl(),
                        "--topic-suffix",
                        suffix);
        assertEquals(1, published.code(), published.out() + published.err());
        assertTrue(published.err().contains("line 6: not JSON"), published.err());
        assertTrue(published.out().contains("published 20 events"), published.out());
        assertTrue(published.out().contains("1 lines refused"), published.out());
    }
}
