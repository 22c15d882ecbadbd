package io.treso.jobs.forecast;

import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link DaySnapshot} in state: written once a day, read once per end-of-day statement. */
public final class DaySnapshotSerializer extends CompactSerializer<DaySnapshot> {
    private static final long serialVersionUID = 1L;
    public static final DaySnapshotSerializer INSTANCE = new DaySnapshotSerializer();

    @Override
    public DaySnapshot createInstance() {
        return new DaySnapshot();
    }

    @Override
    protected void write(DaySnapshot s, DataOutputView out) throws IOException {
        out.writeInt(s.day);
        out.writeInt(s.items.size());
        for (Map.Entry<String, TreeMap<String, ArrayList<DaySnapshot.Planned>>> e :
                s.items.entrySet()) {
            writeString(e.getKey(), out);
            out.writeInt(e.getValue().size());
            for (Map.Entry<String, ArrayList<DaySnapshot.Planned>> a : e.getValue().entrySet()) {
                writeString(a.getKey(), out);
                writePlanned(a.getValue(), out);
            }
        }
        out.writeInt(s.errors.size());
        for (Map.Entry<String, long[]> e : s.errors.entrySet()) {
            writeString(e.getKey(), out);
            writeLongs(e.getValue(), out);
        }
        ForecastBookSerializer.writeScenarios(s.rules, out);
        ForecastBookSerializer.writeRates(s.rates, out);
        ForecastEventSerializer.writeCategoryList(s.categories, out);
        out.writeInt(s.vat.size());
        for (VatRule r : s.vat) ForecastEventSerializer.writeVat(r, out);
    }

    @Override
    protected DaySnapshot read(DataInputView in) throws IOException {
        DaySnapshot s = new DaySnapshot();
        s.day = in.readInt();
        for (int n = in.readInt(); n > 0; n--) {
            String scenario = readString(in);
            TreeMap<String, ArrayList<DaySnapshot.Planned>> byAccount = new TreeMap<>();
            for (int m = in.readInt(); m > 0; m--) {
                String account = readString(in);
                ArrayList<DaySnapshot.Planned> list = readPlanned(in);
                byAccount.put(account, list);
            }
            s.items.put(scenario, byAccount);
        }
        for (int n = in.readInt(); n > 0; n--) s.errors.put(readString(in), readLongs(in));
        s.rules = ForecastBookSerializer.readScenarios(in);
        s.rates = ForecastBookSerializer.readRates(in);
        s.categories = ForecastEventSerializer.readCategoryList(in);
        for (int n = in.readInt(); n > 0; n--) s.vat.add(ForecastEventSerializer.readVat(in));
        return s;
    }

    static void writePlanned(ArrayList<DaySnapshot.Planned> list, DataOutputView out)
            throws IOException {
        out.writeInt(list.size());
        for (DaySnapshot.Planned p : list) {
            out.writeInt(p.day);
            out.writeLong(p.amountMinor);
            out.writeByte(p.kind.ordinal());
            writeString(p.label, out);
            writeString(p.ref, out);
            out.writeInt(p.every);
        }
    }

    static ArrayList<DaySnapshot.Planned> readPlanned(DataInputView in) throws IOException {
        ArrayList<DaySnapshot.Planned> list = new ArrayList<>();
        for (int k = in.readInt(); k > 0; k--) {
            DaySnapshot.Planned p = new DaySnapshot.Planned();
            p.day = in.readInt();
            p.amountMinor = in.readLong();
            p.kind = CashForecast.Kind.values()[in.readByte()];
            p.label = readString(in);
            p.ref = readString(in);
            p.every = in.readInt();
            list.add(p);
        }
        return list;
    }
}
