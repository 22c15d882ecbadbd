package io.treso.cli;

import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.replay.EventJson;
import io.treso.event.ReconciliationRecord;
import io.treso.jobs.alert.Alerts;
import io.treso.jobs.reconciliation.OpenItems;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.schemas.EventType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code treso recon open}: what a treasurer still has to look at, oldest first. */
@Command(
        name = "recon",
        mixinStandardHelpOptions = true,
        description = "Reconciliation: list the open items.",
        subcommands = {ReconCommands.Open.class})
final class ReconCommands implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "open",
            mixinStandardHelpOptions = true,
            description = {
                "List unmatched and needs-review items, oldest first, from a replay's output",
                "directory or from the reconciliation topic (read_committed). Ages count from the",
                "latest decision in the data, never from this machine's clock."
            })
    static final class Open implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        static final class Source {
            @Option(names = "--from", description = "A replay output directory.")
            Path from;

            @ArgGroup(exclusive = false)
            KafkaOptions kafka;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--csv", description = "CSV instead of a table.")
        boolean csv;

        @Override
        public Integer call() throws IOException {
            List<ReconciliationRecord> records = new ArrayList<>();
            if (source.from != null) {
                Path file = source.from.resolve(ReplayRuntime.RECONCILIATION);
                if (!Files.isRegularFile(file)) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "no " + ReplayRuntime.RECONCILIATION + " in " + source.from);
                }
                for (String line : Files.readAllLines(file)) {
                    records.add(
                            (ReconciliationRecord)
                                    EventJson.fromOutputLine(EventType.RECONCILIATION, line));
                }
            } else {
                KafkaOptions k = source.kafka;
                records.addAll(
                        TopicReader.readAll(
                                k.bootstrap,
                                k.client(),
                                k.registry(),
                                k.topics().of(EventType.RECONCILIATION),
                                ReconciliationRecord.class));
            }
            Instant asOf =
                    records.stream()
                            .map(ReconciliationRecord::getDecidedAt)
                            .max(Instant::compareTo)
                            .orElse(Instant.EPOCH);
            List<ReconciliationRecord> open = OpenItems.of(records);
            PrintWriter out = spec.commandLine().getOut();
            if (csv) {
                out.println(
                        "match_id,revision,status,rule,confidence,decided_at,age_days,difference_minor,currency,booked_at,counterparty,reference,category,bank_event_ids,payout_ids,obligation_ids");
                for (ReconciliationRecord r : open) {
                    out.println(
                            String.join(
                                    ",",
                                    quote(r.getMatchId()),
                                    Integer.toString(r.getRevision()),
                                    r.getStatus().name(),
                                    quote(r.getRule()),
                                    Integer.toString(r.getConfidence()),
                                    r.getDecidedAt().toString(),
                                    Long.toString(age(r, asOf)),
                                    Long.toString(r.getDifferenceMinor()),
                                    text(r.getCurrency()),
                                    r.getBookedAt() == null ? "" : r.getBookedAt().toString(),
                                    quote(text(r.getCounterparty())),
                                    quote(text(r.getReference())),
                                    text(r.getCategory()),
                                    quote(String.join(" ", r.getBankEventIds())),
                                    quote(String.join(" ", r.getPayoutIds())),
                                    quote(String.join(" ", r.getObligationIds()))));
                }
            } else {
                out.printf(
                        "%-4s %-15s %-20s %4s %-10s %18s  %-10s %-22s %-24s %s%n",
                        "age",
                        "status",
                        "rule",
                        "conf",
                        "decided",
                        "difference",
                        "booked",
                        "counterparty",
                        "reference",
                        "bank line → candidates");
                for (ReconciliationRecord r : open) {
                    List<String> candidates = new ArrayList<>(r.getPayoutIds());
                    candidates.addAll(r.getObligationIds());
                    String ids = String.join(" ", r.getBankEventIds());
                    out.printf(
                            "%-4s %-15s %-20s %4d %-10s %18s  %-10s %-22s %-24s %s → %s%s%n",
                            age(r, asOf) + "d",
                            r.getStatus(),
                            abbreviate(r.getRule(), 20),
                            r.getConfidence(),
                            r.getDecidedAt().toString().substring(0, 10),
                            r.getCurrency() == null
                                    ? Long.toString(r.getDifferenceMinor())
                                    : Alerts.money(r.getDifferenceMinor(), r.getCurrency()),
                            r.getBookedAt() == null
                                    ? "-"
                                    : r.getBookedAt().toString().substring(0, 10),
                            abbreviate(text(r.getCounterparty()), 22),
                            abbreviate(text(r.getReference()), 24),
                            ids,
                            candidates.isEmpty() ? "-" : String.join(" ", candidates),
                            r.getCategory() == null ? "" : "  (" + r.getCategory() + ")");
                }
                out.printf("%d open items as of %s%n", open.size(), asOf);
            }
            return 0;
        }

        private static String text(String s) {
            return s == null ? "" : s;
        }

        private static long age(ReconciliationRecord r, Instant asOf) {
            return Duration.between(r.getDecidedAt(), asOf).toDays();
        }

        private static String abbreviate(String s, int n) {
            return s.length() <= n ? s : s.substring(0, n - 1) + "…";
        }

        private static String quote(String s) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
    }
}
