package io.treso.jobs.forecast;

import io.treso.event.ForecastPoint;
import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
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
            out.writeInt(e.getValue().aheadDay);
            out.writeLong(e.getValue().residualMinor);
            out.writeInt(e.getValue().residuals);
            out.writeInt(e.getValue().paths.size());
            for (Map.Entry<Integer, ArrayList<ForecastPoint>> path :
                    e.getValue().paths.entrySet()) {
                out.writeInt(path.getKey());
                out.writeInt(path.getValue().size());
                for (ForecastPoint p : path.getValue()) {
                    java.nio.ByteBuffer buffer = p.toByteBuffer();
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
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
            out.writeInt(e.getValue().known);
            out.writeLong(e.getValue().closedAt);
        }
        writeHistories(b.debits, out);
        writeHistories(b.credits, out);
        writeRates(b.rates, out);
        writeScenarios(b.scenarios, out);
        out.writeInt(b.views.size());
        for (Map.Entry<String, ArrayList<BankView>> e : b.views.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (BankView v : e.getValue()) writeView(v, out);
        }
        out.writeInt(b.booked.size());
        for (Map.Entry<String, java.util.TreeMap<Long, Integer>> e : b.booked.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (Map.Entry<Long, Integer> t : e.getValue().entrySet()) {
                out.writeLong(t.getKey());
                out.writeInt(t.getValue());
            }
        }
        out.writeInt(b.settled.size());
        for (Map.Entry<String, ForecastBook.Settlement> e : b.settled.entrySet()) {
            writeString(e.getKey(), out);
            out.writeLong(e.getValue().time);
            out.writeInt(e.getValue().day);
            writeString(e.getValue().line, out);
        }
        out.writeInt(b.currencies.size());
        for (Map.Entry<String, String> e : b.currencies.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeInt(b.episodes.size());
        for (Map.Entry<String, ForecastBook.Episode> e : b.episodes.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().alertId, out);
            out.writeLong(e.getValue().since);
            writeString(e.getValue().severity, out);
        }
        out.writeInt(b.vat.size());
        for (Map.Entry<String, ArrayList<VatRule>> e : b.vat.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (VatRule r : e.getValue()) ForecastEventSerializer.writeVat(r, out);
        }
        out.writeInt(b.vatDocuments.size());
        for (Map.Entry<String, VatAccrual.Document> e : b.vatDocuments.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().day);
            writeString(e.getValue().currency, out);
            out.writeLong(e.getValue().taxMinor);
        }
        out.writeInt(b.vatShown.size());
        for (Map.Entry<String, Long> e : b.vatShown.entrySet()) {
            writeString(e.getKey(), out);
            out.writeLong(e.getValue());
        }
        out.writeInt(b.calendars.size());
        for (Map.Entry<String, String> e : b.calendars.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeInt(b.lineIds.size());
        for (Map.Entry<String, Long> e : b.lineIds.entrySet()) {
            writeString(e.getKey(), out);
            out.writeLong(e.getValue());
        }
        out.writeInt(b.spending.size());
        for (Map.Entry<String, ArrayList<CategoryFlows.Line>> e : b.spending.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (CategoryFlows.Line l : e.getValue()) {
                out.writeLong(l.time);
                out.writeInt(l.day);
                out.writeLong(l.amountMinor);
                writeString(l.counterparty, out);
                writeString(l.reference, out);
                writeString(l.who, out);
            }
        }
        out.writeInt(b.firstLine.size());
        for (Map.Entry<String, Integer> e : b.firstLine.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue());
        }
        ForecastEventSerializer.writeCategoryList(b.categories, out);
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
            c.aheadDay = in.readInt();
            c.residualMinor = in.readLong();
            c.residuals = in.readInt();
            for (int k = in.readInt(); k > 0; k--) {
                int day = in.readInt();
                ArrayList<ForecastPoint> path = new ArrayList<>();
                for (int m = in.readInt(); m > 0; m--) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    path.add(ForecastPoint.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes)));
                }
                c.paths.put(day, path);
            }
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
            o.known = in.readInt();
            o.closedAt = in.readLong();
            b.open.put(id, o);
        }
        b.debits = readHistories(in);
        b.credits = readHistories(in);
        b.rates = readRates(in);
        b.scenarios = readScenarios(in);
        for (int n = in.readInt(); n > 0; n--) {
            String account = readString(in);
            ArrayList<BankView> list = new ArrayList<>();
            for (int m = in.readInt(); m > 0; m--) list.add(readView(in));
            b.views.put(account, list);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String account = readString(in);
            java.util.TreeMap<Long, Integer> times = new java.util.TreeMap<>();
            for (int m = in.readInt(); m > 0; m--) times.put(in.readLong(), in.readInt());
            b.booked.put(account, times);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String doc = readString(in);
            ForecastBook.Settlement x = new ForecastBook.Settlement();
            x.time = in.readLong();
            x.day = in.readInt();
            x.line = readString(in);
            b.settled.put(doc, x);
        }
        for (int n = in.readInt(); n > 0; n--) b.currencies.put(readString(in), readString(in));
        for (int n = in.readInt(); n > 0; n--) {
            String path = readString(in);
            ForecastBook.Episode e = new ForecastBook.Episode();
            e.alertId = readString(in);
            e.since = in.readLong();
            e.severity = readString(in);
            b.episodes.put(path, e);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String entity = readString(in);
            ArrayList<VatRule> versions = new ArrayList<>();
            for (int k = in.readInt(); k > 0; k--)
                versions.add(ForecastEventSerializer.readVat(in));
            b.vat.put(entity, versions);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String doc = readString(in);
            VatAccrual.Document d = new VatAccrual.Document();
            d.day = in.readInt();
            d.currency = readString(in);
            d.taxMinor = in.readLong();
            b.vatDocuments.put(doc, d);
        }
        for (int n = in.readInt(); n > 0; n--) b.vatShown.put(readString(in), in.readLong());
        for (int n = in.readInt(); n > 0; n--) b.calendars.put(readString(in), readString(in));
        for (int n = in.readInt(); n > 0; n--) b.lineIds.put(readString(in), in.readLong());
        for (int n = in.readInt(); n > 0; n--) {
            String account = readString(in);
            ArrayList<CategoryFlows.Line> lines = new ArrayList<>();
            for (int m = in.readInt(); m > 0; m--) {
                CategoryFlows.Line l = new CategoryFlows.Line();
                l.time = in.readLong();
                l.day = in.readInt();
                l.amountMinor = in.readLong();
                l.counterparty = readString(in);
                l.reference = readString(in);
                l.who = readString(in);
                lines.add(l);
            }
            b.spending.put(account, lines);
        }
        for (int n = in.readInt(); n > 0; n--) b.firstLine.put(readString(in), in.readInt());
        b.categories = ForecastEventSerializer.readCategoryList(in);
        return b;
    }

    private static void writeView(BankView v, DataOutputView out) throws IOException {
        writeString(v.account, out);
        out.writeLong(v.time);
        out.writeInt(v.day);
        out.writeLong(v.balanceMinor);
        out.writeLong(v.periodStart);
        out.writeLong(v.entries);
    }

    private static BankView readView(DataInputView in) throws IOException {
        BankView v = new BankView();
        v.account = readString(in);
        v.time = in.readLong();
        v.day = in.readInt();
        v.balanceMinor = in.readLong();
        v.periodStart = in.readLong();
        v.entries = in.readLong();
        return v;
    }

    private static void writeHistories(
            java.util.TreeMap<String, ForecastBook.Debits> h, DataOutputView out)
            throws IOException {
        out.writeInt(h.size());
        for (Map.Entry<String, ForecastBook.Debits> e : h.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue().name, out);
            out.writeInt(e.getValue().days.size());
            for (int i = 0; i < e.getValue().days.size(); i++) {
                out.writeInt(e.getValue().days.get(i));
                out.writeLong(e.getValue().amounts.get(i));
                out.writeLong(e.getValue().times.get(i));
                writeString(e.getValue().ids.get(i), out);
            }
        }
    }

    private static java.util.TreeMap<String, ForecastBook.Debits> readHistories(DataInputView in)
            throws IOException {
        java.util.TreeMap<String, ForecastBook.Debits> h = new java.util.TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            String who = readString(in);
            ForecastBook.Debits d = new ForecastBook.Debits();
            d.name = readString(in);
            for (int m = in.readInt(); m > 0; m--) {
                d.days.add(in.readInt());
                d.amounts.add(in.readLong());
                d.times.add(in.readLong());
                d.ids.add(readString(in));
            }
            h.put(who, d);
        }
        return h;
    }

    static void writeRates(TreeMap<String, ForecastBook.Rate> rates, DataOutputView out)
            throws IOException {
        out.writeInt(rates.size());
        for (Map.Entry<String, ForecastBook.Rate> e : rates.entrySet()) {
            writeString(e.getKey(), out);
            out.writeLong(e.getValue().time);
            writeString(e.getValue().base, out);
            writeString(e.getValue().rate, out);
        }
    }

    static TreeMap<String, ForecastBook.Rate> readRates(DataInputView in) throws IOException {
        TreeMap<String, ForecastBook.Rate> rates = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            String currency = readString(in);
            ForecastBook.Rate r = new ForecastBook.Rate();
            r.time = in.readLong();
            r.base = readString(in);
            r.rate = readString(in);
            rates.put(currency, r);
        }
        return rates;
    }

    static void writeScenarios(TreeMap<String, ArrayList<Scenario>> all, DataOutputView out)
            throws IOException {
        out.writeInt(all.size());
        for (Map.Entry<String, ArrayList<Scenario>> e : all.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (Scenario s : e.getValue()) ForecastEventSerializer.writeScenario(s, out);
        }
    }

    static TreeMap<String, ArrayList<Scenario>> readScenarios(DataInputView in) throws IOException {
        TreeMap<String, ArrayList<Scenario>> all = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
            String id = readString(in);
            ArrayList<Scenario> list = new ArrayList<>();
            for (int m = in.readInt(); m > 0; m--)
                list.add(ForecastEventSerializer.readScenario(in));
            all.put(id, list);
        }
        return all;
    }
}
