package io.treso.jobs.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A hand-written serializer for a value read, written or shipped on every record. Flink's POJO
 * serializer sets each field by reflection and writes a null marker per field; on the order check
 * and the variance detectors that was a third of the CPU. Subclasses write the fields in a fixed
 * order and are stateless; {@link #typeInformation} puts one on a stream or a window.
 *
 * <p>State written by the POJO serializer (savepoints of earlier versions) is migrated on restore:
 * the snapshot answers "compatible after migration", and Flink reads the old values with the old
 * serializer and writes them with this one. A field added later means a new serializer class, and
 * {@link Snapshot#resolveSchemaCompatibility} answering "after migration" for the old one.
 */
public abstract class CompactSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** Writes every field of {@code value}, never null. */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    /** Reads what {@link #write} wrote. */
    protected abstract T read(DataInputView in) throws IOException;

    @Override
    public final void serialize(T value, DataOutputView out) throws IOException {
        write(value, out);
    }

    @Override
    public final T deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final TypeSerializer<T> duplicate() {
        return this; // stateless
    }

    @Override
    public final T copy(T from) {
        if (from == null) return null;
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            write(from, out);
            return read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("copying " + from.getClass().getSimpleName(), e);
        }
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        write(read(source), target);
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }

    // Arrays and strings may be null: state migrated from the POJO serializer can hold nulls.

    /** UTF-8 behind its length: ids are ASCII, which the JDK copies without decoding. */
    protected static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    protected static String readString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Zig-zag varint: a small number of either sign in one or two bytes. */
    protected static void writeVarLong(long v, DataOutputView out) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    protected static long readVarLong(DataInputView in) throws IOException {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.readByte();
            z |= (long) (b & 0x7F) << shift;
            if (b >= 0) break;
        }
        return (z >>> 1) ^ -(z & 1);
    }

    protected static void writeLongs(long[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        for (long v : a) out.writeLong(v);
    }

    protected static long[] readLongs(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        long[] a = new long[n];
        for (int i = 0; i < a.length; i++) a[i] = in.readLong();
        return a;
    }

    protected static void writeDoubles(double[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        for (double v : a) out.writeDouble(v);
    }

    protected static double[] readDoubles(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        double[] a = new double[n];
        for (int i = 0; i < a.length; i++) a[i] = in.readDouble();
        return a;
    }

    protected static void writeStrings(String[] a, DataOutputView out) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a == null) return;
        for (String v : a) writeString(v, out);
    }

    protected static String[] readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        String[] a = new String[n];
        for (int i = 0; i < a.length; i++) a[i] = readString(in);
        return a;
    }

    /** This serializer as type information, for window accumulators and streams. */
    public final TypeInformation<T> typeInformation(Class<T> type) {
        return new Info<>(type, this);
    }

    private static final class Info<T> extends TypeInformation<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final CompactSerializer<T> serializer;

        Info(Class<T> type, CompactSerializer<T> serializer) {
            this.type = type;
            this.serializer = serializer;
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }

        @Override
        public String toString() {
            return type.getSimpleName() + " (compact)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> i && i.type == type && i.serializer.equals(serializer);
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }

    @Override
    public final TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    /**
     * What a checkpoint keeps of a compact serializer: its class (a public no-argument one). The
     * same class restores as is, state from the POJO serializer is migrated, anything else is
     * refused.
     */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private CompactSerializer<T> serializer;

        /** For Flink, which reads a snapshot into an empty instance. */
        public Snapshot() {}

        Snapshot(CompactSerializer<T> serializer) {
            this.serializer = serializer;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(serializer.getClass().getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader loader)
                throws IOException {
            String name = in.readUTF();
            try {
                serializer =
                        (CompactSerializer<T>)
                                Class.forName(name, true, loader)
                                        .getDeclaredConstructor()
                                        .newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IOException("cannot restore the state serializer " + name, e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return serializer;
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> old) {
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            if (old instanceof Snapshot<T> o && serializer.equals(o.serializer)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
