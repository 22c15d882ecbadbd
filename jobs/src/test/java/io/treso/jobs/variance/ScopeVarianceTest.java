package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.CashAlert;
import io.treso.event.ControlCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The detectors on synthetic hours: counts by exact tails and compound-Poisson sales on several
 * scales, refunds against the trailing week, daily PSP fees; a busy shop and a small one.
 */
class ScopeVarianceTest {
    static final long HOUR = Duration.ofHours(1).toMillis();
    static final Instant T0 = Instant.parse("2026-03-16T00:00:00Z");
    static final String SCOPE = "store-1/SHOPIFY";

    final InMemoryScopeStore store = new InMemoryScopeStore();
    final List<CashAlert> alerts = new ArrayList<>();
    final ScopeVariance judge =
            new ScopeVariance(
                    store,
                    new ScopeVariance.Out() {
                        @Override
                        public void alert(CashAlert a) {
                            alerts.add(a);
                        }

                        @Override
                        public void z(VarianceType type, double z) {}
                    });
    SyntheticHours hours = new SyntheticHours(11);
    final List<VarianceControl> controls = new ArrayList<>();

    void run(long fromHour, int count, Function<Long, double[]> shape) {
        for (long h = fromHour; h < fromHour + count; h++) {
            double[] f = shape.apply(h);
            judge.onBucketEnd(
                    hours.hour(SCOPE, "store-1", T0.toEpochMilli() + h * HOUR, f[0], f[1]),
                    HOUR,
                    VarianceControls.of(controls));
        }
    }

    static final Function<Long, double[]> NORMAL = h -> new double[] {1, 1};
    static final int WARM = 5 * 7 * 24;

    List<String> edges(String type) {
        return alerts.stream()
                .filter(a -> a.getType().equals(type))
                .map(a -> a.getState().name())
                .toList();
    }

    @Test
    void aDropFiresOnceAndResolvesOnceWithItsNumbers() {
        run(0, WARM, NORMAL);
        assertEquals(List.of(), alerts, "five quiet weeks, no alert");
        run(WARM, 6, h -> new double[] {0.4, 1});
        run(WARM + 6, 24, NORMAL);
        assertEquals(List.of("FIRING", "RESOLVED"), edges("SALES_DROP"), alerts.toString());
        assertEquals(2, alerts.size(), alerts.toString());
        CashAlert firing = alerts.get(0);
        assertEquals(firing.getAlertId(), alerts.get(1).getAlertId());
        assertEquals(SCOPE, firing.getScope());
        assertEquals("EUR", firing.getUnit());
        assertTrue(Double.parseDouble(firing.getZScore()) <= -4, firing.getZScore());
        assertTrue(
                Double.parseDouble(firing.getObservedValue())
                        < 0.7 * Double.parseDouble(firing.getBaselineMean()));
        // The day so far breaches first, so the alert names the day and runs from midnight.
        assertTrue(
                firing.getMessage()
                        .matches(
                                "Sales on store-1 / SHOPIFY on Mon 20 Apr until 0\\d:00 \\(UTC\\)"
                                        + " were \\d+ orders / [\\d,.]+ EUR, usual \\d+ ± \\d+"
                                        + " orders / [\\d,.]+ EUR \\(z -[\\d.]+\\)"),
                firing.getMessage());
        assertEquals(6, firing.getEvidenceEventIds().size(), "3 ids an hour, two hours in");
        assertEquals(T0.toEpochMilli() + WARM * HOUR, firing.getWindowStart().toEpochMilli());
        // Resolved by the next day's evidence, not by the calendar alone.
        CashAlert resolved = alerts.get(1);
        assertTrue(resolved.getMessage().contains("on Tue 21 Apr"), resolved.getMessage());
        assertTrue(resolved.getMessage().contains("; back to usual (z "), resolved.getMessage());
    }

    @Test
    void aSmallShopsCollapseIsJudgedOnItsDayWhileEveryHourIsTooThin() {
        hours = new SyntheticHours(3, 30 / 24.0, 0.1);
        run(0, WARM, NORMAL);
        assertEquals(List.of(), alerts, "five weeks of a 30-orders-a-day shop, no alert");
        // A Tuesday; from 09:00 it sells 5 % of its usual. The day's total is diluted by the
        // morning; the stretch since 09:00 is not.
        int day = WARM + 24;
        run(WARM, 24 + 9, NORMAL);
        run(day + 9, 15, h -> new double[] {0.05, 1});
        run(day + 24, 48, NORMAL);
        assertEquals(List.of("FIRING", "RESOLVED"), edges("SALES_DROP"), alerts.toString());
        CashAlert firing = alerts.get(0);
        assertTrue(
                firing.getMessage().startsWith("Sales on store-1 / SHOPIFY on Tue 21 Apr from "),
                firing.getMessage());
        long hoursIn = (firing.getDetectedAt().toEpochMilli() - T0.toEpochMilli()) / HOUR - day;
        assertTrue(hoursIn <= 20, "found on the day, at " + hoursIn + ":00");
        assertEquals(List.of(), edges("SALES_SPIKE"));
    }

    @Test
    void aTwoDayRefundWaveIsOneEpisodeOnASmallShop() {
        hours = new SyntheticHours(5, 30 / 24.0, 0.1);
        run(0, WARM, NORMAL);
        run(WARM, 48, h -> new double[] {1, 8}); // a third of the orders come back
        run(WARM + 48, 72, NORMAL);
        assertEquals(List.of("FIRING", "RESOLVED"), edges("REFUND_SPIKE"), alerts.toString());
        assertTrue(alerts.get(0).getMessage().startsWith("Refunds on store-1 / SHOPIFY on Mon"));
    }

    @Test
    void coldStartRaisesNothing() {
        run(0, 24, NORMAL);
        run(24, 6, h -> new double[] {0.2, 8});
        assertEquals(List.of(), alerts);
    }

    @Test
    void anAnnouncedPromotionIsNoSpikeButTheSameSurgeUnannouncedIs() {
        run(0, WARM, NORMAL);
        long from = T0.toEpochMilli() + WARM * HOUR;
        controls.add(promotion(from, from + 6 * HOUR, "1.8"));
        run(WARM, 6, h -> new double[] {1.8, 1});
        run(WARM + 6, 12, NORMAL);
        assertEquals(List.of(), edges("SALES_SPIKE"), "planned");
        run(WARM + 18, 6, h -> new double[] {1.8, 1});
        assertEquals(List.of("FIRING"), edges("SALES_SPIKE"), "not planned");
    }

    @Test
    void aRefundSpikeIsJudgedAsACountAndExplained() {
        run(0, WARM, NORMAL);
        run(WARM, 3, h -> new double[] {1, 8});
        run(WARM + 3, 24, NORMAL);
        assertEquals(List.of("FIRING", "RESOLVED"), edges("REFUND_SPIKE"));
        CashAlert a = alerts.get(0);
        assertEquals("refunds", a.getUnit());
        assertTrue(
                a.getMessage().matches("Refunds on store-1 / SHOPIFY .* were \\d+, usual .*"),
                a.getMessage());
        assertTrue(a.getMessage().contains("(refund rate "), a.getMessage());
    }

    @Test
    void aRuleChangeAppliesFromItsEffectiveTime() {
        run(0, WARM, NORMAL);
        long from = T0.toEpochMilli() + WARM * HOUR;
        controls.add(rule("r1", SCOPE, from, Map.of("detectors", "SALES_SPIKE,REFUND_SPIKE")));
        run(WARM, 6, h -> new double[] {0.4, 1});
        run(WARM + 6, 24, NORMAL);
        assertEquals(List.of(), edges("SALES_DROP"), "disabled for this store");
        controls.add(rule("r2", VarianceRule.ALL_SCOPES, from + 30 * HOUR, Map.of("z", "3")));
        controls.add(rule("r3", SCOPE, from + 30 * HOUR, Map.of("detectors", "SALES_DROP")));
        run(WARM + 30, 6, h -> new double[] {0.4, 1});
        assertEquals(List.of("FIRING"), edges("SALES_DROP"), "enabled again");
    }

    @Test
    void aFeeSpikeOnOnePayoutDay() {
        long day = Duration.ofDays(1).toMillis();
        for (int d = 0; d < 20; d++) {
            double rate = d == 15 ? 0.033 : 0.018 + hours.uniform(-0.0005, 0.0005);
            long start = T0.toEpochMilli() + d * day;
            for (long h = 0; h < 24; h++) {
                Bucket b = new Bucket();
                b.family = Bucket.PSP;
                b.scope = "STRIPE/EUR";
                b.currency = "EUR";
                b.start = start + h * HOUR;
                b.end = b.start + HOUR;
                if (h == 1) {
                    b.primary = 2_000_000;
                    b.secondary = Math.round(2_000_000 * rate);
                    b.count = 250;
                }
                judge.onBucketEnd(b, HOUR, VarianceControls.of(controls));
            }
        }
        assertEquals(List.of("FIRING", "RESOLVED"), edges("FEE_SPIKE"));
        assertTrue(
                alerts.get(0)
                        .getMessage()
                        .startsWith(
                                "STRIPE fee rate on EUR payouts was 3.3 % on 2026-03-31, usual 1.8 %"),
                alerts.get(0).getMessage());
    }

    static VarianceControl promotion(long from, long until, String uplift) {
        return VarianceControl.of(
                        command(
                                "p" + from,
                                VarianceControl.PROMOTION,
                                "store-1",
                                from,
                                Map.of(
                                        "until",
                                        Instant.ofEpochMilli(until).toString(),
                                        "uplift",
                                        uplift)))
                .orElseThrow();
    }

    static VarianceControl rule(String id, String scope, long from, Map<String, String> params) {
        return VarianceControl.of(command(id, VarianceRule.KIND, scope, from, params))
                .orElseThrow();
    }

    static ControlCommand command(
            String id, String kind, String scope, long effective, Map<String, String> params) {
        return ControlCommand.newBuilder()
                .setEventId(id)
                .setOccurredAt(Instant.ofEpochMilli(effective))
                .setKind(kind)
                .setScope(scope)
                .setVersion(1)
                .setEffectiveAt(Instant.ofEpochMilli(effective))
                .setParams(params)
                .build();
    }
}
