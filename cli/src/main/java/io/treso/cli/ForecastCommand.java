package io.treso.cli;

import io.treso.cli.forecast.ForecastTable;
import io.treso.connectors.kafka.TopicReader;
import io.treso.connectors.replay.EventJson;
import io.treso.event.ForecastPoint;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.schemas.EventType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code treso forecast}: the 13-week table of the latest forecast of a scope. */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        description = {
            "Print the 13-week cash table of the latest forecast: a row per week with the opening",
            "balance, inflows and outflows by kind, the closing balance and its p10-p90 band."
        })
final class ForecastCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    OutputsSource source;

    @Option(
            names = "--scope",
            description =
                    "An account id, currency:EUR or base:EUR (default: the first account with a forecast).")
    String scope;

    @Option(
            names = "--scenario",
            defaultValue = "base",
            description = "The scenario to show (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--compare",
            description = "A scenario whose closing balance to show beside, with the difference.")
    String compare;

    @Option(names = "--csv", description = "CSV, amounts in minor units, for a spreadsheet.")
    boolean csv;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<ForecastPoint> points = points();
        List<String> scopes = ForecastTable.scopes(points);
        if (scopes.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no forecast yet: one is made on each end-of-day statement once the first has arrived");
        }
        String s = scope != null ? scope : scopes.get(0);
        Optional<ForecastTable> table = ForecastTable.of(points, s, scenario);
        if (table.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no forecast of scope " + s + ", scenario " + scenario + "; scopes: " + scopes);
        }
        ForecastTable other = null;
        if (compare != null) {
            other =
                    ForecastTable.of(points, s, compare)
                            .orElseThrow(
                                    () ->
                                            new ParameterException(
                                                    spec.commandLine(),
                                                    "no forecast of scenario "
                                                            + compare
                                                            + " for "
                                                            + s));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (csv) table.get().printCsv(out);
        else table.get().print(out, other);
        return 0;
    }

    private List<ForecastPoint> points() throws Exception {
        if (source.dir == null) {
            KafkaOptions k = source.kafka;
            return TopicReader.readAll(
                    k.bootstrap,
                    k.client(),
                    k.registry(),
                    k.topics().of(EventType.FORECAST),
                    ForecastPoint.class);
        }
        Path file = source.dir.resolve(ReplayRuntime.FORECAST);
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(
                    spec.commandLine(),
                    source.dir
                            + " holds no "
                            + ReplayRuntime.FORECAST
                            + ": give the output directory of ./treso replay (0.4 or later)");
        }
        List<ForecastPoint> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add((ForecastPoint) EventJson.fromOutputLine(EventType.FORECAST, line));
            }
        }
        return out;
    }
}
