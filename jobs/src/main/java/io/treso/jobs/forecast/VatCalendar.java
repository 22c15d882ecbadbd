package io.treso.jobs.forecast;

import java.time.LocalDate;
import org.apache.flink.util.Preconditions;

/**
 * VAT periods and their due dates, for the regime a VAT_CONFIG command sets: monthly or quarterly
 * returns, paid on a day of the month after the period ends (clipped to that month's length). The
 * period's id names the accrued VAT's position scope, {@code vat:<entity>:<period>}.
 */
public final class VatCalendar {
    /** How often VAT is declared and paid. */
    public enum Regime {
        MONTHLY,
        QUARTERLY
    }

    /**
     * A VAT period: its first and last day, the day its VAT is due, and its id (2026-03, 2026-Q1).
     */
    public record Period(LocalDate start, LocalDate end, LocalDate due, String id) {}

    private final Regime regime;
    private final int dueDay;

    public VatCalendar(Regime regime, int dueDay) {
        Preconditions.checkNotNull(regime, "a VAT regime");
        Preconditions.checkArgument(
                dueDay >= 1 && dueDay <= 31,
                "the due day is a day of the month, 1 to 31: %s",
                dueDay);
        this.regime = regime;
        this.dueDay = dueDay;
    }

    /** The period {@code day} belongs to. */
    public Period periodOf(LocalDate day) {
        LocalDate start =
                regime == Regime.MONTHLY
                        ? day.withDayOfMonth(1)
                        : LocalDate.of(day.getYear(), ((day.getMonthValue() - 1) / 3) * 3 + 1, 1);
        LocalDate end = start.plusMonths(regime == Regime.MONTHLY ? 1 : 3).minusDays(1);
        LocalDate after = end.plusDays(1);
        LocalDate due = after.withDayOfMonth(Math.min(dueDay, after.lengthOfMonth()));
        String id =
                regime == Regime.MONTHLY
                        ? String.format("%d-%02d", start.getYear(), start.getMonthValue())
                        : start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
        return new Period(start, end, due, id);
    }
}
