package io.treso.jobs.reconciliation;

import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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

    /**
     * The type of a line made from a payout's {@code order_ids} when it lists no lines: the order
     * is paid out, but there is no amount to check.
     */
    public static final String ORDER_REF = "ORDER_REF";

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
        if (e.getLines().isEmpty()) {
            for (String orderId : new LinkedHashSet<>(e.getOrderIds())) {
                SettlementLine s = line(e, account);
                s.sourceId = e.getPayoutId() + ":" + orderId;
                s.type = ORDER_REF;
                s.orderId = orderId;
                s.currency = e.getCurrency();
                out.add(s);
            }
            return out;
        }
        for (PayoutLine l : e.getLines()) {
            if (l.getOrderId() == null) continue;
            SettlementLine s = line(e, account);
            s.sourceId = l.getSourceId();
            s.type = l.getType().name();
            s.orderId = l.getOrderId();
            s.amountMinor = l.getAmountMinor();
            s.currency = l.getCurrency();
            s.exchangeRate = l.getExchangeRate();
            out.add(s);
        }
        return out;
    }

    private static SettlementLine line(PayoutEvent e, String account) {
        SettlementLine s = new SettlementLine();
        s.payoutId = e.getPayoutId();
        s.payoutEventId = e.getEventId();
        s.payoutAt = e.getOccurredAt().toEpochMilli();
        s.accountKey = account;
        s.payoutCurrency = e.getCurrency();
        return s;
    }
}
