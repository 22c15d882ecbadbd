package io.treso.jobs.forecast;

import java.util.ArrayList;
import java.util.TreeMap;

/**
 * What the forecast knows from every stream but the bank's at the end of one UTC day: per scenario
 * and account, the dated items (payouts, captured and modeled sales, open bills and invoices,
 * scenario extras) and the models' one-day errors. The bank reports days late, so the end-of-day
 * statement of that day is combined with this snapshot whenever it arrives: the forecast then does
 * not depend on how far the other streams had run ahead of the bank.
 */
public final class DaySnapshot {
    /** An item as kept: inflows from sales and payouts summed per day and kind. */
    public static final class Planned {
        public int day;
        public long amountMinor;
        public CashForecast.Kind kind;
        public String label;

        /** The bill or invoice it stands for, so one paid since is left out; null otherwise. */
        public String ref;

        /**
         * A regular supplier's days between payments; a VAT return's period end (epoch day), after
         * which a payment to the tax office pays it; 0 otherwise.
         */
        public int every;

        public Planned() {}

        static Planned of(
                int day, long amountMinor, CashForecast.Kind kind, String label, String ref) {
            Planned p = new Planned();
            p.day = day;
            p.amountMinor = amountMinor;
            p.kind = kind;
            p.label = label;
            p.ref = ref;
            return p;
        }
    }

    /** The epoch day it was taken at the end of. */
    public int day;

    /** By scenario id, then account. */
    public TreeMap<String, TreeMap<String, ArrayList<Planned>>> items = new TreeMap<>();

    /** By account. */
    public TreeMap<String, long[]> errors = new TreeMap<>();

    /**
     * The VAT regimes in force that day: the bank side reads their payees from here, never from the
     * live book, which the other streams may have moved on.
     */
    public java.util.ArrayList<VatRule> vat = new java.util.ArrayList<>();

    /** The BANK_CATEGORY rules known that day: the spending habits classify with them. */
    public java.util.ArrayList<io.treso.jobs.reconciliation.BankCategories> categories =
            new java.util.ArrayList<>();

    /** The FX rates of that day, by currency: the base-currency path converts at them. */
    public TreeMap<String, ForecastBook.Rate> rates = new TreeMap<>();

    /** The rules of each scenario in force then (for the items the bank side adds). */
    public TreeMap<String, ArrayList<Scenario>> rules = new TreeMap<>();

    public DaySnapshot() {}
}
