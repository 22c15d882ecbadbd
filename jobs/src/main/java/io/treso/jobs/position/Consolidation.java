package io.treso.jobs.position;

import io.treso.event.CashPosition;
import io.treso.event.FxRate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Consolidated positions: per currency, and in the base currency at the latest rate by event time
 * (never by arrival), converted with BigDecimal and HALF_EVEN rounding.
 */
public final class Consolidation {
    private Consolidation() {}

    public static String currencyScope(String currency) {
        return "currency:" + currency;
    }

    public static String baseScope(String base) {
        return "base:" + base;
    }

    /** The per-currency position over {@code accounts}. */
    public static CashPosition perCurrency(Collection<CashPosition> accounts, String currency) {
        long sum = 0;
        long reported = 0;
        boolean allReported = true;
        long asOf = Long.MIN_VALUE;
        for (CashPosition p : accounts) {
            if (!p.getCurrency().equals(currency)) continue;
            sum += p.getBalanceMinor();
            if (p.getBankReportedBalanceMinor() == null) allReported = false;
            else reported += p.getBankReportedBalanceMinor();
            asOf = Math.max(asOf, p.getAsOf().toEpochMilli());
        }
        return CashPosition.newBuilder()
                .setScope(currencyScope(currency))
                .setCurrency(currency)
                .setBalanceMinor(sum)
                .setBankReportedBalanceMinor(allReported ? reported : null)
                .setInTransitMinor(0)
                .setInTransitEstimated(false)
                .setAsOf(Instant.ofEpochMilli(asOf))
                .build();
    }

    /**
     * The base-currency position, or empty while a currency held has no rate yet: a total that
     * silently leaves a currency out would be wrong, not approximate.
     */
    public static Optional<CashPosition> inBase(
            Collection<CashPosition> accounts, Map<String, FxRate> ratesByCurrency, String base) {
        Map<String, Long> byCurrency = new TreeMap<>();
        long asOf = Long.MIN_VALUE;
        for (CashPosition p : accounts) {
            byCurrency.merge(p.getCurrency(), p.getBalanceMinor(), Long::sum);
            asOf = Math.max(asOf, p.getAsOf().toEpochMilli());
        }
        long total = 0;
        for (Map.Entry<String, Long> e : byCurrency.entrySet()) {
            if (e.getKey().equals(base)) {
                total += e.getValue();
                continue;
            }
            FxRate rate = ratesByCurrency.get(e.getKey());
            if (rate == null || !rate.getBaseCurrency().equals(base)) {
                return Optional.empty();
            }
            total += convert(e.getValue(), e.getKey(), new BigDecimal(rate.getRate()), base);
            asOf = Math.max(asOf, rate.getOccurredAt().toEpochMilli());
        }
        return Optional.of(
                CashPosition.newBuilder()
                        .setScope(baseScope(base))
                        .setCurrency(base)
                        .setBalanceMinor(total)
                        .setBankReportedBalanceMinor(null)
                        .setInTransitMinor(0)
                        .setInTransitEstimated(false)
                        .setAsOf(Instant.ofEpochMilli(asOf))
                        .build());
    }

    /** {@code minor} units of {@code from} in minor units of {@code to}, HALF_EVEN. */
    public static long convert(long minor, String from, BigDecimal rate, String to) {
        int fromDigits = Currency.getInstance(from).getDefaultFractionDigits();
        int toDigits = Currency.getInstance(to).getDefaultFractionDigits();
        return BigDecimal.valueOf(minor, fromDigits)
                .multiply(rate)
                .setScale(toDigits, RoundingMode.HALF_EVEN)
                .unscaledValue()
                .longValueExact();
    }

    /** Keeps the rate with the latest event time; ties go to the higher rate string, stably. */
    public static boolean isNewer(FxRate candidate, FxRate current) {
        if (current == null) return true;
        int c = candidate.getOccurredAt().compareTo(current.getOccurredAt());
        return c > 0 || (c == 0 && candidate.getRate().compareTo(current.getRate()) > 0);
    }

    public static List<String> currencies(Collection<CashPosition> accounts) {
        List<String> list = new ArrayList<>();
        for (CashPosition p : accounts)
            if (!list.contains(p.getCurrency())) list.add(p.getCurrency());
        return list;
    }
}
