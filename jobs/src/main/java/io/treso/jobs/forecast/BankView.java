package io.treso.jobs.forecast;

import java.util.ArrayList;

/**
 * What the bank's side knew at one end-of-day close, taken when the close arrives in its account's
 * order: the balance, the number of bank lines read before it (bills they paid are left out of the
 * forecast), the recurring and regular debits its history showed, and the payment delays it had
 * learned. Later bank lines cannot change a forecast that waits for its day's snapshot.
 */
public final class BankView {
    public String account;
    public long time;

    /** The account's day the close ends, epoch day. */
    public int day;

    public long balanceMinor;
    public int seq;

    /** Recurring and regular debits; a regular one carries its gap in {@code every}. */
    public ArrayList<DaySnapshot.Planned> items = new ArrayList<>();

    /** The regular debits' one-day errors. */
    public long[] errors = new long[0];

    public BankView() {}
}
