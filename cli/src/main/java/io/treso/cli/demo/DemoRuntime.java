package io.treso.cli.demo;

import io.treso.cli.embedded.EmbeddedKafka;
import io.treso.cli.embedded.TempDirs;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.kafka.TresoTopics;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.event.CashPosition;
import io.treso.event.ControlCommand;
import io.treso.event.DeadLetter;
import io.treso.event.ForecastPoint;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.alert.Alerts;
import io.treso.jobs.config.TresoOptions;
import io.treso.jobs.reconciliation.BankMatcher;
import io.treso.jobs.reconciliation.OpenItems;
import io.treso.jobs.reconciliation.PspLedger;
import io.treso.jobs.runtime.FlinkSettings;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.schemas.EventType;
import io.treso.schemas.registry.EmbeddedSchemaRegistry;
import io.treso.schemas.registry.RegistryEndpoint;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The whole system in one JVM: a Kafka broker, the schema registry, a Flink MiniCluster with
 * RocksDB and exactly-once sinks, the simulator publishing through the production registry path,
 * and a printer of committed alerts. Each part can be given instead (an existing bootstrap,
 * registry or Flink environment), so tests reuse theirs.
 */
public final class DemoRuntime implements AutoCloseable {
    /** What to run. {@code speed} is simulated seconds per wall second; 0 publishes at once. */
    public record Options(
            int days,
            long seed,
            int stores,
            double speed,
            int metricsPort,
            Duration checkpointInterval,
            int parallelism,
            String bootstrap,
            String registryUrl,
            String topicSuffix,
            SimulatorConfig.Profile profile) {}

    /** Makes the Flink environment for a configuration: a local MiniCluster, or a test's. */
    public interface FlinkEnvironments {
        StreamExecutionEnvironment create(Configuration conf);
    }

    private final Options options;
    private final PrintStream out;
    private final TresoTopics topics;
    private Path workDir;
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registryServer;
    private String bootstrap;
    private RegistryEndpoint registry;
    private JobClient job;
    private AlertPrinter printer;
    private Thread printerThread;
    private Thread publisherThread;
    private volatile Throwable publisherFailure;
    private volatile boolean published;
    private ShopSimulator.Output sim;
    private long heartbeats;
    private volatile boolean closed;
    private io.treso.jobs.notify.NotifySettings notify;

    /**
     * Also deliver the alerts to webhooks ({@code --slack-webhook}): call before {@link #start}.
     */
    public DemoRuntime withNotifier(io.treso.jobs.notify.NotifySettings settings) {
        this.notify = settings;
        return this;
    }

    public DemoRuntime(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.topics = TresoTopics.withSuffix(options.topicSuffix());
    }

    public void start(FlinkEnvironments flink) throws Exception {
        start(flink, UnaryOperator.identity());
    }

    /** Starts everything and returns once the job runs and events flow. */
    public void start(
            FlinkEnvironments flink,
            UnaryOperator<List<? extends org.apache.avro.specific.SpecificRecord>> events)
            throws Exception {
        workDir = Files.createTempDirectory("treso-demo-");
        if (options.bootstrap() == null) {
            kafka = EmbeddedKafka.start();
            bootstrap = kafka.bootstrapServers();
        } else {
            bootstrap = options.bootstrap();
        }
        if (options.registryUrl() == null) {
            registryServer = EmbeddedSchemaRegistry.start(0);
            registry = RegistryEndpoint.of(registryServer.url());
        } else {
            registry = RegistryEndpoint.of(options.registryUrl());
        }
        TopicAdmin.createAll(bootstrap, topics, 2);
        out.printf("Kafka bootstrap: %s%nSchema registry: %s%n", bootstrap, registry.url());

        sim =
                ShopSimulator.run(
                        SimulatorConfig.of(options.seed(), options.days(), options.stores())
                                .withProfile(options.profile()));
        List<? extends org.apache.avro.specific.SpecificRecord> toPublish =
                events.apply(sim.events());
        // Rules first, so the job reads them before data flows.
        try (EventPublisher publisher =
                new EventPublisher(bootstrap, registry.client(), topics, "demo-controls")) {
            toPublish.stream().filter(e -> e instanceof ControlCommand).forEach(publisher::publish);
        }
        List<ControlCommand> seeds =
                KafkaRuntime.readControl(bootstrap, registry, topics.of(EventType.CONTROL));

        Configuration conf =
                FlinkSettings.checkpointed(
                        "rocksdb",
                        options.checkpointInterval(),
                        workDir.resolve("checkpoints").toUri().toString());
        if (options.metricsPort() > 0) {
            conf.setString(
                    "metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", Integer.toString(options.metricsPort()));
        }
        // Flink's scratch space inside ours, so closing removes every temporary file.
        FlinkSettings.scratchIn(conf, workDir);
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("restart-strategy.fixed-delay.delay", "2 s");
        StreamExecutionEnvironment env = flink.create(conf);
        env.configure(conf);
        env.setParallelism(options.parallelism());
        KafkaRuntime.build(
                env,
                KafkaRuntime.Settings.live(bootstrap, registry, topics)
                        .withSuffix(options.topicSuffix()),
                TresoOptions.defaults(),
                seeds,
                UnaryOperator.identity());
        if (notify != null) {
            // In the same job: it reads the alerts the pipelines commit, as a deployed notifier
            // does.
            io.treso.jobs.notify.NotifyJob.build(
                    env,
                    new io.treso.jobs.notify.NotifyJob.Settings(
                            bootstrap,
                            Map.of(),
                            registry,
                            topics,
                            "demo" + options.topicSuffix(),
                            false),
                    notify,
                    UnaryOperator.identity());
        }
        job = env.executeAsync("treso demo");

        printer = new AlertPrinter(bootstrap, registry, topics.of(EventType.ALERT), out);
        printerThread = new Thread(printer, "treso-alert-printer");
        printerThread.setDaemon(true);
        printerThread.start();

        List<? extends org.apache.avro.specific.SpecificRecord> data =
                toPublish.stream().filter(e -> !(e instanceof ControlCommand)).toList();
        publisherThread = new Thread(() -> publish(data), "treso-demo-publisher");
        publisherThread.setDaemon(true);
        publisherThread.start();
        out.printf(
                "Publishing %,d simulated events (%d days, %d stores, seed %d)%s...%n",
                data.size(),
                options.days(),
                options.stores(),
                options.seed(),
                options.speed() > 0 ? String.format(" at %.0fx real time", options.speed()) : "");
    }

    private void publish(List<? extends org.apache.avro.specific.SpecificRecord> data) {
        try (EventPublisher publisher =
                new EventPublisher(bootstrap, registry.client(), topics, "simulator")) {
            io.treso.cli.embedded.PacedPublishing.publish(publisher, data, options.speed());
            if (Thread.currentThread().isInterrupted()) return;
            heartbeats = Math.max(0, countHeartbeats(publisher));
            published = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            publisherFailure = t;
        }
    }

    private long countHeartbeats(EventPublisher p) {
        return p.heartbeats();
    }

    /** Waits until every event is published and the job has committed past all of it. */
    public void awaitCaughtUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String group =
                KafkaRuntime.groupId(
                        KafkaRuntime.Settings.live(bootstrap, registry, topics)
                                .withSuffix(options.topicSuffix()));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            while (true) {
                if (publisherFailure != null) {
                    throw new IllegalStateException(
                            "publishing failed: " + publisherFailure.getMessage(),
                            publisherFailure);
                }
                String stopped = jobStopped();
                if (stopped != null) {
                    throw new IllegalStateException(stopped);
                }
                if (published && caughtUp(admin, group)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the job did not catch up within " + timeout);
                }
                Thread.sleep(250);
            }
        }
        // Outputs commit with the checkpoint that committed the offsets; let the printer drain.
        Thread.sleep(options.checkpointInterval().toMillis() * 2 + 500);
    }

    /**
     * Null while the Flink job runs; once it has stopped for good (its restarts spent), what
     * stopped it, so the demo says so and exits non-zero instead of printing "Still running".
     */
    public String jobStopped() throws Exception {
        return io.treso.cli.embedded.FlinkJobs.stopped(job);
    }

    /** The running job, for tests that stop it under the demo's feet. */
    JobClient job() {
        return job;
    }

    private boolean caughtUp(Admin admin, String group) throws Exception {
        return io.treso.cli.embedded.FlinkJobs.caughtUp(admin, group, topics.inputTopics());
    }

    /** The closing summary: events, dead letters, final positions, alerts by type. */
    public Summary summary() {
        List<DeadLetter> dead =
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.DEAD_LETTER), DeadLetter.class);
        Map<String, CashPosition> last = new TreeMap<>();
        for (CashPosition p :
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.POSITION), CashPosition.class)) {
            last.put(p.getScope() + "|" + p.getCurrency(), p);
        }
        List<ReconciliationRecord> records =
                TopicReader.readAll(
                        bootstrap,
                        registry,
                        topics.of(EventType.RECONCILIATION),
                        ReconciliationRecord.class);
        List<ForecastPoint> forecast =
                TopicReader.readAll(
                        bootstrap, registry, topics.of(EventType.FORECAST), ForecastPoint.class);
        return new Summary(
                sim.events().size(),
                heartbeats,
                dead,
                List.copyOf(last.values()),
                records,
                forecast,
                printer.alerts(),
                printer.byType(),
                printer.firstAlertAt());
    }

    /** What the demo did. */
    public record Summary(
            int events,
            long heartbeats,
            List<DeadLetter> deadLetters,
            List<CashPosition> positions,
            List<ReconciliationRecord> reconciliation,
            List<ForecastPoint> forecast,
            List<io.treso.event.CashAlert> alerts,
            Map<String, long[]> alertsByType,
            long firstAlertAtMillis) {

        void printForecast(PrintStream out) {
            String scope = forecastScope(forecast);
            var table =
                    scope == null
                            ? java.util.Optional.<io.treso.cli.forecast.ForecastTable>empty()
                            : io.treso.cli.forecast.ForecastTable.of(
                                    forecast, scope, io.treso.jobs.forecast.ForecastBook.BASE);
            if (table.isEmpty()) {
                out.println(
                        "  forecast:         none yet (one is made at each end-of-day statement)");
                return;
            }
            out.printf(
                    "  forecast:         %,d points; ./treso forecast shows any scope or scenario%n",
                    forecast.size());
            java.io.PrintWriter w = new java.io.PrintWriter(out, true);
            table.get().print(w, null);
        }

        public void print(PrintStream out) {
            out.println();
            out.println("Summary");
            out.printf("  events processed: %,d (+ %,d heartbeats)%n", events, heartbeats);
            Map<String, Long> reasons = new TreeMap<>();
            deadLetters.forEach(d -> reasons.merge(d.getReason(), 1L, Long::sum));
            out.printf(
                    "  dead-lettered:    %d %s%n",
                    deadLetters.size(), reasons.isEmpty() ? "" : reasons);
            out.println("  positions:");
            positions.stream()
                    .filter(
                            p ->
                                    io.treso.cli.report.TreasuryReport.isAccount(p.getScope())
                                            || p.getScope().startsWith("currency:")
                                            || p.getScope().startsWith("base:"))
                    .sorted(Comparator.comparing(CashPosition::getScope))
                    .forEach(
                            p ->
                                    out.printf(
                                            "    %-16s %22s   bank says %s%n",
                                            AlertLine.scope(p.getScope()),
                                            Alerts.money(p.getBalanceMinor(), p.getCurrency()),
                                            p.getBankReportedBalanceMinor() == null
                                                    ? "-"
                                                    : Alerts.money(
                                                            p.getBankReportedBalanceMinor(),
                                                            p.getCurrency())));
            out.println("  what each PSP owes (captured - refunded - paid out):");
            positions.stream()
                    .filter(p -> p.getScope().startsWith(PspLedger.SCOPE_PREFIX))
                    .sorted(Comparator.comparing(CashPosition::getScope))
                    .forEach(
                            p ->
                                    out.printf(
                                            "    %-30s %20s%n",
                                            p.getScope().substring(PspLedger.SCOPE_PREFIX.length()),
                                            Alerts.money(p.getBalanceMinor(), p.getCurrency())));
            long flows =
                    positions.stream()
                            .filter(p -> p.getScope().startsWith(BankMatcher.FLOW))
                            .count();
            long transit =
                    positions.stream().filter(p -> p.getScope().startsWith("transit:")).count();
            out.printf(
                    "    (+ %d daily cash-flow-by-category scopes, flow:<account>:<category>)%n",
                    flows);
            out.printf(
                    "    (+ %d cash-in-transit scopes, estimated: cleared by arrival date + grace)%n",
                    transit);
            out.printf(
                    "    (+ %d running totals per PSP scope for fee and refund rates, psp-captured|refunded|gross|fees:<psp>/<store>/<ccy>)%n",
                    positions.stream().filter(p -> p.getScope().startsWith("psp-")).count());
            out.printf(
                    "    (+ %d receivables and payables aging buckets)%n",
                    positions.stream()
                            .filter(
                                    p ->
                                            p.getScope().startsWith("receivables:")
                                                    || p.getScope().startsWith("payables:"))
                            .count());
            Map<String, Long> latest = new TreeMap<>();
            Map<String, ReconciliationRecord> byMatch = new TreeMap<>();
            reconciliation.forEach(
                    r ->
                            byMatch.merge(
                                    r.getMatchId(),
                                    r,
                                    (a, b) -> b.getRevision() > a.getRevision() ? b : a));
            byMatch.values().forEach(r -> latest.merge(r.getStatus().name(), 1L, Long::sum));
            out.printf(
                    "  reconciliation:   %d matches %s, %d open items (./treso recon open)%n",
                    byMatch.size(), latest, OpenItems.of(reconciliation).size());
            printForecast(out);
            out.println("  alerts:");
            if (alertsByType.isEmpty()) out.println("    none");
            alertsByType.forEach(
                    (type, c) ->
                            out.printf("    %-18s %d firing, %d resolved%n", type, c[0], c[1]));
            if (firstAlertAtMillis > 0) {
                long start = ManagementFactory.getRuntimeMXBean().getStartTime();
                out.printf(
                        "  first alert printed %.1f s after start%n",
                        (firstAlertAtMillis - start) / 1000.0);
            }
        }
    }

    /** The EUR account's 13-week table (the first account's when none is in EUR). */
    private static String forecastScope(List<ForecastPoint> forecast) {
        List<String> scopes = io.treso.cli.forecast.ForecastTable.scopes(forecast);
        return forecast.stream()
                .filter(p -> p.getCurrency().equals("EUR") && !p.getScope().contains(":"))
                .map(ForecastPoint::getScope)
                .sorted()
                .findFirst()
                .orElse(scopes.isEmpty() ? null : scopes.get(0));
    }

    public String bootstrap() {
        return bootstrap;
    }

    /**
     * Writes the treasury report of the run so far, from the output topics, to {@code output};
     * returns its absolute path.
     */
    public java.nio.file.Path writeReport(java.nio.file.Path output) throws java.io.IOException {
        io.treso.cli.report.ReportData data =
                io.treso.cli.report.ReportData.fromKafka(
                        bootstrap, java.util.Map.of(), registry, topics);
        return io.treso.cli.report.ReportHtml.write(
                io.treso.cli.report.TreasuryReport.of(
                        data, null, null, "EUR", "the demo's Kafka topics"),
                java.util.Locale.UK,
                output);
    }

    public RegistryEndpoint registry() {
        return registry;
    }

    public TresoTopics topics() {
        return topics;
    }

    public ShopSimulator.Output simulation() {
        return sim;
    }

    /** Whether {@link #close()} has begun (Ctrl-C): a job cancelled by it did not die. */
    public boolean closing() {
        return closed;
    }

    /**
     * Stops the job, the printer, the publisher, the registry and the broker; removes temp dirs.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (publisherThread != null) publisherThread.interrupt();
        if (printer != null) printer.stop();
        if (job != null) {
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Already finished or failed: nothing to cancel.
            }
        }
        join(publisherThread);
        join(printerThread);
        if (registryServer != null) registryServer.close();
        if (kafka != null) {
            // On Ctrl-C, Kafka's test kit deletes the broker's folder from its own shutdown hook
            // while the broker still flushes into it: a hundred lines of errors about a folder
            // that is being thrown away. The embedded broker's logs go quiet before it stops.
            org.apache.logging.log4j.core.config.Configurator.setLevel(
                    "kafka", org.apache.logging.log4j.Level.OFF);
            org.apache.logging.log4j.core.config.Configurator.setLevel(
                    "org.apache.kafka", org.apache.logging.log4j.Level.OFF);
            try {
                kafka.close();
            } catch (Exception e) {
                out.println("treso: the embedded broker did not stop cleanly: " + e.getMessage());
            }
        }
        TempDirs.deleteRecursively(workDir);
    }

    private static void join(Thread t) {
        if (t == null) return;
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
