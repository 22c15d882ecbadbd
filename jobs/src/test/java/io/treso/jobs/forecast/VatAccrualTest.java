package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.event.ControlCommand;
import io.treso.jobs.input.ControlRules;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VAT_CONFIG at the door, and what a period accrues from sales, refunds and documents. */
class VatAccrualTest {
    static final int MAR_3 = (int) LocalDate.parse("2026-03-03").toEpochDay();
    static final int MAR_31 = (int) LocalDate.parse("2026-03-31").toEpochDay();
    static final int APR_2 = (int) LocalDate.parse("2026-04-02").toEpochDay();

    static ControlCommand command(String scope, String currency, Map<String, String> params) {
        return ControlCommand.newBuilder()
                .setEventId("vat-1")
                .setOccurredAt(Instant.parse("2026-03-01T00:00:00Z"))
                .setKind(VatRule.KIND)
                .setScope(scope)
                .setVersion(1)
                .setEffectiveAt(Instant.parse("2026-03-01T00:00:00Z"))
                .setCurrency(currency)
                .setParams(params)
                .build();
    }

    static VatRule monthly(String stores) {
        Map<String, String> p = new HashMap<>(Map.of("regime", "monthly", "due_day", "19"));
        if (stores != null) p.put("stores", stores);
        return VatRule.of(command("FR", "EUR", p)).orElseThrow();
    }

    @Test
    void aMalformedVatConfigIsRefusedNamingWhatIsWrong() {
        assertNull(
                ControlRules.problem(
                        command("FR", "EUR", Map.of("regime", "QUARTERLY", "due_day", "20"))));
        Map<String, String> p = Map.of("regime", "YEARLY", "due_day", "20");
        assertTrue(
                ControlRules.problem(command("FR", "EUR", p)).contains("not MONTHLY or QUARTERLY"));
        p = Map.of("regime", "MONTHLY", "due_day", "0");
        assertTrue(ControlRules.problem(command("FR", "EUR", p)).contains("1 to 31"));
        p = Map.of("regime", "MONTHLY", "due_day", "19");
        assertTrue(ControlRules.problem(command("FR", null, p)).contains("currency is required"));
        assertTrue(ControlRules.problem(command("*", "EUR", p)).contains("taxable entity"));
        p = Map.of("regime", "MONTHLY", "due_day", "19", "obligations", "maybe");
        assertTrue(ControlRules.problem(command("FR", "EUR", p)).contains("true or false"));
    }

    @Test
    void aPeriodAccruesSalesLessRefundsPlusInvoicesLessBills() {
        SalesSeries shop = SalesSeries.of("store-1|STRIPE", "EUR");
        shop.capture(MAR_3, 12_000, 2_000);
        shop.capture(MAR_3, 6_000, 1_000);
        shop.capture(MAR_3 + 1, -6_000, 1_000); // a refund giving its VAT
        shop.capture(MAR_3 + 2, -1_200, SalesSeries.UNKNOWN_TAX); // valued at 1/6
        shop.capture(MAR_3 + 3, -12_000, 0); // a chargeback: no credit note, no VAT back
        shop.capture(APR_2, 60_000, 10_000); // the next period
        SalesSeries usd = SalesSeries.of("store-2|AMAZON", "USD");
        usd.capture(MAR_3, 60_000, 10_000);
        SalesSeries other = SalesSeries.of("store-3|PAYPAL", "EUR");
        other.capture(MAR_3, 6_000, 1_000);
        VatAccrual.Document invoice = document(MAR_3 + 5, 4_000);
        VatAccrual.Document bill = document(MAR_3 + 6, -1_500);
        VatAccrual.Document april = document(APR_2, -19_999);
        VatCalendar.Period march = monthly(null).calendar().periodOf(LocalDate.ofEpochDay(MAR_3));

        List<SalesSeries> all = List.of(shop, usd, other);
        List<VatAccrual.Document> docs = List.of(invoice, bill, april);
        // 2,000 + 1,000 - 1,000 - 200 + 1,000 (store-3) + 4,000 - 1,500
        assertEquals(5_300, VatAccrual.accrued(monthly(null), march, MAR_31, all, docs));
        assertEquals(4_300, VatAccrual.accrued(monthly("store-1"), march, MAR_31, all, docs));
        // As of the 4th, only what was known by then.
        assertEquals(
                3_000 - 1_000 + 1_000,
                VatAccrual.accrued(monthly(null), march, MAR_3 + 1, all, docs));

        List<VatAccrual.Due> dues =
                VatAccrual.dues(monthly(null), MAR_31, all, docs, ScenarioRules.NONE, 91);
        assertEquals("2026-03", dues.get(0).period().id());
        assertEquals(LocalDate.parse("2026-04-19"), dues.get(0).period().due());
        assertEquals(5_300, dues.get(0).payableMinor());
        // A credit is carried forward, never planned as money in.
        assertEquals(
                0,
                VatAccrual.dues(monthly(null), APR_2, all, docs, ScenarioRules.NONE, 91).stream()
                        .filter(d -> d.period().id().equals("2026-04"))
                        .findFirst()
                        .orElseThrow()
                        .payableMinor());
    }

    @Test
    void quarterlyPeriodsAndDueDaysClipToTheMonth() {
        VatCalendar q = new VatCalendar(VatCalendar.Regime.QUARTERLY, 31);
        VatCalendar.Period p = q.periodOf(LocalDate.parse("2026-05-20"));
        assertEquals("2026-Q2", p.id());
        assertEquals(LocalDate.parse("2026-06-30"), p.end());
        assertEquals(LocalDate.parse("2026-07-31"), p.due());
        assertEquals(
                LocalDate.parse("2026-02-28"),
                new VatCalendar(VatCalendar.Regime.MONTHLY, 31)
                        .periodOf(LocalDate.parse("2026-01-10"))
                        .due());
        assertThrows(
                IllegalArgumentException.class,
                () -> new VatCalendar(VatCalendar.Regime.MONTHLY, 32));
    }

    static VatAccrual.Document document(int day, long tax) {
        VatAccrual.Document d = new VatAccrual.Document();
        d.day = day;
        d.currency = "EUR";
        d.taxMinor = tax;
        return d;
    }
}
