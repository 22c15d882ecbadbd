package io.treso.cli;

import io.treso.connectors.kafka.TopicReader;
import io.treso.event.CashPosition;
import io.treso.jobs.alert.Alerts;
import io.treso.schemas.EventType;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code treso positions}: the latest position of each scope, as the positions topic holds it. */
@Command(
        name = "positions",
        mixinStandardHelpOptions = true,
        description = {
            "Print the latest position of each scope from treso.positions (read_committed): accounts,",
            "currencies, base, what each PSP owes (psp:), cash in transit, daily flows."
        })
final class PositionsCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;

    @Option(
            names = "--scope",
            description = "Only scopes that start with this, e.g. psp:SHOPIFY_PAYMENTS/store-1.")
    String prefix = "";

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, CashPosition> last = new TreeMap<>();
        for (CashPosition p :
                TopicReader.readAll(
                        kafka.bootstrap,
                        kafka.client(),
                        kafka.registry(),
                        kafka.topics().of(EventType.POSITION),
                        CashPosition.class)) {
            if (p.getScope().startsWith(prefix)) last.put(p.getScope() + " " + p.getCurrency(), p);
        }
        out.printf("%-44s %22s  %-22s %s%n", "scope", "balance", "as of", "bank says");
        for (CashPosition p : last.values()) {
            out.printf(
                    "%-44s %22s  %-22s %s%n",
                    p.getScope(),
                    Alerts.money(p.getBalanceMinor(), p.getCurrency()),
                    p.getAsOf(),
                    p.getBankReportedBalanceMinor() == null
                            ? "-"
                            : Alerts.money(p.getBankReportedBalanceMinor(), p.getCurrency()));
        }
        out.printf("%d scopes%n", last.size());
        return 0;
    }
}
