package io.treso.cli;

import io.treso.connectors.amazon.AmazonSettlementReader;
import io.treso.connectors.camt.CamtReader;
import io.treso.connectors.csv.CsvMapping;
import io.treso.connectors.csv.CsvStatementReader;
import io.treso.connectors.ingest.Ingest;
import io.treso.connectors.ingest.IngestSink;
import io.treso.connectors.ingest.KafkaIngestSink;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.ingest.ReplayFileSink;
import io.treso.connectors.ingest.SourceReader;
import io.treso.connectors.kafka.EventPublisher;
import io.treso.connectors.kafka.TopicAdmin;
import io.treso.connectors.magento.MagentoReader;
import io.treso.connectors.mt940.Mt940Reader;
import io.treso.connectors.mt940.Mt942Reader;
import io.treso.connectors.prestashop.PrestaShopReader;
import io.treso.connectors.quickbooks.QuickBooksReader;
import io.treso.connectors.shopify.ShopifyReader;
import io.treso.connectors.stripe.StripeReader;
import io.treso.connectors.woocommerce.WooCommerceReader;
import io.treso.connectors.xero.XeroInvoicesReader;
import io.treso.event.Psp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Bank statements and PSP exports in, canonical events out: to a replay file or to Kafka, one
 * transaction per statement. Exits 1 when any file is refused or Kafka fails.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Turn bank statements and PSP exports into checked canonical events.",
            "Formats: camt053, camt052, camt054 (ISO 20022 .001.01-.13), mt940, mt942,"
                    + " csv:qonto, csv:revolut, csv:shine, csv (with --mapping), shopify, stripe, woocommerce (orders),"
                    + " magento (orders with their invoices and credit memos), prestashop (orders,"
                    + " --mapping for the shop's state table),"
                    + " amazon (settlement"
                    + " report, flat file V2), xero (Invoices),"
                    + " quickbooks (Invoice and Bill entities)."
        })
final class IngestCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", required = true, description = "The files' format (see above).")
    String format;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to ingest.")
    List<Path> files;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--output", required = true, description = "Write a replay events file.")
        Path output;

        @ArgGroup(exclusive = false)
        KafkaOptions kafka;
    }

    @Option(
            names = "--zone",
            defaultValue = "UTC",
            description = "Zone of dates and times written without an offset (default UTC).")
    ZoneId zone;

    @Option(names = "--account", description = "csv: the account (IBAN) the export is of.")
    String account;

    @Option(
            names = "--order-key",
            defaultValue = StripeReader.DEFAULT_ORDER_KEY,
            description =
                    "stripe: the charge metadata key holding the shop's order id (default:"
                            + " ${DEFAULT-VALUE}); give a charges list to name payout lines' orders.")
    String orderKey;

    @Option(
            names = "--mapping",
            description =
                    "csv: a column mapping file; prestashop: the shop's state table (see README).")
    Path mapping;

    @Option(
            names = "--store",
            description =
                    "shopify, stripe, woocommerce, magento, prestashop, amazon: the Treso store id.")
    String store;

    @Option(
            names = "--destination",
            description =
                    "shopify, stripe: the account (IBAN) payouts land on; reconciliation needs it.")
    String destination;

    @Option(
            names = "--kafka-timeout-ms",
            hidden = true,
            defaultValue = "30000",
            description = "How long a Kafka call may wait for the broker.")
    long kafkaTimeoutMs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (target.output != null && Files.isDirectory(target.output)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--output " + target.output + " is a directory; give a file");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + f);
            }
        }
        List<ParsedFile> parsed = reader().read(files);
        try (IngestSink sink = sink()) {
            Ingest.Outcome outcome = Ingest.run(parsed, sink, out, err);
            out.println(
                    outcome.eventsWritten()
                            + " events written"
                            + (target.output != null ? " to " + target.output : " to Kafka")
                            + (outcome.refused() > 0
                                    ? ", " + outcome.refused() + " files refused"
                                    : ""));
            return outcome.exitCode();
        }
    }

    private SourceReader reader() throws IOException {
        String[] f = format.split(":", 2);
        return switch (f[0]) {
            case "camt053" -> camt(CamtReader.Message.CAMT053);
            case "camt052" -> camt(CamtReader.Message.CAMT052);
            case "camt054" -> camt(CamtReader.Message.CAMT054);
            case "mt940" -> SourceReader.perFile(new Mt940Reader(zone)::parse);
            case "mt942" -> SourceReader.perFile(new Mt942Reader(zone)::parse);
            case "csv" -> {
                if (account == null)
                    throw usage("csv needs --account IBAN: exports rarely name it");
                CsvMapping m;
                if (f.length == 2) {
                    if (!CsvMapping.PRESETS.contains(f[1])) {
                        throw usage(
                                "no CSV preset \"" + f[1] + "\"; presets: " + CsvMapping.PRESETS);
                    }
                    m = CsvMapping.preset(f[1]);
                } else if (mapping != null) {
                    m = CsvMapping.load(mapping);
                } else {
                    throw usage(
                            "csv needs a preset (csv:qonto, csv:revolut, csv:shine) or --mapping FILE");
                }
                yield SourceReader.perFile(new CsvStatementReader(m, account, zone)::parse);
            }
            case "shopify" -> new ShopifyReader(psp());
            case "stripe" -> new StripeReader(psp(), orderKey);
            case "woocommerce" -> SourceReader.perFile(new WooCommerceReader(shop())::parse);
            case "magento" -> new MagentoReader(shop());
            case "prestashop" ->
                    SourceReader.perFile(
                            new PrestaShopReader(
                                            shop(),
                                            mapping == null
                                                    ? PrestaShopReader.stockStates()
                                                    : PrestaShopReader.states(mapping))
                                    ::parse);
            case "xero" -> SourceReader.perFile(new XeroInvoicesReader()::parse);
            case "quickbooks" -> SourceReader.perFile(new QuickBooksReader(zone)::parse);
            case "amazon" ->
                    SourceReader.perFile(new AmazonSettlementReader(psp(), Psp.AMAZON_PAY)::parse);
            default -> throw usage("unknown format \"" + format + "\"");
        };
    }

    private SourceReader camt(CamtReader.Message message) {
        return SourceReader.perFile(new CamtReader(message, zone)::parse);
    }

    /** Shop exports name no Treso store either; orders land on no bank account. */
    private PspContext shop() {
        if (store == null)
            throw usage(format + " needs --store: shop exports do not name the Treso store");
        return new PspContext(store, null, zone);
    }

    private PspContext psp() {
        if (store == null)
            throw usage(format + " needs --store: PSP exports do not name the store");
        if (destination == null) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "treso: no --destination: payouts carry no bank account, so"
                                    + " reconciliation cannot match them to bank credits");
        }
        return new PspContext(store, destination, zone);
    }

    private IngestSink sink() throws IOException {
        if (target.output != null) {
            return new ReplayFileSink(target.output);
        }
        KafkaOptions k = target.kafka;
        List<String> missing =
                TopicAdmin.missingInputs(
                        k.bootstrap,
                        k.client(),
                        k.topics(),
                        java.time.Duration.ofMillis(kafkaTimeoutMs));
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "topics "
                            + missing
                            + " do not exist on "
                            + k.bootstrap
                            + "; start the Treso jobs (they create them) or create them first");
        }
        EventPublisher publisher =
                EventPublisher.transactional(
                        k.bootstrap,
                        k.client(),
                        k.registry().client(),
                        k.topics(),
                        "ingest",
                        "treso-ingest-" + UUID.randomUUID(),
                        kafkaTimeoutMs);
        return new KafkaIngestSink(publisher, k.bootstrap);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
