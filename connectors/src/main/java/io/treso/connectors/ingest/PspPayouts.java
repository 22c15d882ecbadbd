package io.treso.connectors.ingest;

import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.PayoutStatus;
import io.treso.event.Psp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What every PSP export shares: a payout's totals from its lines, the identity gross − fees −
 * refunds + adjustments = net checked before anything is published, and the canonical event.
 */
public final class PspPayouts {
    private PspPayouts() {}

    /** The payout's four totals, minor units of its currency. */
    public record Totals(long gross, long fee, long refund, long adjustment) {
        /** From its lines: charges are gross, refunds and disputes refunds, FEE lines fees. */
        public static Totals ofLines(List<PayoutLine> lines) {
            long gross = 0;
            long fee = 0;
            long refund = 0;
            long adjustment = 0;
            for (PayoutLine l : lines) {
                fee += l.getFeeMinor();
                switch (l.getType()) {
                    case CHARGE -> gross += l.getAmountMinor();
                    case REFUND, DISPUTE -> refund -= l.getAmountMinor();
                    case FEE -> fee -= l.getAmountMinor();
                    default -> adjustment += l.getAmountMinor();
                }
            }
            return new Totals(gross, fee, refund, adjustment);
        }

        public void requireNet(long net, String currency, String where)
                throws RefusedFileException {
            if (gross - fee - refund + adjustment != net) {
                throw new RefusedFileException(
                        where
                                + ": gross "
                                + MinorUnits.format(gross, currency)
                                + " - fees "
                                + MinorUnits.format(fee, currency)
                                + " - refunds "
                                + MinorUnits.format(refund, currency)
                                + " + adjustments "
                                + MinorUnits.format(adjustment, currency)
                                + " ≠ amount "
                                + MinorUnits.format(net, currency));
            }
        }
    }

    /** A balance transaction must say amount − fee = net, in the payout's currency. */
    public static void requireLine(
            long amount, long fee, long net, String currency, String payoutCurrency, String where)
            throws RefusedFileException {
        if (amount - fee != net) {
            throw new RefusedFileException(
                    where
                            + ": amount "
                            + MinorUnits.format(amount, currency)
                            + " - fee "
                            + MinorUnits.format(fee, currency)
                            + " ≠ net "
                            + MinorUnits.format(net, currency));
        }
        if (!currency.equals(payoutCurrency)) {
            throw new RefusedFileException(
                    where + " is in " + currency + ", its payout in " + payoutCurrency);
        }
    }

    /** The event, id {@code <psp>:<payout id>:<status>} as the simulator writes it. */
    public static PayoutEvent event(
            Psp psp,
            String payoutId,
            PayoutStatus status,
            Instant occurredAt,
            Totals totals,
            long net,
            String currency,
            LocalDate arrival,
            PspContext context,
            String descriptor,
            List<PayoutLine> lines) {
        TreeSet<String> orders = new TreeSet<>();
        for (PayoutLine l : lines) if (l.getOrderId() != null) orders.add(l.getOrderId());
        return PayoutEvent.newBuilder()
                .setEventId(psp.name().toLowerCase(Locale.ROOT) + ":" + payoutId + ":" + status)
                .setOccurredAt(occurredAt)
                .setPsp(psp)
                .setStoreId(context.storeId())
                .setPayoutId(payoutId)
                .setStatus(status)
                .setGrossMinor(totals.gross())
                .setFeeMinor(totals.fee())
                .setRefundMinor(totals.refund())
                .setAdjustmentMinor(totals.adjustment())
                .setNetMinor(net)
                .setCurrency(currency)
                .setExpectedArrivalDate(arrival)
                .setDestinationAccountId(context.destinationAccount())
                .setOrderIds(new ArrayList<>(orders))
                .setDescriptor(descriptor)
                .setLines(lines)
                .build();
    }
}
