package io.treso.cli;

import io.treso.connectors.kafka.EventPublisher;
import io.treso.event.ControlCommand;
import io.treso.jobs.runtime.KafkaRuntime;
import io.treso.schemas.EventType;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a rule change: how a treasurer changes a threshold without a redeploy. */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = "Publish a ControlCommand (e.g. LOW_BALANCE_THRESHOLD) to the control topic.")
final class ControlSetCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin KafkaOptions kafka;

    @Parameters(
            index = "0",
            description =
                    "The kind: LOW_BALANCE_THRESHOLD, ACCOUNT_CONFIG, STORE_CONFIG, PROMOTION, VARIANCE_RULE, RECON_RULE, BANK_CATEGORY, MATCH_ACTION, ALERT_ACK, SCENARIO, VAT_CONFIG. Another kind is dead-lettered by the jobs.")
    String kind;

    @Option(
            names = "--scope",
            required = true,
            description = "What it applies to: an account id, a store, a PSP.")
    String scope;

    @Option(
            names = "--param",
            description =
                    "k=v; threshold_minor, currency and time_zone fill the typed fields. Repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--effective-at",
            description =
                    "ISO-8601 instant it applies from; default: the operator's current watermark.")
    Instant effectiveAt;

    @Option(
            names = "--rule-version",
            description = "Rule version; default: the latest for this kind and scope + 1.")
    Long version;

    @Override
    public Integer call() {
        var registry = kafka.registry();
        var topics = kafka.topics();
        long v =
                version != null
                        ? version
                        : latestVersion(registry, topics.of(EventType.CONTROL)) + 1;
        Map<String, String> rest = new HashMap<>(params);
        ControlCommand.Builder b =
                ControlCommand.newBuilder()
                        .setKind(kind)
                        .setScope(scope)
                        .setVersion(v)
                        .setOccurredAt(Instant.now())
                        // Epoch: "behind the watermark", so the job applies it from its
                        // own watermark, never from this machine's clock.
                        .setEffectiveAt(effectiveAt != null ? effectiveAt : Instant.EPOCH)
                        .setThresholdMinor(parseLong(rest.remove("threshold_minor")))
                        .setCurrency(rest.remove("currency"))
                        .setTimeZone(rest.remove("time_zone"))
                        .setParams(new HashMap<>(rest));
        b.setEventId("control:" + kind + ":" + scope + ":" + v);
        ControlCommand command = b.build();
        var violation = io.treso.schemas.ContractCheck.violation(command);
        if (violation.isPresent()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "not a valid command: " + violation.get());
        }
        try (EventPublisher publisher =
                new EventPublisher(
                        kafka.bootstrap,
                        kafka.client(),
                        registry.client(),
                        topics,
                        "control-cli")) {
            publisher.publishWithoutHeartbeats(command);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "published %s v%d for %s (effective %s)%n",
                        kind,
                        v,
                        scope,
                        effectiveAt == null ? "from the job's watermark" : effectiveAt.toString());
        return 0;
    }

    private long latestVersion(io.treso.schemas.registry.RegistryEndpoint registry, String topic) {
        return KafkaRuntime.readControl(kafka.bootstrap, kafka.client(), registry, topic).stream()
                .filter(c -> c.getKind().equals(kind) && c.getScope().equals(scope))
                .mapToLong(ControlCommand::getVersion)
                .max()
                .orElse(0);
    }

    private Long parseLong(String s) {
        if (s == null) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "threshold_minor must be an integer in minor units, got " + s);
        }
    }
}
