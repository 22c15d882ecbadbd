package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VarianceRuleTest {
    @Test
    void paramsOverlayDefaultsThenAllScopesThenTheScope() {
        var all = ScopeVarianceTest.rule("a", "*", 1_000, Map.of("z", "5", "min_volume", "50"));
        var own =
                ScopeVarianceTest.rule(
                        "b",
                        "store-1/SHOPIFY",
                        2_000,
                        Map.of("z", "3.5", "scales", "PT6H,P1D", "min_volume.P1D", "12"));
        var later = ScopeVarianceTest.rule("c", "*", 9_000, Map.of("z", "9"));
        VarianceControls controls = VarianceControls.of(List.of(all, own, later));
        VarianceSettings s = controls.settings("store-1/SHOPIFY", 5_000);
        assertEquals(3.5, s.z());
        assertEquals(50, s.minVolume());
        assertEquals(List.of(Scale.parse("PT6H"), Scale.DAY), s.scales());
        assertEquals(Duration.ofHours(6).toMillis(), s.scales().get(0).millis());
        assertEquals(12, s.minVolume(Scale.DAY), "its own minimum");
        assertEquals(50, s.minVolume(Scale.parse("PT6H")), "the rule's plain minimum");
        assertEquals(3.5, s.z(Scale.DAY), "a plain z replaces the defaults' per-scale z");
        assertEquals(3.5, VarianceSettings.DEFAULTS.z(Scale.WEEK));
        assertEquals(4, VarianceSettings.DEFAULTS.z(Scale.parse("PT1H")));
        assertEquals(VarianceSettings.DEFAULTS.feeWindowMillis(), s.feeWindowMillis());
        assertEquals(5, controls.settings("store-2/AMAZON", 5_000).z());
        assertEquals(4, controls.settings("store-2/AMAZON", 500).z(), "not yet");
        assertEquals(3.5, controls.settings("store-1/SHOPIFY", 10_000).z());
        assertEquals(9, controls.settings("STRIPE/EUR", 10_000).z());
    }

    @Test
    void malformedRulesSayWhy() {
        assertEquals(
                "unknown param zz",
                assertThrows(IllegalArgumentException.class, () -> rule(Map.of("zz", "1")))
                        .getMessage());
        assertEquals(
                "scale \"PT90M\" must be whole hours up to PT23H, P1D or P7D",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> rule(Map.of("scales", "PT1H,PT90M")))
                        .getMessage());
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> rule(Map.of("window", "PT6H")))
                        .getMessage()
                        .startsWith("param window was replaced by scales"));
        assertThrows(IllegalArgumentException.class, () -> rule(Map.of("z.P2D", "3")));
        assertThrows(IllegalArgumentException.class, () -> rule(Map.of("scales", " , ")));
        assertThrows(IllegalArgumentException.class, () -> rule(Map.of("new_payee_share", "-1")));
        assertThrows(IllegalArgumentException.class, () -> rule(Map.of("z", "-1")));
        assertThrows(IllegalArgumentException.class, () -> rule(Map.of("detectors", "NOPE")));
        assertThrows(IllegalArgumentException.class, () -> rule(Map.of("min_volume", "0")));
    }

    @Test
    void promotionsAndStoreZones() {
        var promo = ScopeVarianceTest.promotion(1_000, 5_000, "1.6");
        VarianceControls c = VarianceControls.of(List.of(promo));
        assertEquals(1.6, c.uplift("store-1", 1_000));
        assertEquals(1, c.uplift("store-1", 5_000));
        assertEquals(1, c.uplift("store-2", 2_000));
        var zone =
                VarianceControl.of(
                                io.treso.event.ControlCommand.newBuilder(
                                                ScopeVarianceTest.command(
                                                        "z",
                                                        "STORE_CONFIG",
                                                        "store-1",
                                                        0,
                                                        Map.of()))
                                        .setTimeZone("Europe/Berlin")
                                        .build())
                        .orElseThrow();
        VarianceControls zones = VarianceControls.of(List.of(zone, promo));
        assertEquals(ZoneId.of("Europe/Berlin"), zones.zone("store-1", 1));
        assertEquals(
                java.time.ZoneOffset.UTC, zones.zone("store-2", 1), "a store without one: UTC");
        assertTrue(
                VarianceControl.of(ScopeVarianceTest.command("x", "RECON_RULE", "*", 0, Map.of()))
                        .isEmpty());
        assertThrows(
                IllegalArgumentException.class,
                () -> ScopeVarianceTest.promotion(5_000, 1_000, "1.6"));
    }

    private static VarianceControl rule(Map<String, String> params) {
        return ScopeVarianceTest.rule("r", "*", 0, params);
    }
}
