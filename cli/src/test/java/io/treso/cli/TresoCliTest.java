package io.treso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.connectors.simulator.SimulationTruth;
import io.treso.jobs.config.TresoOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TresoCliTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TresoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Flink's scratch from a replay (a 21 MB RPC jar, the MiniCluster's folder) is removed. */
    @Test
    void aReplayLeavesNothingInTheTempDirectory() throws Exception {
        Path events = dir.resolve("events.jsonl");
        assertEquals(
                0,
                run("simulate", "--days", "7", "--stores", "1", "--output", events.toString())
                        .code());
        java.util.Set<String> before = flinkScratch();
        Run r =
                run(
                        "replay",
                        "--input",
                        events.toString(),
                        "--output",
                        dir.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        java.util.Set<String> left = flinkScratch();
        left.removeAll(before);
        assertEquals(java.util.Set.of(), left, "left in " + System.getProperty("java.io.tmpdir"));
    }

    private static java.util.Set<String> flinkScratch() throws java.io.IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(
                            n ->
                                    n.startsWith("flink-rpc")
                                            || n.startsWith("minicluster_")
                                            || n.startsWith("treso-replay-")
                                            || n.startsWith("flink-web"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }

    @Test
    void badOptionsAreRefusedInOneLineBeforeAnythingStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path events = dir.resolve("e.jsonl");
        Files.writeString(events, "");
        for (String[] args :
                java.util.List.of(
                        new String[] {"demo", "--days", "6"},
                        new String[] {"demo", "--days", "-1"},
                        new String[] {"demo", "--stores", "0"},
                        new String[] {"demo", "--speed", "-5"},
                        new String[] {"demo", "--metrics-port", "-1"},
                        new String[] {"demo", "--profile", "huge-shops"},
                        new String[] {
                            "replay",
                            "--input",
                            events.toString(),
                            "--output",
                            dir.toString(),
                            "--parallelism",
                            "10000"
                        },
                        new String[] {
                            "replay", "--input", events.toString(), "--output", file.toString()
                        })) {
            long t0 = System.nanoTime();
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(
                    r.err().strip().lines().count() <= 3,
                    "a short usage message, no stack traces: " + r.err());
            assertTrue(
                    (System.nanoTime() - t0) / 1e9 < 5,
                    "refused before any broker or cluster starts: " + String.join(" ", args));
        }
        assertEquals("x", Files.readString(file), "the file given as --output is untouched");
        Run help = run("control", "set", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--rule-version"), help.out());
    }

    @Test
    void simulateWritesEventsAndTruth() throws Exception {
        Path events = dir.resolve("sim/events.jsonl");
        Run r = run("simulate", "--days", "10", "--seed", "5", "--output", events.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote"), r.out());
        SimulationTruth truth = SimulationTruth.read(dir.resolve("sim/truth.json"));
        assertEquals(truth.eventCount, Files.readAllLines(events).size());
    }

    @Test
    void notifyRefusesARouteWithoutItsWebhookBeforeStartingAndNeverQuotesAUrl() throws Exception {
        Run r = notify("webhook-env=TRESO_TEST_NO_SUCH_VARIABLE");
        assertTrue(r.err().contains("TRESO_TEST_NO_SUCH_VARIABLE is not set"), r.err());
        r = notify("webhook=https://hooks.slack.com/services/T0/B0/s3cret");
        assertTrue(
                r.err().contains("unknown config key treso.notify.route.critical.webhook"),
                r.err());
        assertFalse(r.err().contains("s3cret"), "a URL put where it does not belong is not echoed");
        Path hook = dir.resolve("hook");
        Files.writeString(hook, "ftp://user:s3cret@example.com/x");
        r = notify("webhook-file=" + hook);
        assertFalse(r.err().contains("s3cret"), r.err());
    }

    /** {@code notify} with one route, {@code critical}, given {@code key}: refused, exit 2. */
    private Run notify(String key) throws Exception {
        Path config = dir.resolve("notify.properties");
        Files.writeString(
                config, "treso.notify.routes=critical\ntreso.notify.route.critical." + key + "\n");
        Run r =
                run(
                        "notify",
                        "--kafka",
                        "localhost:1",
                        "--registry",
                        "http://localhost:2",
                        "--config",
                        config.toString());
        assertEquals(2, r.code(), r.err());
        return r;
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("replay", "--input").code());
        assertEquals(2, run("simulate", "--days", "ten", "--output", "x").code());
        assertEquals(2, run("no-such-command").code());
    }

    @Test
    void failuresExitWithOneAndOneClearLine() {
        Run r =
                run(
                        "replay",
                        "--input",
                        dir.resolve("missing.jsonl").toString(),
                        "--output",
                        dir.toString());
        assertEquals(1, r.code());
        assertEquals(
                "treso: input file not found: " + dir.resolve("missing.jsonl"), r.err().strip());
        Run bad = run("simulate", "--days", "2", "--output", dir.resolve("e.jsonl").toString());
        assertEquals(1, bad.code());
        assertFalse(bad.err().contains("at io.treso"), "no stack trace without --verbose");
        Run verbose =
                run(
                        "simulate",
                        "--days",
                        "2",
                        "--verbose",
                        "--output",
                        dir.resolve("e.jsonl").toString());
        assertTrue(verbose.err().contains("at io.treso"), "a stack trace with --verbose");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub :
                new String[] {"simulate", "replay", "ingest", "intake", "run", "publish"}) {
            Run r = run(sub, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Usage: treso " + sub), r.out());
        }
    }

    @Test
    void theReadmeDocumentsEveryConfigKey() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (var p : TresoOptions.ALL) {
            assertTrue(readme.contains("`" + p.key() + "`"), "README lacks " + p.key());
        }
        for (var p : io.treso.jobs.config.JobConfig.ALL) {
            assertTrue(readme.contains("`" + p.key() + "`"), "README lacks " + p.key());
        }
        for (var p : io.treso.jobs.config.NotifyOptions.ALL) {
            assertTrue(readme.contains("`" + p.key() + "`"), "README lacks " + p.key());
        }
        for (var p : io.treso.jobs.config.IntakeOptions.ALL) {
            assertTrue(readme.contains("`" + p.key() + "`"), "README lacks " + p.key());
        }
        assertEquals("TRESO_DEDUP_HORIZON", ReplayCommand.envName("treso.dedup.horizon"));
    }

    static String record(String id, int rev, String status, boolean review, String at) {
        return String.format(
                "{\"match_id\":\"%s\",\"revision\":%d,\"status\":\"%s\",\"bank_event_ids\":[\"%s-b\"],"
                        + "\"payout_ids\":[],\"order_ids\":[],\"obligation_ids\":[],\"difference_minor\":5,"
                        + "\"confidence\":40,\"rule\":\"amount-exact\",\"needs_review\":%s,\"decided_at\":\"%s\"}",
                id, rev, status, id, review, at);
    }

    @Test
    void reconOpenListsWhatIsStillOpenOldestFirst() throws Exception {
        Files.write(
                dir.resolve("reconciliation.jsonl"),
                java.util.List.of(
                        record("m-closed", 1, "UNMATCHED", true, "2026-03-01T00:00:00Z"),
                        record("m-new", 1, "AMBIGUOUS", true, "2026-03-09T00:00:00Z"),
                        record("m-old", 1, "PARTIAL", true, "2026-03-02T00:00:00Z"),
                        record("m-ok", 1, "MATCHED", false, "2026-03-03T00:00:00Z"),
                        record("m-closed", 2, "WRITTEN_OFF", false, "2026-03-10T00:00:00Z"),
                        "{\"match_id\":\"m-money\",\"revision\":1,\"status\":\"UNMATCHED\","
                                + "\"bank_event_ids\":[\"FR76:B1\"],\"difference_minor\":4000000,"
                                + "\"rule\":\"none\",\"needs_review\":true,"
                                + "\"decided_at\":\"2026-03-05T00:00:00Z\",\"currency\":\"EUR\","
                                + "\"booked_at\":\"2026-03-03T10:15:00Z\",\"counterparty\":\"ACME SARL\","
                                + "\"reference\":\"VIR 8812\"}"));
        Run table = run("recon", "open", "--from", dir.toString());
        assertEquals(0, table.code(), table.err());
        String out = table.out();
        assertTrue(out.indexOf("m-old-b") < out.indexOf("m-new-b"), out);
        assertFalse(out.contains("m-closed") || out.contains("m-ok"), out);
        assertTrue(out.contains("8d   PARTIAL"), out);
        assertTrue(out.contains("3 open items as of 2026-03-10T00:00:00Z"), out);
        // Money as money, and the bank line as its portal shows it.
        assertTrue(out.contains("40,000.00 EUR  2026-03-03 ACME SARL"), out);
        assertTrue(out.contains("VIR 8812"), out);
        Run csv = run("recon", "open", "--from", dir.toString(), "--csv");
        assertEquals(4, csv.out().strip().split("\n").length, csv.out());
        assertTrue(csv.out().contains("\"m-new\",1,AMBIGUOUS"), csv.out());
        assertTrue(
                csv.out().contains(",4000000,EUR,2026-03-03T10:15:00Z,\"ACME SARL\",\"VIR 8812\","),
                csv.out());
        assertEquals(2, run("recon", "open").code());
        assertEquals(2, run("recon", "open", "--from", dir.resolve("nowhere").toString()).code());
    }
}
