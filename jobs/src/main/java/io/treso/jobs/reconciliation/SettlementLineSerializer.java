package io.treso.jobs.reconciliation;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link SettlementLine}, alone or nullable inside an order's state and the order check's input:
 * one layout for both.
 */
public final class SettlementLineSerializer extends CompactSerializer<SettlementLine> {
    private static final long serialVersionUID = 1L;
    public static final SettlementLineSerializer INSTANCE = new SettlementLineSerializer();

    @Override
    public SettlementLine createInstance() {
        return new SettlementLine();
    }

    @Override
    protected void write(SettlementLine l, DataOutputView out) throws IOException {
        writeLine(l, out);
    }

    @Override
    protected SettlementLine read(DataInputView in) throws IOException {
        return readLine(in);
    }

    static void writeLine(SettlementLine l, DataOutputView out) throws IOException {
        out.writeBoolean(l != null);
        if (l == null) return;
        writeString(l.payoutId, out);
        writeString(l.payoutEventId, out);
        out.writeLong(l.payoutAt);
        writeString(l.accountKey, out);
        writeString(l.sourceId, out);
        writeString(l.type, out);
        writeString(l.orderId, out);
        out.writeLong(l.amountMinor);
        writeString(l.currency, out);
        writeString(l.exchangeRate, out);
        writeString(l.payoutCurrency, out);
    }

    static SettlementLine readLine(DataInputView in) throws IOException {
        if (!in.readBoolean()) return null;
        SettlementLine l = new SettlementLine();
        l.payoutId = readString(in);
        l.payoutEventId = readString(in);
        l.payoutAt = in.readLong();
        l.accountKey = readString(in);
        l.sourceId = readString(in);
        l.type = readString(in);
        l.orderId = readString(in);
        l.amountMinor = in.readLong();
        l.currency = readString(in);
        l.exchangeRate = readString(in);
        l.payoutCurrency = readString(in);
        return l;
    }
}
