package io.treso.jobs.reconciliation;

import io.treso.jobs.reconciliation.PspLedgerState.DayMoney;
import io.treso.jobs.reconciliation.PspLedgerState.OverdueOrder;
import io.treso.jobs.reconciliation.PspLedgerState.PayoutMark;
import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link PspLedgerState} in state: read and written for every capture, refund and payout of the PSP
 * scope, and at each of its timers. Flink's POJO serializer set its days, payouts and orders field
 * by field by reflection: half of the ledger's time.
 */
public final class PspLedgerStateSerializer extends CompactSerializer<PspLedgerState> {
    private static final long serialVersionUID = 1L;
    public static final PspLedgerStateSerializer INSTANCE = new PspLedgerStateSerializer();

    @Override
    public PspLedgerState createInstance() {
        return new PspLedgerState();
    }

    @Override
    protected void write(PspLedgerState s, DataOutputView out) throws IOException {
        writeString(s.psp, out);
        writeString(s.storeId, out);
        writeString(s.currency, out);
        out.writeInt(s.days == null ? -1 : s.days.length);
        if (s.days != null) {
            for (DayMoney d : s.days) {
                out.writeLong(d.day);
                out.writeLong(d.capturedMinor);
                out.writeLong(d.refundedMinor);
                out.writeLong(d.chargedBackMinor);
            }
        }
        out.writeLong(s.rolledCapturedMinor);
        out.writeLong(s.rolledOutMinor);
        out.writeInt(s.payouts == null ? -1 : s.payouts.length);
        if (s.payouts != null) {
            for (PayoutMark p : s.payouts) {
                writeString(p.payoutId, out);
                out.writeLong(p.paidAt);
                out.writeLong(p.amountMinor);
                out.writeLong(p.calledOffAt);
                out.writeBoolean(p.namesOrders);
                out.writeLong(p.grossMinor);
                out.writeLong(p.feeMinor);
            }
        }
        out.writeLong(s.rolledRefundedMinor);
        out.writeLong(s.rolledGrossMinor);
        out.writeLong(s.rolledFeeMinor);
        writeLongs(s.reportedTotals, out);
        out.writeBoolean(s.rolledNamesOrders);
        out.writeLong(s.rolledPayoutAt);
        out.writeInt(s.orders == null ? -1 : s.orders.length);
        if (s.orders != null) {
            for (OverdueOrder o : s.orders) {
                writeString(o.orderId, out);
                writeString(o.capturedEventId, out);
                out.writeLong(o.capturedAt);
                out.writeLong(o.amountMinor);
                out.writeLong(o.noticeAt);
                out.writeLong(o.paidOutAt);
            }
        }
        writeString(s.episodeId, out);
        out.writeLong(s.lastActivity);
        out.writeBoolean(s.reported);
        out.writeLong(s.reportedBalanceMinor);
    }

    @Override
    protected PspLedgerState read(DataInputView in) throws IOException {
        PspLedgerState s = new PspLedgerState();
        s.psp = readString(in);
        s.storeId = readString(in);
        s.currency = readString(in);
        int n = in.readInt();
        s.days = n < 0 ? null : new DayMoney[n];
        for (int i = 0; i < n; i++) {
            DayMoney d = new DayMoney();
            d.day = in.readLong();
            d.capturedMinor = in.readLong();
            d.refundedMinor = in.readLong();
            d.chargedBackMinor = in.readLong();
            s.days[i] = d;
        }
        s.rolledCapturedMinor = in.readLong();
        s.rolledOutMinor = in.readLong();
        n = in.readInt();
        s.payouts = n < 0 ? null : new PayoutMark[n];
        for (int i = 0; i < n; i++) {
            PayoutMark p = new PayoutMark();
            p.payoutId = readString(in);
            p.paidAt = in.readLong();
            p.amountMinor = in.readLong();
            p.calledOffAt = in.readLong();
            p.namesOrders = in.readBoolean();
            p.grossMinor = in.readLong();
            p.feeMinor = in.readLong();
            s.payouts[i] = p;
        }
        s.rolledRefundedMinor = in.readLong();
        s.rolledGrossMinor = in.readLong();
        s.rolledFeeMinor = in.readLong();
        s.reportedTotals = readLongs(in);
        s.rolledNamesOrders = in.readBoolean();
        s.rolledPayoutAt = in.readLong();
        n = in.readInt();
        s.orders = n < 0 ? null : new OverdueOrder[n];
        for (int i = 0; i < n; i++) {
            OverdueOrder o = new OverdueOrder();
            o.orderId = readString(in);
            o.capturedEventId = readString(in);
            o.capturedAt = in.readLong();
            o.amountMinor = in.readLong();
            o.noticeAt = in.readLong();
            o.paidOutAt = in.readLong();
            s.orders[i] = o;
        }
        s.episodeId = readString(in);
        s.lastActivity = in.readLong();
        s.reported = in.readBoolean();
        s.reportedBalanceMinor = in.readLong();
        return s;
    }
}
