package io.treso.cli.intake;

import io.treso.connectors.ingest.PspContext;
import io.treso.connectors.intake.WebhookIntake;
import io.treso.connectors.intake.WebhookSource;
import io.treso.event.Channel;
import io.treso.jobs.config.IntakeOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The senders the intake serves, from its checked keys: each one whose secret is set. */
public final class IntakeSenders {
    private IntakeSenders() {}

    public static List<WebhookIntake.SourceSettings> of(Map<String, String> intakeKeys) {
        List<WebhookIntake.SourceSettings> out = new ArrayList<>();
        for (IntakeOptions.Sender s : IntakeOptions.SENDERS) {
            List<String> secrets = s.secret().from(intakeKeys);
            if (secrets.stream().allMatch(String::isBlank)) continue;
            String store = s.store().from(intakeKeys);
            if (store == null) {
                throw new IllegalArgumentException(
                        s.store().key() + " is required: " + s.name() + " has a secret set");
            }
            WebhookSource source = WebhookSource.valueOf(s.name().toUpperCase(Locale.ROOT));
            Channel channel =
                    switch (source) {
                        case SHOPIFY -> Channel.SHOPIFY;
                        case WOOCOMMERCE -> Channel.WOOCOMMERCE;
                        case STRIPE -> channel(IntakeOptions.STRIPE_CHANNEL.from(intakeKeys));
                    };
            out.add(
                    new WebhookIntake.SourceSettings(
                            source,
                            secrets.stream()
                                    .filter(x -> !x.isBlank())
                                    .map(x -> x.getBytes(StandardCharsets.UTF_8))
                                    .toList(),
                            new PspContext(
                                    store, s.account().from(intakeKeys), s.zone().from(intakeKeys)),
                            channel,
                            IntakeOptions.STRIPE_ORDER_KEY.from(intakeKeys)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "no sender is configured: set TRESO_INTAKE_SHOPIFY_SECRET (or _WOOCOMMERCE_, _STRIPE_) and treso.intake.<sender>.store");
        }
        return out;
    }

    private static Channel channel(String name) {
        try {
            return Channel.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    IntakeOptions.STRIPE_CHANNEL.key() + " \"" + name + "\" is not a channel");
        }
    }
}
