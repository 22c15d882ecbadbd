package io.treso.cli.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.cli.demo.DemoRuntime;
import io.treso.cli.kafka.SharedKafka;
import io.treso.cli.notify.SlackServer;
import io.treso.cli.testing.Http;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.jobs.notify.NotifySettings;
import io.treso.jobs.notify.Webhook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The boards against the demo: every panel query of every dashboard reads metrics the running job
 * exports, with the labels it filters on; and, where Debian's {@code prometheus} package is
 * installed, the rules pass {@code promtool} and a real Prometheus scraping the demo answers every
 * panel query with data.
 */
@ExtendWith(SharedKafka.class)
class ObservabilityTest {
    static final Path DOCKER = Path.of("..", "docker");
    static final Path DASHBOARDS = DOCKER.resolve("grafana/dashboards");
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final ObjectMapper JSON = new ObjectMapper();

    static DemoRuntime demo;
    static SlackServer slack;
    static int metricsPort;
    static Path prometheusDir;
    static Process prometheus;
    static String api;
    static long prometheusStarted;

    @BeforeAll
    static void startTheDemo() throws Exception {
        metricsPort = freePort();
        boolean scraped = Files.isExecutable(PROMETHEUS);
        if (scraped) startPrometheus();
        demo =
                new DemoRuntime(
                        new DemoRuntime.Options(
                                30,
                                42,
                                3,
                                // Under a watching Prometheus, the month takes 30 s, so the
                                // boards see it move; without one, it is published at once.
                                scraped ? 86_400 : 0,
                                metricsPort,
                                Duration.ofSeconds(1),
                                2,
                                SharedKafka.bootstrap(),
                                SharedKafka.registryUrl(),
                                "-boards-" + System.nanoTime(),
                                SimulatorConfig.Profile.DEFAULT),
                        new PrintStream(new ByteArrayOutputStream(), true));
        // The notifier too, to a local server playing Slack: its metrics are on the boards.
        slack = new SlackServer("/services/T0/B0/boards");
        demo.withNotifier(
                NotifySettings.everythingTo(
                        Webhook.of(slack.url()), Map.of("treso.notify.group-wait", "PT1S")));
        // Its own local cluster: the metrics reporter is a cluster setting.
        demo.start(conf -> StreamExecutionEnvironment.createLocalEnvironment(2, conf));
        demo.awaitCaughtUp(Duration.ofMinutes(5));
    }

    /** A real Prometheus on a free port, scraping the demo's endpoint with the compose rules. */
    private static void startPrometheus() throws Exception {
        prometheusDir = Files.createTempDirectory("treso-prometheus-");
        int port = freePort();
        Path config = prometheusDir.resolve("prometheus.yml");
        Files.writeString(
                config,
                Files.readString(DOCKER.resolve("prometheus/demo.yml"))
                        .replace("scrape_interval: 5s", "scrape_interval: 2s")
                        .replace("evaluation_interval: 15s", "evaluation_interval: 2s")
                        .replace("localhost:9249", "localhost:" + metricsPort)
                        .replace(
                                "treso-rules.yml",
                                DOCKER.resolve("prometheus/treso-rules.yml")
                                        .toAbsolutePath()
                                        .normalize()
                                        .toString()));
        prometheus =
                new ProcessBuilder(
                                PROMETHEUS.toString(),
                                "--config.file=" + config,
                                "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(prometheusDir.resolve("prometheus.log").toFile())
                        .start();
        api = "http://127.0.0.1:" + port + "/api/v1/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!up(api)) {
            assertTrue(
                    prometheus.isAlive() && System.nanoTime() < deadline,
                    "prometheus did not start: "
                            + Files.readString(prometheusDir.resolve("prometheus.log")));
            Thread.sleep(200);
        }
        prometheusStarted = System.currentTimeMillis();
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) demo.close();
        if (slack != null) slack.close();
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
            org.apache.commons.io.FileUtils.deleteQuietly(prometheusDir.toFile());
        }
    }

    @Test
    void theDashboardsHaveWhatGrafanaNeeds() throws Exception {
        Set<String> uids = new HashSet<>();
        List<Path> files = dashboardFiles();
        assertEquals(4, files.size(), "treasury overview, reconciliation, anomalies, health");
        for (Path f : files) {
            JsonNode d = JSON.readTree(f.toFile());
            String name = f.getFileName().toString();
            assertTrue(d.path("schemaVersion").asInt() >= 36, name + ": a schema version");
            assertTrue(d.path("uid").asText().matches("treso-[a-z-]+"), name + ": a stable uid");
            assertTrue(uids.add(d.path("uid").asText()), name + ": uid given twice");
            Map<String, JsonNode> vars = variables(d);
            assertEquals("datasource", vars.get("datasource").path("type").asText(), name);
            assertEquals("prometheus", vars.get("datasource").path("query").asText(), name);
            if (!name.equals("anomalies.json") && !name.equals("pipeline-health.json")) {
                assertTrue(
                        vars.containsKey("account") && vars.containsKey("currency"),
                        name + ": templating by account and currency");
            }
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.path("panels")) {
                String title = name + " / " + p.path("title").asText();
                assertTrue(ids.add(p.path("id").asInt()), title + ": panel id given twice");
                assertDatasourceIsTheVariable(p.path("datasource"), title);
                assertFalse(p.path("targets").isEmpty(), title + ": no query");
                for (JsonNode t : p.path("targets")) {
                    assertDatasourceIsTheVariable(t.path("datasource"), title);
                }
                assertFalse(
                        p.path("description").asText().isBlank(),
                        title + ": a description says what it shows");
            }
            for (JsonNode v : vars.values()) {
                if (v.path("type").asText().equals("query")) {
                    assertDatasourceIsTheVariable(
                            v.path("datasource"), name + " $" + v.path("name"));
                }
            }
            assertFalse(
                    Files.readString(f).contains("\"uid\": \"prometheus\""),
                    name + ": a hard-coded datasource uid");
        }
        String overview = Files.readString(DASHBOARDS.resolve("treasury-overview.json"));
        assertTrue(overview.contains("low_balance_threshold_minor"), "the LOW_BALANCE line");
        assertTrue(overview.contains("currencyEUR"), "money in its currency");
    }

    @Test
    void everyPanelQueryReadsMetricsTheJobExports() throws Exception {
        Map<String, Set<String>> scraped = scrape();
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (Query q : queries()) {
            queries++;
            for (String p : PromQuery.of(q.expr).problems(scraped)) {
                problems.add(q.where + ": " + p + "\n    " + q.expr);
            }
        }
        System.out.printf(
                "boards: %d queries over %d metrics the demo exports%n", queries, scraped.size());
        assertTrue(queries > 40, "the boards' queries were read: " + queries);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void promtoolAcceptsTheConfigsAndTheRulesPassTheirTests() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(PROMTOOL),
                "promtool not installed (Debian's prometheus package makes this check run)");
        run(PROMTOOL, "check", "config", DOCKER.resolve("prometheus/prometheus.yml"));
        run(PROMTOOL, "check", "config", DOCKER.resolve("prometheus/demo.yml"));
        String rules =
                run(PROMTOOL, "check", "rules", DOCKER.resolve("prometheus/treso-rules.yml"));
        System.out.println("promtool: " + rules.strip().replace('\n', ' '));
        String tests =
                run(PROMTOOL, "test", "rules", DOCKER.resolve("prometheus/treso-rules.test.yml"));
        assertTrue(tests.contains("SUCCESS"), tests);
        // Every rule has a firing case in the tests.
        String testFile = Files.readString(DOCKER.resolve("prometheus/treso-rules.test.yml"));
        Matcher alert =
                Pattern.compile("- alert: (\\w+)")
                        .matcher(Files.readString(DOCKER.resolve("prometheus/treso-rules.yml")));
        while (alert.find()) {
            assertTrue(
                    Pattern.compile(
                                    "alertname: "
                                            + alert.group(1)
                                            + "\\s+exp_alerts:\\s+- exp_labels")
                            .matcher(testFile)
                            .find(),
                    alert.group(1) + " has a unit test where it fires");
        }
    }

    @Test
    void aRealPrometheusScrapingTheDemoAnswersEveryPanel() throws Exception {
        Assumptions.assumeTrue(
                prometheus != null,
                "prometheus not installed (Debian's prometheus package makes this check run)");
        // 30 s of scrapes every 2 s, as a board that has been open a while sees it: enough
        // samples for every rate() window the panels use.
        Thread.sleep(Math.max(0, prometheusStarted + 30_000 - System.currentTimeMillis()));
        JsonNode targets = get(api + "targets").path("data").path("activeTargets");
        assertEquals("up", targets.get(0).path("health").asText(), targets.toString());
        List<String> empty = new ArrayList<>();
        int answered = 0;
        for (Query q : queries()) {
            String expr = q.filled();
            JsonNode r = get(api + "query?query=" + enc(expr));
            assertEquals("success", r.path("status").asText(), q.where + ": " + r);
            if (r.path("data").path("result").isEmpty()) {
                empty.add(q.where + "\n    " + expr);
            } else {
                answered++;
            }
        }
        System.out.printf("prometheus: %d panel and variable queries answered%n", answered);
        assertTrue(empty.isEmpty(), "queries without data:\n" + String.join("\n", empty));

        int rules = 0;
        for (JsonNode g : get(api + "rules").path("data").path("groups")) {
            for (JsonNode rule : g.path("rules")) {
                rules++;
                assertEquals(
                        "ok",
                        rule.path("health").asText(),
                        rule.path("name") + ": " + rule.path("lastError"));
            }
        }
        long inFile =
                Files.readAllLines(DOCKER.resolve("prometheus/treso-rules.yml")).stream()
                        .filter(l -> l.strip().startsWith("- alert:"))
                        .count();
        assertTrue(inFile >= 13, "the rules file has its rules: " + inFile);
        assertEquals(inFile, rules, "every rule of the file is loaded and evaluates");

        // The boards as pictures, from the same answers (the README shows the overview).
        long end = System.currentTimeMillis() / 1000;
        long start = prometheusStarted / 1000;
        for (Path f : dashboardFiles()) {
            Path png =
                    Path.of(
                            "target",
                            "boards",
                            f.getFileName().toString().replace(".json", ".png"));
            BoardPicture.render(
                    JSON.readTree(f.toFile()),
                    expr -> {
                        try {
                            return get(api
                                            + "query_range?query="
                                            + enc(Query.fill(expr))
                                            + "&start="
                                            + start
                                            + "&end="
                                            + end
                                            + "&step=2")
                                    .path("data")
                                    .path("result");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    png);
            assertTrue(Files.size(png) > 10_000, png + " was drawn");
            System.out.println("boards: drew " + png.toAbsolutePath().normalize());
        }
    }

    /** A query of a dashboard: a panel's target or a variable's label_values. */
    record Query(String where, String expr, boolean variable) {
        /** With the variables as a board opens: every variable on All. */
        String filled() {
            return fill(expr);
        }

        static String fill(String expr) {
            return expr.replace("$job", ".*")
                    .replace("$account", ".*")
                    .replace("$currency", ".*")
                    .replace("$scope", ".*");
        }
    }

    static List<Query> queries() throws IOException {
        List<Query> out = new ArrayList<>();
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
        for (Path f : dashboardFiles()) {
            JsonNode d = JSON.readTree(f.toFile());
            String name = f.getFileName().toString();
            for (JsonNode p : d.path("panels")) {
                for (JsonNode t : p.path("targets")) {
                    out.add(
                            new Query(
                                    name
                                            + " / "
                                            + p.path("title").asText()
                                            + " / "
                                            + t.path("refId").asText(),
                                    t.path("expr").asText(),
                                    false));
                }
            }
            for (JsonNode v : variables(d).values()) {
                if (!v.path("type").asText().equals("query")) continue;
                Matcher m = labelValues.matcher(v.path("definition").asText());
                assertTrue(
                        m.matches(),
                        name + " $" + v.path("name") + ": label_values(metric, label)");
                // What label_values asks: the series of the selector that carry the label.
                out.add(
                        new Query(
                                name + " $" + v.path("name").asText(),
                                "count by (" + m.group(2) + ") (" + m.group(1) + ")",
                                true));
            }
        }
        return out;
    }

    static List<Path> dashboardFiles() throws IOException {
        try (var s = Files.list(DASHBOARDS)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    static Map<String, JsonNode> variables(JsonNode dashboard) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            out.put(v.path("name").asText(), v);
        }
        return out;
    }

    private static void assertDatasourceIsTheVariable(JsonNode ds, String where) {
        assertEquals("prometheus", ds.path("type").asText(), where);
        assertEquals("${datasource}", ds.path("uid").asText(), where + ": datasource by variable");
    }

    /** The demo's endpoint: metric name → the label names it carries. */
    static Map<String, Set<String>> scrape() throws Exception {
        String body = Http.metrics(metricsPort);
        Map<String, Set<String>> out = new TreeMap<>();
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Set<String> labels = out.computeIfAbsent(name, k -> new TreeSet<>());
            if (brace >= 0 && brace < space) {
                Matcher m = label.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) labels.add(m.group(1));
            }
        }
        return out;
    }

    private static boolean up(String api) {
        try {
            return get(api + "status/buildinfo").path("status").asText().equals("success");
        } catch (Exception e) {
            return false;
        }
    }

    static JsonNode get(String url) throws Exception {
        return JSON.readTree(Http.get(url).body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String run(Path tool, Object... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        for (Object a : args) cmd.add(a.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
