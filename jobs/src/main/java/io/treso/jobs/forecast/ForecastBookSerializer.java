package io.treso.jobs.forecast;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ForecastBook} in state: read and written once per day and currency. */
public final class ForecastBookSerializer extends CompactSerializer<ForecastBook> {
    private static final long serialVersionUID = 1L;
    public static final ForecastBookSerializer INSTANCE = new ForecastBookSerializer();

    @Override
    public ForecastBook createInstance() {
        return new ForecastBook();
    }

    @Override
    protected void write(ForecastBook b, DataOutputView out) throws IOException {
        out.writeInt(b.closes.size());
        for (Map.Entry<String, ForecastBook.Close> e : b.closes.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().currency, out);
            out.writeLong(e.getValue().time);
            out.writeLong(e.getValue().balanceMinor);
            writeLongs(e.getValue().ahead, out);
            out.writeInt(e.getValue().aheadFrom);
            out.writeLong(e.getValue().residualMinor);
            out.writeInt(e.getValue().residuals);
        }
        out.writeInt(b.zones.size());
        for (Map.Entry<String, String> e : b.zones.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeInt(b.thresholds.size());
        for (Map.Entry<String, ArrayList<ForecastBook.Threshold>> e : b.thresholds.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (ForecastBook.Threshold t : e.getValue()) {
                out.writeLong(t.effectiveAt);
                out.writeLong(t.version);
                out.writeLong(t.thresholdMinor);
                out.writeLong(t.marginMinor);
            }
        }
        out.writeInt(b.payouts.size());
        for (Map.Entry<String, ForecastBook.Payout> e : b.payouts.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().currency, out);
            writeString(e.getValue().account, out);
            out.writeInt(e.getValue().arrivalDay);
            out.writeLong(e.getValue().netMinor);
            writeString(e.getValue().status, out);
            writeString(e.getValue().label, out);
        }
        out.writeInt(b.open.size());
        for (Map.Entry<String, ForecastBook.Open> e : b.open.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().currency, out);
            out.writeBoolean(e.getValue().receivable);
            writeString(e.getValue().counterparty, out);
            out.writeLong(e.getValue().amountMinor);
            out.writeInt(e.getValue().dueDay);
        }
        out.writeInt(b.debits.size());
        for (Map.Entry<String, ForecastBook.Debits> e : b.debits.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().name, out);
            out.writeInt(e.getValue().days.size());
            for (int i = 0; i < e.getValue().days.size(); i++) {
                out.writeInt(e.getValue().days.get(i));
                out.writeLong(e.getValue().amounts.get(i));
            }
        }
        out.writeInt(b.delays.size());
        for (Map.Entry<String, LearnedLag> e : b.delays.entrySet()) {
            writeString(e.getKey(), out);
            writeLag(e.getValue(), out);
        }
        out.writeInt(b.rates.size());
        for (Map.Entry<String, ForecastBook.Rate> e : b.rates.entrySet()) {
            writeString(e.getKey(), out);
            out.writeLong(e.getValue().time);
            writeString(e.getValue().base, out);
            writeString(e.getValue().rate, out);
        }
        writeLag(b.portfolioDelay, out);
        out.writeInt(b.anchored.size());
        for (String a : b.anchored) writeString(a, out);
        out.writeInt(b.episodes.size());
        for (Map.Entry<String, ForecastBook.Episode> e : b.episodes.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().alertId, out);
            out.writeLong(e.getValue().since);
        }
    }

    @Override
    protected ForecastBook read(DataInputView in) throws IOException {
        ForecastBook b = new ForecastBook();
        for (int n = in.readInt(); n > 0; n--) {
            ForecastBook.Close c = new ForecastBook.Close();
            String account = readString(in);
            c.currency = readString(in);
            c.time = in.readLong();
            c.balanceMinor = in.readLong();
            c.ahead = readLongs(in);
            c.aheadFrom = in.readInt();
            c.residualMinor = in.readLong();
            c.residuals = in.readInt();
            b.closes.put(account, c);
        }
        for (int n = in.readInt(); n > 0; n--) b.zones.put(readString(in), readString(in));
        for (int n = in.readInt(); n > 0; n--) {
            String account = readString(in);
            ArrayList<ForecastBook.Threshold> list = new ArrayList<>();
            for (int m = in.readInt(); m > 0; m--) {
                ForecastBook.Threshold t = new ForecastBook.Threshold();
                t.effectiveAt = in.readLong();
                t.version = in.readLong();
                t.thresholdMinor = in.readLong();
                t.marginMinor = in.readLong();
                list.add(t);
            }
            b.thresholds.put(account, list);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String id = readString(in);
            ForecastBook.Payout p = new ForecastBook.Payout();
            p.currency = readString(in);
            p.account = readString(in);
            p.arrivalDay = in.readInt();
            p.netMinor = in.readLong();
            p.status = readString(in);
            p.label = readString(in);
            b.payouts.put(id, p);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String id = readString(in);
            ForecastBook.Open o = new ForecastBook.Open();
            o.currency = readString(in);
            o.receivable = in.readBoolean();
            o.counterparty = readString(in);
            o.amountMinor = in.readLong();
            o.dueDay = in.readInt();
            b.open.put(id, o);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String who = readString(in);
            ForecastBook.Debits d = new ForecastBook.Debits();
            d.name = readString(in);
            for (int m = in.readInt(); m > 0; m--) {
                d.days.add(in.readInt());
                d.amounts.add(in.readLong());
            }
            b.debits.put(who, d);
        }
        for (int n = in.readInt(); n > 0; n--) b.delays.put(readString(in), readLag(in));
        for (int n = in.readInt(); n > 0; n--) {
            String currency = readString(in);
            ForecastBook.Rate r = new ForecastBook.Rate();
            r.time = in.readLong();
            r.base = readString(in);
            r.rate = readString(in);
            b.rates.put(currency, r);
        }
        b.portfolioDelay = readLag(in);
        for (int n = in.readInt(); n > 0; n--) b.anchored.add(readString(in));
        for (int n = in.readInt(); n > 0; n--) {
            String path = readString(in);
            ForecastBook.Episode e = new ForecastBook.Episode();
            e.alertId = readString(in);
            e.since = in.readLong();
            b.episodes.put(path, e);
        }
        return b;
    }

    private static void writeLag(LearnedLag l, DataOutputView out) throws IOException {
        out.writeInt(l.seen);
        out.writeLong(l.tenths);
    }

    private static LearnedLag readLag(DataInputView in) throws IOException {
        LearnedLag l = new LearnedLag();
        l.seen = in.readInt();
        l.tenths = in.readLong();
        return l;
    }
}
