package io.treso.jobs.variance;

import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * UNUSUAL_DEBIT on a robust scale, never the mean alone: a counterparty with history is judged on
 * its own log amounts, by median and MAD (z = (ln a − median) / (1.4826 MAD), MAD at least 10 %); a
 * new or thin one against the account's usual large debits (its 95th percentile, times {@code
 * debit_factor}). Each debit is judged once, against the debits booked before it, then learned.
 * ONE_SHOT: a payment is a single event, not a state that resolves.
 *
 * <p>A new payee (neither its name nor its account was ever paid from this account) is judged from
 * the first day, with no history: above both floors ({@code new_payee_floor} in the account's
 * currency, and {@code new_payee_share} of the balance last reported), it alerts. Booking outside
 * 07:00–20:00 in the account's zone and a reference that presses ("urgent") are named as
 * aggravating facts; they never fire an alert alone.
 */
public final class DebitVariance {
    static final int ACCOUNT_KEEP = 200;
    static final int COUNTERPARTY_KEEP = 30;
    static final int COUNTERPARTY_MIN_HISTORY = 5;
    private static final double MIN_MAD = 0.1;
    private static final double MIN_RATIO_TO_MEDIAN = 2;
    private static final LocalTime OPENS = LocalTime.of(7, 0);
    private static final LocalTime CLOSES = LocalTime.of(20, 0);

    /** Words with which a payment order presses, in the languages of our banks' references. */
    private static final Pattern PRESSING =
            Pattern.compile(
                    "\\b(URGENT|URGENTE|URGENCE|DRINGEND|EILIG|IMMEDIATE|IMMEDIAT|ASAP"
                            + "|CONFIDENTIAL|CONFIDENTIEL|VERTRAULICH)\\b");

    /** What the account says about itself at a debit: its zone, its balance last reported. */
    public record AccountFacts(ZoneId zone, Long balanceMinor) {}

    /** Where an account's debit histories live. */
    public interface Store {
        DebitHistory account();

        void putAccount(DebitHistory h);

        DebitHistory counterparty(String name);

        void putCounterparty(String name, DebitHistory h);

        /** Whether this counterparty account (IBAN) was paid before. */
        boolean paidAccount(String account);

        void putPaidAccount(String account);
    }

    private final Store store;

    public DebitVariance(Store store) {
        this.store = store;
    }

    /** How counterparties are told apart: the name without case and spacing, else the account. */
    static String counterparty(BankTransaction t) {
        String name = t.getCounterpartyName();
        if (name == null || name.isBlank()) name = t.getCounterpartyAccount();
        if (name == null || name.isBlank()) return "(unnamed)";
        return name.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    /** The counterparty's account, compared without spaces or case; null when not given. */
    static String payeeAccount(BankTransaction t) {
        String a = t.getCounterpartyAccount();
        if (a == null || a.isBlank()) return null;
        return a.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }

    /** Judges a booked debit, then learns it. */
    public Optional<CashAlert> judge(
            BankTransaction debit, VarianceSettings s, AccountFacts facts) {
        long amount = -debit.getAmountMinor();
        String name = counterparty(debit);
        String iban = payeeAccount(debit);
        DebitHistory account = store.account();
        if (account == null) account = new DebitHistory();
        DebitHistory own = store.counterparty(name);
        if (own == null) own = new DebitHistory();
        boolean newPayee = own.size() == 0 && (iban == null || !store.paidAccount(iban));
        Optional<CashAlert> alert = Optional.empty();
        if (s.enabled(VarianceType.UNUSUAL_DEBIT)) {
            alert =
                    newPayee && amount >= floor(s, debit.getCurrency(), facts.balanceMinor())
                            ? Optional.of(newPayee(debit, amount, account, s, facts))
                            : judge(debit, amount, account, own, s);
        }
        if (iban != null) store.putPaidAccount(iban);
        if (alert.isEmpty()) {
            // An unusual debit does not become the account's usual: the next one is judged alike.
            account.add(amount, ACCOUNT_KEEP);
        }
        own.add(amount, COUNTERPARTY_KEEP);
        store.putAccount(account);
        store.putCounterparty(name, own);
        return alert;
    }

    private static Optional<CashAlert> judge(
            BankTransaction debit,
            long amount,
            DebitHistory account,
            DebitHistory own,
            VarianceSettings s) {
        String currency = debit.getCurrency();
        String who =
                debit.getCounterpartyName() == null
                        ? "an unnamed counterparty"
                        : debit.getCounterpartyName();
        String observed = Alerts.decimal(amount, currency);
        if (own.size() >= COUNTERPARTY_MIN_HISTORY) {
            double[] mm = own.logMedianAndMad();
            double scale = Math.max(MIN_MAD, 1.4826 * mm[1]);
            double z = (Math.log(amount) - mm[0]) / scale;
            double median = Math.exp(mm[0]);
            if (z < s.debitZ() || amount < MIN_RATIO_TO_MEDIAN * median) return Optional.empty();
            return Optional.of(
                    alert(
                            debit,
                            observed,
                            Alerts.decimal(Math.round(median), currency),
                            Alerts.decimal(Math.round(median * (Math.exp(scale) - 1)), currency),
                            z,
                            "Debit of "
                                    + Alerts.money(amount, currency)
                                    + " to "
                                    + who
                                    + " is "
                                    + ratio(amount / median)
                                    + "x its usual "
                                    + Alerts.money(Math.round(median), currency)
                                    + " (median of its last "
                                    + own.size()
                                    + " debits)"));
        }
        if (account.size() < s.debitMinHistory()) return Optional.empty(); // cold start
        // A counterparty paid as much before (last month's payroll) is not unusual because the
        // account's other debits are small: thin history still says what it usually costs.
        if (own.size() > 0 && amount <= MIN_RATIO_TO_MEDIAN * own.max()) return Optional.empty();
        double p95 = account.quantile(0.95);
        if (p95 <= 0 || amount < s.debitFactor() * p95) return Optional.empty();
        double[] mm = account.logMedianAndMad();
        double z = (Math.log(amount) - mm[0]) / Math.max(MIN_MAD, 1.4826 * mm[1]);
        return Optional.of(
                alert(
                        debit,
                        observed,
                        Alerts.decimal(Math.round(Math.exp(mm[0])), currency),
                        null,
                        z,
                        "Debit of "
                                + Alerts.money(amount, currency)
                                + " to "
                                + who
                                + (own.size() == 0 ? ", a new counterparty," : "")
                                + " is "
                                + ratio(amount / p95)
                                + "x the account's usual large debits (95th percentile "
                                + Alerts.money(Math.round(p95), currency)
                                + ")"));
    }

    /** The larger of the absolute floor and the share of the balance (when one is known). */
    static long floor(VarianceSettings s, String currency, Long balanceMinor) {
        long absolute = s.newPayeeFloor().movePointRight(Alerts.digits(currency)).longValueExact();
        long share =
                balanceMinor == null || balanceMinor <= 0
                        ? 0
                        : (long) Math.ceil(balanceMinor * s.newPayeeShare());
        return Math.max(absolute, share);
    }

    private static CashAlert newPayee(
            BankTransaction debit,
            long amount,
            DebitHistory account,
            VarianceSettings s,
            AccountFacts facts) {
        String currency = debit.getCurrency();
        StringBuilder m =
                new StringBuilder("Debit of ")
                        .append(Alerts.money(amount, currency))
                        .append(" to ")
                        .append(
                                debit.getCounterpartyName() == null
                                        ? "an unnamed counterparty"
                                        : debit.getCounterpartyName());
        if (debit.getCounterpartyAccount() != null) {
            m.append(" (").append(Alerts.mask(payeeAccount(debit))).append(")");
        }
        m.append(", a new payee: never paid from this account before");
        Double z = null;
        String usual = null;
        if (account.size() >= s.debitMinHistory()) {
            double p95 = account.quantile(0.95);
            double[] mm = account.logMedianAndMad();
            z = (Math.log(amount) - mm[0]) / Math.max(MIN_MAD, 1.4826 * mm[1]);
            usual = Alerts.decimal(Math.round(Math.exp(mm[0])), currency);
            if (p95 > 0) {
                m.append("; ")
                        .append(ratio(amount / p95))
                        .append("x the account's usual large debits (95th percentile ")
                        .append(Alerts.money(Math.round(p95), currency))
                        .append(")");
            }
        }
        ZonedDateTime booked = debit.getBookedAt().atZone(facts.zone());
        LocalTime at = booked.toLocalTime();
        // A bank that gives dates only books at midnight: that is no hour of the night.
        if (!at.equals(LocalTime.MIDNIGHT) && (at.isBefore(OPENS) || !at.isBefore(CLOSES))) {
            m.append("; booked at ")
                    .append(at.withSecond(0).withNano(0))
                    .append(" (")
                    .append(facts.zone().getId())
                    .append("), outside 07:00–20:00");
        }
        String reference = debit.getReference();
        if (reference != null && PRESSING.matcher(reference.toUpperCase(Locale.ROOT)).find()) {
            m.append("; its reference says \"").append(reference.strip()).append("\"");
        }
        CashAlert a =
                alert(
                        debit,
                        Alerts.decimal(amount, currency),
                        usual,
                        null,
                        z == null ? Double.NaN : z,
                        m.toString());
        a.setThresholdValue(Alerts.decimal(floor(s, currency, facts.balanceMinor()), currency));
        return a;
    }

    private static CashAlert alert(
            BankTransaction debit,
            String observed,
            String mean,
            String stddev,
            double z,
            String message) {
        return Alerts.alert(
                        Alerts.id(
                                VarianceType.UNUSUAL_DEBIT.name(),
                                debit.getAccountId() + "|" + debit.getEventId(),
                                debit.getBookedAt()),
                        VarianceType.UNUSUAL_DEBIT.name(),
                        AlertLifecycle.ONE_SHOT,
                        Severity.WARNING,
                        AlertState.FIRING,
                        debit.getAccountId(),
                        debit.getBookedAt(),
                        message)
                .setObservedValue(observed)
                .setUnit(debit.getCurrency())
                .setBaselineMean(mean)
                .setBaselineStddev(stddev)
                .setZScore(
                        Double.isNaN(z)
                                ? null
                                : BigDecimal.valueOf(z)
                                        .setScale(2, RoundingMode.HALF_EVEN)
                                        .toPlainString())
                .setEvidenceEventIds(List.of(debit.getEventId()))
                .build();
    }

    private static String ratio(double r) {
        return BigDecimal.valueOf(r).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }
}
