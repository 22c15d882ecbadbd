package io.treso.jobs.reconciliation;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link OrderInput} on the wire to the order check: every capture, refund and payout line crosses
 * it, and the POJO serializer's reflection was a sixth of the order check's thread.
 */
public final class OrderInputSerializer extends CompactSerializer<OrderInput> {
    private static final long serialVersionUID = 1L;
    public static final OrderInputSerializer INSTANCE = new OrderInputSerializer();

    /** For the streams of order facts and payout lines that meet at the order check. */
    public static final TypeInformation<OrderInput> TYPE =
            INSTANCE.typeInformation(OrderInput.class);

    @Override
    public OrderInput createInstance() {
        return new OrderInput();
    }

    @Override
    protected void write(OrderInput in, DataOutputView out) throws IOException {
        OrderFacts o = in.order;
        out.writeBoolean(o != null);
        if (o != null) {
            writeString(o.eventId, out);
            writeString(o.orderId, out);
            writeString(o.kind, out);
            out.writeLong(o.amountMinor);
            writeString(o.currency, out);
            writeString(o.psp, out);
            writeString(o.storeId, out);
            out.writeLong(o.occurredAt);
        }
        SettlementLineSerializer.writeLine(in.line, out);
    }

    @Override
    protected OrderInput read(DataInputView in) throws IOException {
        OrderInput r = new OrderInput();
        if (in.readBoolean()) {
            OrderFacts o = new OrderFacts();
            o.eventId = readString(in);
            o.orderId = readString(in);
            o.kind = readString(in);
            o.amountMinor = in.readLong();
            o.currency = readString(in);
            o.psp = readString(in);
            o.storeId = readString(in);
            o.occurredAt = in.readLong();
            r.order = o;
        }
        r.line = SettlementLineSerializer.readLine(in);
        return r;
    }
}
