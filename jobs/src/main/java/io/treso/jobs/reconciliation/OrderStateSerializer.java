package io.treso.jobs.reconciliation;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link OrderState} in state, with its pending {@link SettlementLine}s: the order check reads and
 * writes it for every capture, refund and payout line.
 */
public final class OrderStateSerializer extends CompactSerializer<OrderState> {
    private static final long serialVersionUID = 1L;
    public static final OrderStateSerializer INSTANCE = new OrderStateSerializer();

    @Override
    public OrderState createInstance() {
        return new OrderState();
    }

    @Override
    protected void write(OrderState s, DataOutputView out) throws IOException {
        writeString(s.orderId, out);
        writeString(s.currency, out);
        writeString(s.psp, out);
        writeString(s.storeId, out);
        writeString(s.capturedEventId, out);
        out.writeLong(s.capturedAt);
        out.writeLong(s.capturedMinor);
        out.writeLong(s.refundedMinor);
        out.writeLong(s.chargebackMinor);
        out.writeBoolean(s.cancelled);
        out.writeLong(s.chargeLineAt);
        writeString(s.chargePayoutId, out);
        out.writeLong(s.missingPayoutAt);
        writeString(s.missingAlertId, out);
        out.writeLong(s.lastSeen);
        out.writeLong(s.cleanupTimer);
        out.writeInt(s.pending == null ? -1 : s.pending.length);
        if (s.pending != null) {
            for (SettlementLine l : s.pending) SettlementLineSerializer.writeLine(l, out);
        }
        writeLongs(s.seen, out);
    }

    @Override
    protected OrderState read(DataInputView in) throws IOException {
        OrderState s = new OrderState();
        s.orderId = readString(in);
        s.currency = readString(in);
        s.psp = readString(in);
        s.storeId = readString(in);
        s.capturedEventId = readString(in);
        s.capturedAt = in.readLong();
        s.capturedMinor = in.readLong();
        s.refundedMinor = in.readLong();
        s.chargebackMinor = in.readLong();
        s.cancelled = in.readBoolean();
        s.chargeLineAt = in.readLong();
        s.chargePayoutId = readString(in);
        s.missingPayoutAt = in.readLong();
        s.missingAlertId = readString(in);
        s.lastSeen = in.readLong();
        s.cleanupTimer = in.readLong();
        int pending = in.readInt();
        s.pending = pending < 0 ? null : new SettlementLine[pending];
        for (int i = 0; i < pending; i++) s.pending[i] = SettlementLineSerializer.readLine(in);
        s.seen = readLongs(in);
        return s;
    }
}
