package io.treso.jobs.forecast;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.event.FxRate;
import io.treso.event.Obligation;
import io.treso.event.ObligationKind;
import io.treso.event.ObligationStatus;
import io.treso.event.OrderEvent;
import io.treso.event.OrderKind;
import io.treso.event.PayoutEvent;
import io.treso.event.StatementKind;
import io.treso.jobs.account.AccountConfig;
import io.treso.jobs.position.ThresholdRule;
import java.util.Optional;

/**
 * What the forecast takes from each input, flattened into one small POJO before the keyed exchange:
 * the forecast needs a few fields of each event, and a flat type crosses the network and sits in
 * state far more cheaply than the Avro records. All go to one keyed instance: money crosses
 * currencies and accounts (a USD marketplace paying into a EUR account).
 */
public final class ForecastEvent implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What the event is; the order also breaks ties between events of one instant. */
    public enum Kind {
        THRESHOLD,
        ZONE,
        SCENARIO,
        VAT,
        CATEGORIES,
        FX,
        OBLIGATION,
        PAYOUT,
        BANK,
        CLOSE,
        CAPTURE
    }

    public Kind kind;

    /** Event time, epoch millis (for a rule: when it takes effect). */
    public long time;

    public String id;
    public String currency;

    /** CAPTURE, PAYOUT: "store|psp"; PAYOUT: the account it goes to in {@code account}. */
    public String series;

    /** BANK, CLOSE, THRESHOLD, ZONE: the bank account. */
    public String account;

    /** BANK, OBLIGATION: who pays or is paid; OBLIGATION: PAYABLE or RECEIVABLE. */
    public String counterparty;

    /** PAYOUT: its name in a message; BANK: the line's reference; FX: the rate. */
    public String label;

    /** CAPTURE: amount; PAYOUT: gross; BANK: signed amount; CLOSE: closing balance; OBLIGATION. */
    public long amountMinor;

    /**
     * PAYOUT: net; THRESHOLD: the threshold; CAPTURE, OBLIGATION: its VAT, or -1 when unknown (a
     * chargeback's is 0: no credit note, no VAT back); CLOSE: the statement's period start, epoch
     * millis.
     */
    public long otherMinor;

    /** SCENARIO: the rule. */
    public Scenario scenario;

    /** VAT: the entity's VAT regime. */
    public VatRule vat;

    /** CATEGORIES: an account's (or every account's) bank category rules. */
    public io.treso.jobs.reconciliation.BankCategories categories;

    /** THRESHOLD: the margin above it that clears an episode. */
    public long marginMinor;

    /** CLOSE: how many booked lines its statement lists. */
    public long entries;

    /** PAYOUT: expected arrival; OBLIGATION: due date; BANK: booking day. Epoch days. */
    public int day;

    /** PAYOUT: its status; OBLIGATION: its status; ZONE: the IANA zone. */
    public String status;

    public ForecastEvent() {}

    private static ForecastEvent of(Kind kind, long time, String id, String currency) {
        ForecastEvent e = new ForecastEvent();
        e.kind = kind;
        e.time = time;
        e.id = id;
        e.currency = currency;
        return e;
    }

    /**
     * A captured order adds to its store's sales; a refund or chargeback takes back from them (a
     * PSP pays out captures net of both). Other order events move no cash.
     */
    public static Optional<ForecastEvent> of(OrderEvent o) {
        boolean back = o.getKind() == OrderKind.REFUNDED || o.getKind() == OrderKind.CHARGEBACK;
        if (o.getKind() != OrderKind.CAPTURED && !back) return Optional.empty();
        ForecastEvent e =
                of(Kind.CAPTURE, o.getOccurredAt().toEpochMilli(), o.getEventId(), o.getCurrency());
        e.series = o.getStoreId() + "|" + o.getPsp();
        e.amountMinor = back ? -Math.abs(o.getAmountMinor()) : o.getAmountMinor();
        e.otherMinor =
                o.getKind() == OrderKind.CHARGEBACK
                        ? 0
                        : o.getTaxMinor() == null
                                ? SalesSeries.UNKNOWN_TAX
                                : Math.abs(o.getTaxMinor());
        return Optional.of(e);
    }

    public static Optional<ForecastEvent> of(PayoutEvent p) {
        ForecastEvent e =
                of(Kind.PAYOUT, p.getOccurredAt().toEpochMilli(), p.getPayoutId(), p.getCurrency());
        e.series = p.getStoreId() + "|" + p.getPsp();
        e.amountMinor = p.getGrossMinor();
        e.otherMinor = p.getNetMinor();
        e.day = (int) p.getExpectedArrivalDate().toEpochDay();
        e.status = p.getStatus().name();
        e.label = p.getPsp() + " payout " + p.getPayoutId();
        e.account = p.getDestinationAccountId();
        return Optional.of(e);
    }

    /** A booked bank line; pending ones are not cash yet. */
    public static Optional<ForecastEvent> of(BankTransaction b) {
        if (b.getStatus() != BankEntryStatus.BOOKED) return Optional.empty();
        ForecastEvent e =
                of(Kind.BANK, b.getBookedAt().toEpochMilli(), b.getEventId(), b.getCurrency());
        e.account = b.getAccountId();
        e.counterparty = b.getCounterpartyName() == null ? "" : b.getCounterpartyName();
        e.label = b.getReference();
        e.amountMinor = b.getAmountMinor();
        // A statement may give no value date: the booking day stands for it.
        e.day =
                (int)
                        (b.getValueDate() != null
                                ? b.getValueDate().toEpochDay()
                                : Math.floorDiv(e.time, 86_400_000L));
        return Optional.of(e);
    }

    /** The end-of-day statement that anchors a forecast; intraday ones do not. */
    public static Optional<ForecastEvent> of(BankStatement s) {
        if (s.getKind() != StatementKind.END_OF_DAY) return Optional.empty();
        ForecastEvent e =
                of(Kind.CLOSE, s.getPeriodEnd().toEpochMilli(), s.getEventId(), s.getCurrency());
        e.account = s.getAccountId();
        e.amountMinor = s.getClosingBalanceMinor();
        e.otherMinor = s.getPeriodStart().toEpochMilli();
        e.entries = s.getEntryCount();
        return Optional.of(e);
    }

    public static Optional<ForecastEvent> of(Obligation o) {
        ForecastEvent e =
                of(
                        Kind.OBLIGATION,
                        o.getOccurredAt().toEpochMilli(),
                        o.getDocumentId(),
                        o.getCurrency());
        e.counterparty = o.getCounterpartyName();
        e.label = o.getKind() == ObligationKind.RECEIVABLE ? "RECEIVABLE" : "PAYABLE";
        if (o.getKind() == ObligationKind.UNKNOWN) return Optional.empty();
        e.amountMinor = o.getAmountMinor();
        e.otherMinor = o.getTaxMinor() == null ? -1 : o.getTaxMinor();
        e.day = (int) o.getDueDate().toEpochDay();
        e.status = o.getStatus() == null ? ObligationStatus.UNKNOWN.name() : o.getStatus().name();
        return Optional.of(e);
    }

    /** A rate: {@code label} units of {@code status} (the base) per unit of {@code currency}. */
    public static Optional<ForecastEvent> of(FxRate r) {
        ForecastEvent e =
                of(Kind.FX, r.getOccurredAt().toEpochMilli(), r.getEventId(), r.getCurrency());
        e.status = r.getBaseCurrency();
        e.label = r.getRate();
        return Optional.of(e);
    }

    /** LOW_BALANCE thresholds, account zones and scenarios: the rules the forecast reads. */
    public static Optional<ForecastEvent> of(ControlCommand c) {
        Optional<ThresholdRule> rule = ThresholdRule.of(c);
        if (rule.isPresent() && c.getCurrency() != null) {
            ForecastEvent e =
                    of(Kind.THRESHOLD, rule.get().effectiveAt, c.getEventId(), c.getCurrency());
            e.account = c.getScope();
            e.otherMinor = rule.get().thresholdMinor;
            e.marginMinor = rule.get().marginMinor;
            e.amountMinor = rule.get().version;
            return Optional.of(e);
        }
        Optional<VatRule> vat = VatRule.of(c);
        if (vat.isPresent()) {
            ForecastEvent e =
                    of(Kind.VAT, vat.get().effectiveAt, c.getEventId(), vat.get().currency);
            e.vat = vat.get();
            return Optional.of(e);
        }
        Optional<io.treso.jobs.reconciliation.BankCategories> categories =
                io.treso.jobs.reconciliation.BankCategories.of(c);
        if (categories.isPresent()) {
            ForecastEvent e = of(Kind.CATEGORIES, categories.get().effectiveAt, c.getEventId(), "");
            e.categories = categories.get();
            return Optional.of(e);
        }
        Optional<Scenario> scenario = Scenario.of(c);
        if (scenario.isPresent()) {
            ForecastEvent e = of(Kind.SCENARIO, scenario.get().effectiveAt, c.getEventId(), "");
            e.scenario = scenario.get();
            return Optional.of(e);
        }
        if (AccountConfig.KIND.equals(c.getKind())
                && c.getCurrency() != null
                && c.getTimeZone() != null) {
            ForecastEvent e =
                    of(
                            Kind.ZONE,
                            c.getEffectiveAt().toEpochMilli(),
                            c.getEventId(),
                            c.getCurrency());
            e.account = c.getScope();
            e.status = c.getTimeZone();
            e.label = c.getParams().get("calendar");
            return Optional.of(e);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kind + " " + id + " " + currency + " @" + time;
    }
}
