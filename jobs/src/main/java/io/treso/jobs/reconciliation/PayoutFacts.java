package io.treso.jobs.reconciliation;

import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What bank matching needs of a payout event, with its identity figures worked out before the
 * keyBy: a payout carries a line per order, and shipping those lines to the account's operator
 * costs more than checking them where the event is decoded.
 */
public final class PayoutFacts {
    public String eventId;
    public String payoutId;
    public String psp;
    public String storeId;
    public String status;
    public long occurredAt;
    public long netMinor;
    public String currency;
    public long arrivalDay;
    public String destinationAccountId;
    public String descriptor;

    /** gross − fees − refunds + adjustments − net, on the payout's own fields. */
    public long ownDifference;

    /** Σ line nets (in the payout's currency) − net; 0 when the payout lists no lines. */
    public long linesDifference;

    /** What the payout says it settles: {@link #LINES}, {@link #ORDER_IDS} or {@link #MONEY}. */
    public String settles;

    public static final String LINES = "lines";
    public static final String ORDER_IDS = "order ids";
    public static final String MONEY = "money";

    /** Lines whose own amount − fee ≠ net, or whose currency cannot be converted. */
    public String[] brokenLineIds = new String[0];

    public PayoutFacts() {}

    public static PayoutFacts of(PayoutEvent e) {
        PayoutFacts f = new PayoutFacts();
        f.eventId = e.getEventId();
        f.payoutId = e.getPayoutId();
        f.psp = e.getPsp().name();
        f.storeId = e.getStoreId();
        f.status = e.getStatus().name();
        f.occurredAt = e.getOccurredAt().toEpochMilli();
        f.netMinor = e.getNetMinor();
        f.currency = e.getCurrency();
        f.arrivalDay = e.getExpectedArrivalDate().toEpochDay();
        f.destinationAccountId = e.getDestinationAccountId();
        f.descriptor = e.getDescriptor();
        f.ownDifference =
                e.getGrossMinor()
                        - e.getFeeMinor()
                        - e.getRefundMinor()
                        + e.getAdjustmentMinor()
                        - e.getNetMinor();
        List<String> broken = new ArrayList<>();
        long sum = 0;
        for (PayoutLine l : e.getLines()) {
            if (l.getAmountMinor() - l.getFeeMinor() != l.getNetMinor()) {
                broken.add(l.getSourceId());
            }
            if (l.getCurrency().equals(e.getCurrency())) {
                sum += l.getNetMinor();
            } else if (l.getExchangeRate() != null) {
                sum +=
                        BigDecimal.valueOf(l.getNetMinor())
                                .multiply(new BigDecimal(l.getExchangeRate()))
                                .setScale(0, RoundingMode.HALF_EVEN)
                                .longValueExact();
            } else {
                broken.add(l.getSourceId());
            }
        }
        f.linesDifference = e.getLines().isEmpty() ? 0 : sum - e.getNetMinor();
        f.settles =
                !e.getLines().isEmpty() ? LINES : !e.getOrderIds().isEmpty() ? ORDER_IDS : MONEY;
        f.brokenLineIds = broken.toArray(new String[0]);
        return f;
    }

    /** The key of payouts that name no destination account: they wait there, per currency. */
    public static final String UNASSIGNED = "?";

    /** The account whose operator matches this payout. */
    public String accountKey() {
        return destinationAccountId == null ? UNASSIGNED + currency : destinationAccountId;
    }

    public boolean isCalledOff() {
        return "FAILED".equals(status) || "CANCELLED".equals(status);
    }
}
