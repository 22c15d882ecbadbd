package io.treso.jobs.notify;

import io.treso.event.CashAlert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** An alert waiting in state: when it arrived (8 bytes), then its Avro binary. */
final class AlertBytes {
    private static final SpecificDatumWriter<CashAlert> WRITER =
            new SpecificDatumWriter<>(CashAlert.class);
    private static final SpecificDatumReader<CashAlert> READER =
            new SpecificDatumReader<>(CashAlert.class);

    private AlertBytes() {}

    static byte[] encode(CashAlert a, long arrivedAt) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(ByteBuffer.allocate(8).putLong(arrivedAt).array());
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            synchronized (WRITER) {
                WRITER.write(a, enc);
            }
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CashAlert alert(byte[] bytes) {
        try {
            BinaryDecoder dec =
                    DecoderFactory.get().binaryDecoder(bytes, 8, bytes.length - 8, null);
            synchronized (READER) {
                return READER.read(null, dec);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long arrivedAt(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 0, 8).getLong();
    }
}
