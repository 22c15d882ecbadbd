package io.treso.cli.deploy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;

/**
 * A real standalone Flink cluster as separate JVM processes: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), started from
 * the jars a Flink distribution's lib/ holds (the CLI module's {@code flink-cluster-classpath.txt}:
 * no Treso code, no Kafka connector). Jobs are submitted with Flink's own CLI ({@code CliFrontend
 * run}), as {@code flink run} does. Every process is stopped on {@link #close()}, and by a shutdown
 * hook if the test JVM dies first.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
    private static final Pattern SUBMITTED = Pattern.compile("JobID ([0-9a-f]{32})");

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> taskManagers = new LinkedHashMap<>();
    private final Thread hook;
    private final HttpClient http = HttpClient.newHttpClient();

    private StandaloneFlinkCluster(Path dir, Map<String, String> flinkConf) throws IOException {
        this.dir = dir;
        this.conf = Files.createDirectories(dir.resolve("conf"));
        Path cp = Path.of("target", "flink-cluster-classpath.txt");
        if (!Files.exists(cp)) {
            throw new IllegalStateException(
                    cp.toAbsolutePath() + " is missing: run the cli module's build (mvn verify)");
        }
        this.classpath = Files.readString(cp).strip();
        this.restPort = freePort();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", Integer.toString(freePort()));
        c.put("jobmanager.bind-host", "localhost");
        c.put("rest.address", "localhost");
        c.put("rest.bind-address", "localhost");
        c.put("rest.port", Integer.toString(restPort));
        c.put("taskmanager.host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("taskmanager.numberOfTaskSlots", "2");
        c.put("jobmanager.memory.process.size", "900m");
        c.put("taskmanager.memory.process.size", "1400m");
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        c.put("blob.storage.directory", dir.resolve("blobs").toString());
        c.put("web.upload.dir", dir.resolve("uploads").toString());
        // A killed TaskManager is noticed in seconds, not Flink's default 50.
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "10000");
        c.putAll(flinkConf);
        StringBuilder yaml = new StringBuilder();
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(
                conf.resolve("log4j.properties"),
                "rootLogger.level = INFO\nrootLogger.appenderRef.file.ref = File\n"
                        + "appender.file.type = File\nappender.file.name = File\n"
                        + "appender.file.fileName = ${sys:log.file}\n"
                        + "appender.file.layout.type = PatternLayout\n"
                        + "appender.file.layout.pattern = %d %-5p %c{1} - %m%n\n");
        this.hook = new Thread(this::stopAll, "flink-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Launches a JobManager and {@code taskManagers} TaskManagers and returns at once; {@link
     * #awaitReady} waits until they serve, so a test can prepare its data meanwhile.
     */
    static StandaloneFlinkCluster launch(Path dir, Map<String, String> flinkConf, int taskManagers)
            throws Exception {
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(dir, flinkConf);
        try {
            cluster.processes.add(
                    cluster.java(
                            "jobmanager",
                            List.of(),
                            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                            List.of("--configDir", cluster.conf.toString())));
            List<List<String>> resources = cluster.taskManagerResources();
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager("tm-" + i, resources);
            }
            cluster.expected = taskManagers;
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until every TaskManager launched has registered with the JobManager. */
    void awaitReady() throws Exception {
        try {
            awaitTaskManagers(expected, Duration.ofSeconds(90));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private int expected;

    /**
     * The JVM flags and dynamic properties Flink's scripts would derive for a TaskManager of this
     * configuration ({@code BashJavaUtils GET_TM_RESOURCE_PARAMS}); the same for every one.
     */
    private List<List<String>> taskManagerResources() throws Exception {
        Process util =
                java(
                        "tm-resources",
                        List.of(),
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()));
        if (!util.waitFor(60, TimeUnit.SECONDS) || util.exitValue() != 0) {
            throw new IllegalStateException(
                    "BashJavaUtils failed: " + Files.readString(dir.resolve("tm-resources.out")));
        }
        List<String> results =
                Files.readAllLines(dir.resolve("tm-resources.out")).stream()
                        .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip())
                        .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils printed " + results);
        }
        return List.of(
                List.of(results.get(0).split("\\s+")), List.of(results.get(1).split("\\s+")));
    }

    /** Starts one TaskManager with the derived resources, named {@code id}. */
    private void startTaskManager(String id, List<List<String>> resources) throws Exception {
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(resources.get(1));
        args.addAll(List.of("-D", "taskmanager.resource-id=" + id));
        Process tm =
                java(
                        id,
                        resources.get(0),
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        args);
        processes.add(tm);
        taskManagers.put(id, tm);
    }

    /**
     * Submits {@code jar} detached through Flink's CLI ({@code flink run -d}), optionally from a
     * savepoint, and returns its job id.
     */
    JobID submit(Path jar, int parallelism, String savepoint, List<String> jobArgs)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "-m", "localhost:" + restPort));
        args.addAll(List.of("-p", Integer.toString(parallelism)));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.add(jar.toString());
        args.addAll(jobArgs);
        String name = "submit-" + System.nanoTime();
        Process p = java(name, List.of(), "org.apache.flink.client.cli.CliFrontend", args);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink run did not return in 3 minutes");
        }
        String out = Files.readString(dir.resolve(name + ".out"));
        Matcher m = SUBMITTED.matcher(out);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("flink run failed (" + p.exitValue() + "):\n" + out);
        }
        return JobID.fromHexString(m.group(1));
    }

    /** Flink's REST client on this cluster. */
    RestClusterClient<StandaloneClusterId> client() throws Exception {
        Configuration c = new Configuration();
        c.setString("rest.address", "localhost");
        c.setString("rest.port", Integer.toString(restPort));
        return new RestClusterClient<>(c, StandaloneClusterId.getInstance());
    }

    /** The REST API's JSON answer at {@code path}. */
    String rest(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The TaskManagers that hold a slot now (running tasks). */
    List<String> busyTaskManagers() throws Exception {
        String json = rest("/taskmanagers");
        List<String> busy = new ArrayList<>();
        Matcher m =
                Pattern.compile(
                                "\"id\":\"([^\"]+)\".*?\"slotsNumber\":(\\d+).*?\"freeSlots\":(\\d+)")
                        .matcher(json);
        while (m.find()) {
            if (!m.group(2).equals(m.group(3))) busy.add(m.group(1));
        }
        return busy;
    }

    /** One TaskManager's process id, to read its memory from /proc. */
    long pid(String taskManager) {
        return taskManagers.get(taskManager).pid();
    }

    /** Kills one TaskManager's process, by its own PID, as a crash would. */
    long kill(String taskManager) throws Exception {
        Process p = taskManagers.get(taskManager);
        long pid = p.pid();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        return pid;
    }

    Path logOf(String name) {
        return dir.resolve(name + ".log");
    }

    private void awaitTaskManagers(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            "a Flink process exited early; see " + dir + "/*.out and *.log");
                }
            }
            try {
                String overview = rest("/overview");
                Matcher m = Pattern.compile("\"taskmanagers\":(\\d+)").matcher(overview);
                if (m.find() && Integer.parseInt(m.group(1)) >= n) return;
            } catch (IOException notYet) {
                // The JobManager's REST endpoint is not up yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the cluster did not have " + n + " TaskManagers within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private Process java(String name, List<String> jvmFlags, String mainClass, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        // The same opens the tests and ./treso run with (Flink's serializers need them on 17).
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens"))
                .forEach(cmd::add);
        jvmFlags.stream().filter(f -> !f.isBlank()).forEach(cmd::add);
        if (jvmFlags.isEmpty()) cmd.add("-Xmx512m");
        cmd.add("-Dlog.file=" + logOf(name));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("FLINK_CONF_DIR", conf.toString());
        // -Dtreso.cluster.preload=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2: the allocator of
        // Flink's own image, for measuring memory as a deployed TaskManager would use it.
        String preload = System.getProperty("treso.cluster.preload");
        if (preload != null && !preload.isBlank()) b.environment().put("LD_PRELOAD", preload);
        b.redirectErrorStream(true);
        b.redirectOutput(dir.resolve(name + ".out").toFile());
        return b.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void stopAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already stopping: the hook runs stopAll itself.
        }
    }
}
