package io.treso.jobs.forecast;

import io.treso.jobs.reconciliation.BankCategories;
import io.treso.jobs.runtime.CompactSerializer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ForecastEvent} on the wire and in the day's waiting list. */
public final class ForecastEventSerializer extends CompactSerializer<ForecastEvent> {
    private static final long serialVersionUID = 1L;
    public static final ForecastEventSerializer INSTANCE = new ForecastEventSerializer();

    @Override
    public ForecastEvent createInstance() {
        return new ForecastEvent();
    }

    @Override
    protected void write(ForecastEvent e, DataOutputView out) throws IOException {
        out.writeByte(e.kind.ordinal());
        out.writeLong(e.time);
        writeString(e.id, out);
        writeString(e.currency, out);
        writeString(e.series, out);
        writeString(e.account, out);
        writeString(e.counterparty, out);
        writeString(e.label, out);
        out.writeLong(e.amountMinor);
        out.writeLong(e.otherMinor);
        out.writeLong(e.marginMinor);
        out.writeLong(e.entries);
        out.writeInt(e.day);
        writeString(e.status, out);
        out.writeBoolean(e.scenario != null);
        if (e.scenario != null) writeScenario(e.scenario, out);
        out.writeBoolean(e.vat != null);
        if (e.vat != null) writeVat(e.vat, out);
        out.writeBoolean(e.categories != null);
        if (e.categories != null) writeCategories(e.categories, out);
    }

    static void writeCategories(BankCategories b, DataOutputView out) throws IOException {
        writeString(b.eventId, out);
        writeString(b.scope, out);
        out.writeLong(b.effectiveAt);
        out.writeLong(b.version);
        out.writeBoolean(b.defaults);
        out.writeInt(b.rules.size());
        for (BankCategories.Rule r : b.rules) {
            writeString(r.name, out);
            writeString(r.category, out);
            writeString(r.pattern, out);
            writeString(r.in, out);
            out.writeInt(r.sign);
        }
    }

    static BankCategories readCategories(DataInputView in) throws IOException {
        BankCategories b = new BankCategories();
        b.eventId = readString(in);
        b.scope = readString(in);
        b.effectiveAt = in.readLong();
        b.version = in.readLong();
        b.defaults = in.readBoolean();
        for (int n = in.readInt(); n > 0; n--) {
            BankCategories.Rule r = new BankCategories.Rule();
            r.name = readString(in);
            r.category = readString(in);
            r.pattern = readString(in);
            r.in = readString(in);
            r.sign = in.readInt();
            b.rules.add(r);
        }
        return b;
    }

    static void writeCategoryList(java.util.List<BankCategories> all, DataOutputView out)
            throws IOException {
        out.writeInt(all.size());
        for (BankCategories b : all) writeCategories(b, out);
    }

    static java.util.ArrayList<BankCategories> readCategoryList(DataInputView in)
            throws IOException {
        java.util.ArrayList<BankCategories> all = new java.util.ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) all.add(readCategories(in));
        return all;
    }

    static void writeVat(VatRule r, DataOutputView out) throws IOException {
        writeString(r.entity, out);
        writeString(r.currency, out);
        out.writeByte(r.regime.ordinal());
        out.writeInt(r.dueDay);
        writeString(r.account, out);
        writeString(r.payee, out);
        out.writeInt(r.stores.size());
        for (String s : r.stores) writeString(s, out);
        out.writeBoolean(r.obligations);
        out.writeLong(r.effectiveAt);
        out.writeLong(r.version);
    }

    static VatRule readVat(DataInputView in) throws IOException {
        VatRule r = new VatRule();
        r.entity = readString(in);
        r.currency = readString(in);
        r.regime = VatCalendar.Regime.values()[in.readByte()];
        r.dueDay = in.readInt();
        r.account = readString(in);
        r.payee = readString(in);
        for (int n = in.readInt(); n > 0; n--) r.stores.add(readString(in));
        r.obligations = in.readBoolean();
        r.effectiveAt = in.readLong();
        r.version = in.readLong();
        return r;
    }

    static void writeScenario(Scenario s, DataOutputView out) throws IOException {
        writeString(s.scenarioId, out);
        out.writeByte(s.type.ordinal());
        writeString(s.scope, out);
        out.writeLong(s.effectiveAt);
        out.writeLong(s.version);
        out.writeLong(s.factorBps);
        out.writeInt(s.days);
        out.writeInt(s.fromDay);
        out.writeInt(s.toDay);
        out.writeInt(s.day);
        out.writeLong(s.amountMinor);
        writeString(s.currency, out);
        writeString(s.label, out);
    }

    static Scenario readScenario(DataInputView in) throws IOException {
        Scenario s = new Scenario();
        s.scenarioId = readString(in);
        s.type = Scenario.Type.values()[in.readByte()];
        s.scope = readString(in);
        s.effectiveAt = in.readLong();
        s.version = in.readLong();
        s.factorBps = in.readLong();
        s.days = in.readInt();
        s.fromDay = in.readInt();
        s.toDay = in.readInt();
        s.day = in.readInt();
        s.amountMinor = in.readLong();
        s.currency = readString(in);
        s.label = readString(in);
        return s;
    }

    @Override
    protected ForecastEvent read(DataInputView in) throws IOException {
        ForecastEvent e = new ForecastEvent();
        e.kind = ForecastEvent.Kind.values()[in.readByte()];
        e.time = in.readLong();
        e.id = readString(in);
        e.currency = readString(in);
        e.series = readString(in);
        e.account = readString(in);
        e.counterparty = readString(in);
        e.label = readString(in);
        e.amountMinor = in.readLong();
        e.otherMinor = in.readLong();
        e.marginMinor = in.readLong();
        e.entries = in.readLong();
        e.day = in.readInt();
        e.status = readString(in);
        if (in.readBoolean()) e.scenario = readScenario(in);
        if (in.readBoolean()) e.vat = readVat(in);
        if (in.readBoolean()) e.categories = readCategories(in);
        return e;
    }
}
