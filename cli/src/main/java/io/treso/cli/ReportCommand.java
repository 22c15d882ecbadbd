package io.treso.cli;

import io.treso.cli.report.ReportData;
import io.treso.cli.report.ReportHtml;
import io.treso.cli.report.TreasuryReport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code treso report}: the treasury report of a replay's outputs or of the Kafka topics. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write the treasury report as one self-contained HTML file (inline SVG charts, nothing",
            "loaded when opened): cash now, cash over the period, where the money went, what needs",
            "a person, and KPIs, all read from the pipelines' outputs."
        })
final class ReportCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    OutputsSource source;

    @Option(
            names = "--from-date",
            description = "First day of the period (default: the first day closed).")
    LocalDate fromDate;

    @Option(
            names = "--to-date",
            description = "Last day of the period (default: the last day closed).")
    LocalDate toDate;

    @Option(
            names = "--base-currency",
            defaultValue = "EUR",
            description =
                    "The currency of the consolidated total shown (default: ${DEFAULT-VALUE}).")
    String baseCurrency;

    @Option(
            names = "--locale",
            defaultValue = "en-GB",
            description =
                    "How amounts and dates read, as a language tag: fr-FR groups as 1 234,56 € (default: ${DEFAULT-VALUE}).")
    String locale;

    @Option(names = "--output", required = true, description = "The HTML file to write.")
    Path output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Locale loc = Locale.forLanguageTag(locale);
        if (loc.getLanguage().isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--locale " + locale + " is not a language tag, e.g. fr-FR");
        }
        ReportData data;
        String from;
        if (source.dir != null) {
            data = ReportData.fromReplay(source.dir);
            from = "replay outputs in " + source.dir.toAbsolutePath().normalize().getFileName();
        } else {
            KafkaOptions k = source.kafka;
            data = ReportData.fromKafka(k.bootstrap, k.client(), k.registry(), k.topics());
            from = "Kafka topics";
        }
        Path written =
                ReportHtml.write(
                        TreasuryReport.of(data, fromDate, toDate, baseCurrency, from), loc, output);
        spec.commandLine()
                .getOut()
                .printf(
                        "report of %d daily closes, %d positions, %d alerts, %d reconciliation records written to %s%n",
                        data.daily().size(),
                        data.positions().size(),
                        data.alerts().size(),
                        data.records().size(),
                        written);
        return 0;
    }
}
