package io.treso.jobs.variance;

import io.treso.calendar.BusinessCalendar;
import io.treso.event.AlertLifecycle;
import io.treso.event.AlertState;
import io.treso.event.BankTransaction;
import io.treso.event.CashAlert;
import io.treso.event.Severity;
import io.treso.jobs.alert.Alerts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OUTFLOW_SPIKE: an account's debits per local day and per week, against their own baselines, so a
 * run of small debits that no single-debit rule sees is caught (a card skimmed, a script paying the
 * same supplier twenty times). Counted by exact tails like the store's orders (negative binomial
 * from the day counts' own variance); the day's amount must also have grown by {@code min_change}.
 * Business and non-business days keep separate baselines: banks book little at weekends. Debits an
 * UNUSUAL_DEBIT already named are left out, so one payment never raises two alerts.
 *
 * <p>A day is judged once its statements cover it (the caller says so), in booking order, so the
 * answer never depends on the order lines arrived in. One episode per account: FIRING on the day or
 * week that breaches, RESOLVED on the next judged day back to usual.
 */
public final class AccountOutflow {
    private static final long NO_DAY = Long.MIN_VALUE;
    private static final double MIN_EXPECTED = 0.5;

    /** Longer silences than this restart the days instead of judging each empty one. */
    private static final long MAX_GAP_DAYS = 400;

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    /** An account's open day and week, their baselines and its episode (a Flink POJO). */
    public static final class State {
        public String account;
        public String currency;
        public long day = NO_DAY;
        public long dayCount;
        public long dayAmount;
        public String[] dayEvidence = new String[0];
        public long weekCount;
        public long weekAmount;
        public String[] weekEvidence = new String[0];

        /** Index 0: business days, 1: other days. */
        public SlotStats[] dayCounts = {new SlotStats(), new SlotStats()};

        public SlotStats[] dayAmounts = {new SlotStats(), new SlotStats()};
        public SlotStats weekCounts = new SlotStats();
        public SlotStats weekAmounts = new SlotStats();
        public EpisodeState episode = new EpisodeState();
    }

    private final State st;
    private final BusinessCalendar calendar;
    private final ZoneId zone;
    private final List<CashAlert> alerts = new ArrayList<>();

    public AccountOutflow(State state, BusinessCalendar calendar, ZoneId zone) {
        this.st = state;
        this.calendar = calendar;
        this.zone = zone;
    }

    /** A judged debit no single-debit rule named; days before its booking day are closed first. */
    public void add(BankTransaction debit, VarianceSettings s) {
        LocalDate day = debit.getBookedAt().atZone(zone).toLocalDate();
        closeBefore(day, s);
        if (st.day == NO_DAY) st.day = day.toEpochDay();
        if (st.account == null) {
            st.account = debit.getAccountId();
            st.currency = debit.getCurrency();
        }
        long amount = -debit.getAmountMinor();
        st.dayCount++;
        st.dayAmount = Bucket.saturatingAdd(st.dayAmount, amount);
        st.dayEvidence =
                Bucket.withEvidence(st.dayEvidence, debit.getEventId(), WindowSums.MAX_EVIDENCE);
    }

    /** Statements cover every day before {@code day}: judge and learn each one still open. */
    public void closeBefore(LocalDate day, VarianceSettings s) {
        if (st.day == NO_DAY || st.account == null) return;
        long target = day.toEpochDay();
        if (target - st.day > MAX_GAP_DAYS) {
            st.day = target;
            st.dayCount = st.dayAmount = st.weekCount = st.weekAmount = 0;
            st.dayEvidence = st.weekEvidence = new String[0];
            return;
        }
        while (st.day < target) {
            closeDay(LocalDate.ofEpochDay(st.day), s);
            st.day++;
        }
    }

    /** What closing days raised since the last call. */
    public List<CashAlert> drain() {
        List<CashAlert> out = new ArrayList<>(alerts);
        alerts.clear();
        return out;
    }

    private void closeDay(LocalDate d, VarianceSettings s) {
        int type = calendar.isBusinessDay(d) ? 0 : 1;
        st.weekCount += st.dayCount;
        st.weekAmount = Bucket.saturatingAdd(st.weekAmount, st.dayAmount);
        for (String id : st.dayEvidence) {
            st.weekEvidence = Bucket.withEvidence(st.weekEvidence, id, WindowSums.MAX_EVIDENCE);
        }
        Verdict day =
                verdict(
                        Scale.DAY,
                        d,
                        st.dayCount,
                        st.dayAmount,
                        st.dayEvidence,
                        st.dayCounts[type],
                        st.dayAmounts[type],
                        s);
        Verdict week = null;
        boolean weekEnds = d.getDayOfWeek() == DayOfWeek.SUNDAY;
        if (weekEnds) {
            week =
                    verdict(
                            Scale.WEEK,
                            d.minusDays(6),
                            st.weekCount,
                            st.weekAmount,
                            st.weekEvidence,
                            st.weekCounts,
                            st.weekAmounts,
                            s);
        }
        episode(day, week, d, s);
        if (!st.episode.firing) {
            st.dayCounts[type].add(st.dayCount, s.alpha());
            st.dayAmounts[type].add(st.dayAmount, s.alpha());
            if (weekEnds) {
                st.weekCounts.add(st.weekCount, s.alpha());
                st.weekAmounts.add(st.weekAmount, s.alpha());
            }
        }
        st.dayCount = st.dayAmount = 0;
        st.dayEvidence = new String[0];
        if (weekEnds) {
            st.weekCount = st.weekAmount = 0;
            st.weekEvidence = new String[0];
        }
    }

    private record Verdict(
            Scale scale,
            LocalDate from,
            long count,
            long amount,
            String[] evidence,
            double mu,
            double sd,
            double usualAmount,
            double z,
            boolean breach) {}

    /** Null while the baseline has fewer than {@code min_history} days (weeks). */
    private Verdict verdict(
            Scale scale,
            LocalDate from,
            long count,
            long amount,
            String[] evidence,
            SlotStats counts,
            SlotStats amounts,
            VarianceSettings s) {
        if (counts.n < s.minHistory()) return null;
        double mu = Math.max(counts.mean, MIN_EXPECTED);
        double variance = counts.n > 1 ? counts.var * counts.n / (counts.n - 1) : counts.var;
        // The day counts' own spread beyond Poisson is the dispersion: var = mu + c mu².
        double c = Math.max(0, Math.min(1, (variance - mu) / (mu * mu)));
        double z = Tails.countZ(count, mu, c);
        // Counts alone decide: a day's usual amount is lumpy (payroll, tax), so a run of small
        // debits rarely outweighs it, and a single large debit is UNUSUAL_DEBIT's to judge.
        boolean breach = z >= s.z(scale) && count >= (1 + s.minChange()) * mu;
        return new Verdict(
                scale,
                from,
                count,
                amount,
                evidence,
                mu,
                Math.sqrt(mu + c * mu * mu),
                amounts.mean,
                z,
                breach);
    }

    private void episode(Verdict day, Verdict week, LocalDate d, VarianceSettings s) {
        Verdict worst = null;
        for (Verdict v : new Verdict[] {day, week}) {
            if (v != null && v.breach() && (worst == null || v.z() > worst.z())) worst = v;
        }
        EpisodeState e = st.episode;
        if (!e.firing) {
            if (worst == null || !s.enabled(VarianceType.OUTFLOW_SPIKE)) return;
            e.firing = true;
            e.scale = worst.scale().iso();
            e.windowStart = worst.from().atStartOfDay(zone).toInstant().toEpochMilli();
            e.alertId =
                    Alerts.id(
                            VarianceType.OUTFLOW_SPIKE.name(),
                            st.account,
                            worst.from().atStartOfDay(zone).toInstant());
            emit(AlertState.FIRING, worst, d, "");
        } else if (worst == null && day != null && day.z() < s.resolveZ()) {
            e.firing = false;
            emit(AlertState.RESOLVED, day, d, "; back to usual");
        }
    }

    private void emit(AlertState state, Verdict v, LocalDate last, String suffix) {
        String ccy = st.currency;
        String when =
                v.scale().equals(Scale.WEEK)
                        ? "in the week of " + v.from().format(DAY)
                        : "on " + v.from().format(DAY);
        String per = v.scale().equals(Scale.WEEK) ? " a week" : " a day";
        String message =
                "Outflow from "
                        + Alerts.mask(st.account)
                        + " "
                        + when
                        + " was "
                        + v.count()
                        + (v.count() == 1 ? " debit / " : " debits / ")
                        + Alerts.money(v.amount(), ccy)
                        + ", usual "
                        + decimal(v.mu(), 1)
                        + " ± "
                        + decimal(v.sd(), 1)
                        + " debits / "
                        + Alerts.money(Math.round(v.usualAmount()), ccy)
                        + per
                        + suffix
                        + " (z "
                        + decimal(v.z(), 2)
                        + ")";
        alerts.add(
                Alerts.alert(
                                st.episode.alertId,
                                VarianceType.OUTFLOW_SPIKE.name(),
                                AlertLifecycle.STATEFUL,
                                Severity.WARNING,
                                state,
                                st.account,
                                last.plusDays(1).atStartOfDay(zone).toInstant(),
                                message)
                        .setObservedValue(Long.toString(v.count()))
                        .setUnit("debits")
                        .setBaselineMean(decimal(v.mu(), 2))
                        .setBaselineStddev(decimal(v.sd(), 2))
                        .setZScore(decimal(v.z(), 2))
                        .setWindowStart(java.time.Instant.ofEpochMilli(st.episode.windowStart))
                        .setWindowEnd(last.plusDays(1).atStartOfDay(zone).toInstant())
                        .setEvidenceEventIds(List.of(v.evidence()))
                        .build());
    }

    private static String decimal(double v, int scale) {
        return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
    }
}
