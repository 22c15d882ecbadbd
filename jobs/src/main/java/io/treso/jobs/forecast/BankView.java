package io.treso.jobs.forecast;

import java.util.ArrayList;

/**
 * One end-of-day close, waiting for the snapshot of its day and for its statement's lines: the
 * balance, the period and entry count that say when the lines are in, and (once combined) the
 * recurring and regular debits booked by then. Lines are taken by booking time, never by arrival,
 * so the bank's topics may interleave as they like.
 */
public final class BankView {
    public String account;
    public long time;

    /** The account's day the close ends, epoch day. */
    public int day;

    public long balanceMinor;

    /** The statement's period start, and how many lines it lists. */
    public long periodStart;

    public long entries;

    /** Recurring and regular debits; a regular one carries its gap in {@code every}. */
    public ArrayList<DaySnapshot.Planned> items = new ArrayList<>();

    /** The regular debits' one-day errors. */
    public long[] errors = new long[0];

    public BankView() {}
}
