package io.treso.jobs.alert;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;

/** How every pipeline names, words and builds its alerts, so FIRING and RESOLVED pair up. */
public final class Alerts {
    private Alerts() {}

    /** hash(type, scope, event time of the first evidence): the same for FIRING and RESOLVED. */
    public static String id(String type, String scope, Instant firstEvidence) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d =
                    sha.digest(
                            (type + "|" + scope + "|" + firstEvidence.toEpochMilli())
                                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A builder with the fields every alert has; the caller adds values and evidence. */
    public static CashAlert.Builder alert(
            String alertId,
            String type,
            AlertLifecycle lifecycle,
            Severity severity,
            AlertState state,
            String scope,
            Instant detectedAt,
            String message) {
        return CashAlert.newBuilder()
                .setAlertId(alertId)
                .setType(type)
                .setLifecycle(lifecycle)
                .setSeverity(severity)
                .setState(state)
                .setScope(scope)
                .setDetectedAt(detectedAt)
                .setEmittedAt(null)
                .setObservedValue(null)
                .setThresholdValue(null)
                .setUnit(null)
                .setBaselineMean(null)
                .setBaselineStddev(null)
                .setZScore(null)
                .setWindowStart(null)
                .setWindowEnd(null)
                .setEvidenceEventIds(List.of())
                .setMessage(message);
    }

    /** Minor units as a decimal string in the currency's unit: 1234567 EUR → "12345.67". */
    public static String decimal(long minor, String currency) {
        return BigDecimal.valueOf(minor, digits(currency)).toPlainString();
    }

    /** Minor units for a person: 1234567 EUR → "12,345.67 EUR". */
    public static String money(long minor, String currency) {
        BigDecimal v = BigDecimal.valueOf(minor, digits(currency));
        return String.format("%,." + digits(currency) + "f %s", v, currency);
    }

    public static int digits(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (RuntimeException e) {
            return 2;
        }
    }

    /** An IBAN or account id as logs and metric labels show it: FR76…0189. */
    public static String mask(String accountId) {
        if (accountId == null || accountId.length() <= 8) {
            return "****";
        }
        return accountId.substring(0, 4) + "…" + accountId.substring(accountId.length() - 4);
    }
}
