package io.treso.cli;

import io.treso.connectors.replay.EventJson;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulatorConfig;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a simulated business as replay events, and its truth beside them. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description =
                "Simulate a small e-commerce business: events as JSON lines, and truth.json beside them.")
final class SimulateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--days",
            defaultValue = "30",
            description = "Days to simulate (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--stores",
            defaultValue = "3",
            description = "Number of stores (default: ${DEFAULT-VALUE}).")
    int stores;

    @Option(
            names = "--output",
            required = true,
            description = "The events file to write, e.g. events.jsonl.")
    Path output;

    @Option(
            names = "--order-rate",
            defaultValue = "1.5",
            description = "Orders per store per average hour (1.5: about 33 a day).")
    double orderRate;

    @Mixin ProfileOption profile;

    @Option(
            names = "--anomalies-from",
            defaultValue = "-1",
            description =
                    "From this day, plant three each of sales drops, refund spikes, PSP fee spikes and unusual debits (the variance scenario; needs 24 more days).")
    int anomaliesFrom;

    @Option(
            names = "--shortfall-from",
            defaultValue = "-1",
            description =
                    "On this day, plant a tax bill due three weeks later that takes the EUR account below its threshold, and a loan that lifts it two business days after (the forecast scenario; needs 28 more days).")
    int shortfallFrom;

    @Option(
            names = "--vat",
            description =
                    "MONTHLY or QUARTERLY: the EUR stores' VAT, less the bills', is declared so and paid on the 19th of the next month, with the VAT_CONFIG command that says so.")
    String vat;

    @Option(
            names = "--card-spend",
            description =
                    "The EUR account also pays by card: a few purchases of 8 to 120 EUR most days, from some thirty merchants.")
    boolean cardSpend;

    @Option(
            names = "--growth",
            defaultValue = "0",
            description = "Sales grow this many percent a month (negative: shrink), -50 to 100.")
    int growth;

    @Override
    public Integer call() throws Exception {
        var sim =
                ShopSimulator.run(
                        SimulatorConfig.of(seed, days, stores)
                                .withOrderRate(orderRate)
                                .withAnomaliesFrom(anomaliesFrom)
                                .withShortfallFrom(shortfallFrom)
                                .withVat(
                                        vat == null
                                                ? null
                                                : vat.strip().toUpperCase(java.util.Locale.ROOT))
                                .withCardSpend(cardSpend)
                                .withGrowth(growth)
                                .withProfile(profile.profile));
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (var e : sim.events()) {
                w.write(EventJson.toLine(e));
                w.write('\n');
            }
        }
        Path truth = parent.resolve("truth.json");
        sim.truth().write(truth);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %d events (%d days, %d stores, seed %d) to %s and the truth to %s%n",
                        sim.events().size(), days, stores, seed, output, truth);
        return 0;
    }
}
