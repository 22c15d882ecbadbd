package io.treso.jobs.reconciliation;

import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import java.util.ArrayList;
import java.util.List;

/** One line of a payout that names an order: what the PSP says it settled for that order. */
public final class SettlementLine {
    public String payoutId;
    public String payoutEventId;
    public long payoutAt;
    public String accountKey;
    public String sourceId;
    public String type;
    public String orderId;
    public long amountMinor;
    public String currency;
    public String exchangeRate;
    public String payoutCurrency;

    public SettlementLine() {}

    /** The lines of a payout event that name an order; a called-off payout settles nothing. */
    public static List<SettlementLine> of(PayoutEvent e) {
        List<SettlementLine> out = new ArrayList<>();
        String status = e.getStatus().name();
        if (status.equals("FAILED") || status.equals("CANCELLED")) return out;
        String account =
                e.getDestinationAccountId() == null
                        ? PayoutFacts.UNASSIGNED + e.getCurrency()
                        : e.getDestinationAccountId();
        for (PayoutLine l : e.getLines()) {
            if (l.getOrderId() == null) continue;
            SettlementLine s = new SettlementLine();
            s.payoutId = e.getPayoutId();
            s.payoutEventId = e.getEventId();
            s.payoutAt = e.getOccurredAt().toEpochMilli();
            s.accountKey = account;
            s.sourceId = l.getSourceId();
            s.type = l.getType().name();
            s.orderId = l.getOrderId();
            s.amountMinor = l.getAmountMinor();
            s.currency = l.getCurrency();
            s.exchangeRate = l.getExchangeRate();
            s.payoutCurrency = e.getCurrency();
            out.add(s);
        }
        return out;
    }
}
