package io.treso.cli;

import io.treso.cli.demo.DemoRuntime;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The whole system on a laptop, in one command. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run Kafka, the schema registry, Flink (RocksDB, checkpoints every 2 s, exactly-once sinks)",
            "and the simulator in this JVM; print every committed alert, then a summary. Ctrl-C stops it."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--days",
            defaultValue = "30",
            description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--stores",
            defaultValue = "3",
            description = "Simulated stores (default: ${DEFAULT-VALUE}).")
    int stores;

    @Mixin ProfileOption profile;

    @Option(
            names = "--speed",
            defaultValue = "86400",
            description =
                    "Simulated seconds per wall-clock second; 0 publishes as fast as the pipeline takes it (default: ${DEFAULT-VALUE}, a day per second).")
    double speed;

    @Option(
            names = "--metrics-port",
            defaultValue = "9249",
            description = "Prometheus endpoint port; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--until-stopped",
            description = "Keep running after the simulation, until Ctrl-C.")
    boolean untilStopped;

    @Option(
            names = "--slack-webhook",
            description =
                    "Also post the alerts to this Slack incoming webhook (or TRESO_SLACK_WEBHOOK_URL), grouped and paced as `./treso notify` does.")
    String slackWebhook;

    @Option(
            names = "--report",
            defaultValue = "treso-demo-report.html",
            description =
                    "Where to write the treasury report of the run (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path report;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Checked before anything starts: a bad option must not leave a broker behind.
        usage(days >= 7 && days <= 3660, "--days must be 7 to 3660, got " + days);
        usage(stores >= 1 && stores <= 2000, "--stores must be 1 to 2000, got " + stores);
        usage(speed >= 0 && Double.isFinite(speed), "--speed must be 0 or more, got " + speed);
        usage(
                metricsPort >= 0 && metricsPort <= 65535,
                "--metrics-port must be 0 to 65535, got " + metricsPort);
        PrintStream out = System.out;
        String webhook =
                slackWebhook != null ? slackWebhook : System.getenv("TRESO_SLACK_WEBHOOK_URL");
        io.treso.jobs.notify.NotifySettings notify = null;
        if (webhook != null && !webhook.isBlank()) {
            try {
                notify =
                        io.treso.jobs.notify.NotifySettings.everythingTo(
                                io.treso.jobs.notify.Webhook.of(webhook.strip()),
                                java.util.Map.of(
                                        "treso.notify.group-wait", "PT2S",
                                        "treso.notify.zone", "Europe/Paris"));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(), "--slack-webhook: " + e.getMessage());
            }
        }
        DemoRuntime runtime =
                new DemoRuntime(
                        new DemoRuntime.Options(
                                days,
                                seed,
                                stores,
                                speed,
                                metricsPort,
                                Duration.ofSeconds(2),
                                2,
                                null,
                                null,
                                "",
                                profile.profile),
                        out);
        if (notify != null) {
            runtime.withNotifier(notify);
            out.printf("Alerts also go to %s%n", notify.routes.get(0).webhook);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            out.println("\nStopping...");
                            runtime.close();
                            stopped.countDown();
                        },
                        "treso-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runtime.start(conf -> StreamExecutionEnvironment.createLocalEnvironment(2, conf));
        if (metricsPort > 0) {
            out.printf("Prometheus metrics: http://localhost:%d/metrics%n", metricsPort);
            if (untilStopped) out.print(boardsHowTo(metricsPort));
        }
        out.printf(
                "Change a rule while it runs:%n  ./treso control set LOW_BALANCE_THRESHOLD --scope GB33BUKB20201555555555 "
                        + "--param threshold_minor=20000000 --param currency=USD --param margin_minor=100000 --kafka %s --registry %s%n",
                runtime.bootstrap(), runtime.registry().url());
        out.printf(
                "Dead letters:%n  ./treso dlq list --kafka %s --registry %s%n",
                runtime.bootstrap(), runtime.registry().url());
        out.printf(
                "Positions (latest per scope):%n  ./treso positions --kafka %s --registry %s%n",
                runtime.bootstrap(), runtime.registry().url());
        if (untilStopped) {
            out.printf(
                    "Live webhooks beside it (README: Live intake):%n  TRESO_INTAKE_SHOPIFY_SECRET=demo-secret ./treso intake --port 8088 --kafka %s --registry %s --set treso.intake.shopify.store=store-1%n",
                    runtime.bootstrap(), runtime.registry().url());
        }
        out.println();
        runtime.awaitCaughtUp(Duration.ofMinutes(10));
        runtime.summary().print(out);
        out.printf(
                "%nTreasury report of this run: %s%n  (again, for any period: ./treso report --kafka %s --registry %s --output report.html)%n",
                runtime.writeReport(report), runtime.bootstrap(), runtime.registry().url());
        if (untilStopped) {
            out.println("\nStill running (--until-stopped). Press Ctrl-C to stop.");
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                String death = runtime.jobStopped();
                if (death != null && !runtime.closing()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    runtime.close();
                    throw new IllegalStateException(death);
                }
            }
            return 0;
        }
        if (notify != null) {
            // The last group waits 2 s, then messages go one a second.
            out.println("Letting the notifier deliver the last alerts (10 s)...");
            Thread.sleep(10_000);
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        runtime.close();
        return 0;
    }

    /**
     * How to watch the demo on the boards: a local Prometheus with the demo's config and the rules,
     * and Grafana with the compose stack's provisioning (both read their addresses from the
     * environment). Paths are relative to the checkout, where {@code ./treso} runs.
     */
    static String boardsHowTo(int metricsPort) {
        String target =
                metricsPort == 9249
                        ? ""
                        : String.format(" (edit its target to localhost:%d)", metricsPort);
        return String.format(
                "Boards (README: Observability):%n"
                        + "  prometheus --config.file=docker/prometheus/demo.yml --storage.tsdb.path=/tmp/treso-prometheus%s%n"
                        + "  docker run --rm -p 3000:3000 --add-host=host.docker.internal:host-gateway \\%n"
                        + "    -e PROMETHEUS_URL=http://host.docker.internal:9090 -e TRESO_DASHBOARDS_DIR=/var/lib/grafana/dashboards \\%n"
                        + "    -v \"$PWD/docker/grafana/provisioning:/etc/grafana/provisioning:ro\" \\%n"
                        + "    -v \"$PWD/docker/grafana/dashboards:/var/lib/grafana/dashboards:ro\" grafana/grafana:11.4.0%n"
                        + "  then http://localhost:3000, folder Treso. A Grafana without Docker: PROMETHEUS_URL=http://localhost:9090%n"
                        + "  TRESO_DASHBOARDS_DIR=$PWD/docker/grafana/dashboards grafana-server cfg:paths.provisioning=$PWD/docker/grafana/provisioning%n",
                target);
    }

    private void usage(boolean ok, String message) {
        if (!ok) throw new ParameterException(spec.commandLine(), message);
    }
}
