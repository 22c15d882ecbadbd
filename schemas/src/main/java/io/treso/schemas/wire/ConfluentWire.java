package io.treso.schemas.wire;

import java.nio.ByteBuffer;

/** Confluent's wire format: byte 0x00, a 4-byte big-endian schema id, then Avro binary. */
public final class ConfluentWire {
    public static final byte MAGIC = 0x0;
    public static final int HEADER_SIZE = 5;

    /** Stable dead-letter reasons for wire-level failures. */
    public static final String BAD_MAGIC_BYTE = "BAD_MAGIC_BYTE";

    public static final String TRUNCATED = "TRUNCATED";
    public static final String UNKNOWN_SCHEMA_ID = "UNKNOWN_SCHEMA_ID";
    public static final String INVALID_PAYLOAD = "INVALID_PAYLOAD";
    public static final String INCOMPATIBLE_SCHEMA = "INCOMPATIBLE_SCHEMA";
    public static final String CONTRACT_VIOLATION = "CONTRACT_VIOLATION";

    private ConfluentWire() {}

    /** The schema id of a framed record; PERMANENT failure when the frame is malformed. */
    public static int schemaId(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw DecodeException.permanent(TRUNCATED, "empty record");
        }
        if (bytes[0] != MAGIC) {
            throw DecodeException.permanent(
                    BAD_MAGIC_BYTE,
                    String.format("first byte is 0x%02x, expected 0x00", bytes[0] & 0xff));
        }
        if (bytes.length < HEADER_SIZE) {
            throw DecodeException.permanent(
                    TRUNCATED, "record of " + bytes.length + " bytes has no full header");
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code target}. */
    public static void writeHeader(ByteBuffer target, int schemaId) {
        target.put(MAGIC).putInt(schemaId);
    }
}
