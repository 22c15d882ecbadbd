package io.treso.cli;

import io.treso.cli.intake.IntakeSenders;
import io.treso.cli.intake.IntakeServer;
import io.treso.connectors.intake.IntakeCounters;
import io.treso.connectors.intake.KafkaWebhookPublisher;
import io.treso.connectors.intake.WebhookIntake;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.jobs.config.IntakeOptions;
import io.treso.jobs.config.JobConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Live webhooks in, canonical events out: Shopify, WooCommerce and Stripe, until Ctrl-C. */
@Command(
        name = "intake",
        mixinStandardHelpOptions = true,
        description = {
            "Receive Shopify, WooCommerce and Stripe webhooks and publish them as canonical events,",
            "until Ctrl-C. Each delivery is answered after Kafka has it (503 while Kafka is away, so",
            "the sender retries). Senders, stores and secrets come from --config (treso.intake.*);",
            "secrets from TRESO_INTAKE_<SENDER>_SECRET. Metrics: GET /metrics."
        })
final class IntakeCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(
            names = "--port",
            defaultValue = "8088",
            description = "Port to listen on (default ${DEFAULT-VALUE}; 0: any free one).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "0.0.0.0",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--config", description = "A properties file (README: Live intake).")
    Path config;

    @Option(names = "--set", description = "Override one config key. Repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--stop-after", hidden = true, description = "Stop after this long (tests).")
    Duration stopAfter;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> keys;
        List<WebhookIntake.SourceSettings> senders;
        try {
            keys = IntakeOptions.of(JobConfig.merge(config, Map.of(), overrides), System.getenv());
            senders = IntakeSenders.of(keys);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Duration timeout = IntakeOptions.KAFKA_TIMEOUT.from(keys);
        try {
            List<String> missing =
                    TopicAdmin.missingInputs(
                            kafka.bootstrap, kafka.client(), kafka.topics(), timeout);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(
                        "topics "
                                + missing
                                + " do not exist on "
                                + kafka.bootstrap
                                + "; start the Treso jobs (they create them) or create them first");
            }
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("did not answer")) throw e;
            // Serve anyway: deliveries are answered 503 until Kafka is back, and nothing is lost.
            spec.commandLine().getErr().println("treso: " + e.getMessage() + "; serving anyway");
        }
        IntakeCounters counters = new IntakeCounters();
        boolean interrupted;
        try (KafkaWebhookPublisher publisher =
                        new KafkaWebhookPublisher(
                                kafka.bootstrap,
                                kafka.client(),
                                kafka.registry().client(),
                                kafka.topics(),
                                IntakeOptions.TRANSACTIONAL_ID.from(keys) + kafka.topicSuffix,
                                timeout);
                IntakeServer server =
                        IntakeServer.start(
                                host,
                                port,
                                new WebhookIntake(
                                        senders,
                                        publisher,
                                        IntakeOptions.DELIVERY_LOG_SIZE.from(keys),
                                        counters,
                                        Clock.systemUTC(),
                                        IntakeOptions.STRIPE_TOLERANCE.from(keys)),
                                counters,
                                IntakeOptions.MAX_BODY_BYTES.from(keys))) {
            out.printf(
                    "Intake on http://%s:%d: %s; publishing to %s. Metrics: /metrics. Ctrl-C stops it.%n",
                    host,
                    server.port(),
                    senders.stream()
                            .map(s -> "/webhooks/" + s.source().id() + " (" + s + ")")
                            .collect(Collectors.joining(", ")),
                    kafka.bootstrap);
            out.flush();
            interrupted = awaitStop();
            out.println("Stopping the intake...");
        }
        if (interrupted) Thread.currentThread().interrupt();
        return 0;
    }

    /** Waits for Ctrl-C (or the test's deadline); true when interrupted, as by an embedder. */
    private boolean awaitStop() {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "treso-intake-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (stopAfter == null) stop.await();
            else stop.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            return true; // stopped by whoever runs us: as Ctrl-C, closing first
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already stopping.
            }
        }
    }
}
