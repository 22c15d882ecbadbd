package io.treso.connectors.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.treso.schemas.EventType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The replay file format: one JSON object per line, {@code "type"} naming the record and the rest
 * its Avro fields by their exact names. Timestamps are ISO-8601 instants, dates are {@code
 * yyyy-MM-dd}, amounts are integers in minor units, optional fields may be left out. Driven by the
 * schemas themselves, so a new field needs no code here.
 */
public final class EventJson {
    /**
     * Strict: a duplicate key would otherwise take its last value, and a second object or garbage
     * after the first would be dropped silently while the first is booked.
     */
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(
                            com.fasterxml.jackson.core.JsonParser.Feature
                                    .STRICT_DUPLICATE_DETECTION)
                    .enable(
                            com.fasterxml.jackson.databind.DeserializationFeature
                                    .FAIL_ON_TRAILING_TOKENS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventJson() {}

    /** Parses one input line. */
    public static SpecificRecord parseLine(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("not JSON: " + e.getOriginalMessage().split("\n")[0]);
        }
        if (node == null || !node.isObject()) {
            throw new EventFormatException("not a JSON object");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new EventFormatException("missing \"type\"");
        }
        EventType eventType =
                EventType.ofWireName(type.asText())
                        .filter(EventType::isInput)
                        .orElseThrow(
                                () ->
                                        new EventFormatException(
                                                "unknown type \"" + type.asText() + "\""));
        return fromJson(eventType, (ObjectNode) node);
    }

    /** Reads the record's fields from {@code node}; a {@code "type"} member is ignored. */
    public static SpecificRecord fromJson(EventType type, ObjectNode node) {
        return (SpecificRecord) readRecord(type.schema(), node, "");
    }

    /** A replay output line (no "type" member: the file says what it holds) as its record. */
    public static SpecificRecord fromOutputLine(EventType type, String line) {
        try {
            return fromJson(type, (ObjectNode) JSON.readTree(line));
        } catch (java.io.IOException | ClassCastException e) {
            throw new EventFormatException("not a " + type + " output line: " + e.getMessage());
        }
    }

    /** One input line, with {@code "type"} first. */
    public static String toLine(SpecificRecord record) {
        ObjectNode node = NODES.objectNode();
        node.put("type", EventType.of(record).wireName());
        writeFields(record, node);
        return node.toString();
    }

    /** One output line: the record's fields in schema order, nulls included. */
    public static String toOutputLine(SpecificRecord record) {
        ObjectNode node = NODES.objectNode();
        writeFields(record, node);
        return node.toString();
    }

    public static ObjectNode toJson(SpecificRecord record) {
        ObjectNode node = NODES.objectNode();
        writeFields(record, node);
        return node;
    }

    private static void writeFields(SpecificRecord record, ObjectNode node) {
        for (Schema.Field f : record.getSchema().getFields()) {
            node.set(f.name(), write(f.schema(), record.get(f.pos())));
        }
    }

    private static JsonNode write(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION:
                for (Schema s : schema.getTypes()) {
                    if (s.getType() != Schema.Type.NULL) {
                        return write(s, value);
                    }
                }
                return NODES.nullNode();
            case RECORD:
                ObjectNode obj = NODES.objectNode();
                writeFields((SpecificRecord) value, obj);
                return obj;
            case ARRAY:
                ArrayNode arr = NODES.arrayNode();
                for (Object o : (List<?>) value) {
                    arr.add(write(schema.getElementType(), o));
                }
                return arr;
            case MAP:
                ObjectNode map = NODES.objectNode();
                new java.util.TreeMap<>((Map<?, ?>) value)
                        .forEach((k, v) -> map.set(k.toString(), write(schema.getValueType(), v)));
                return map;
            case LONG:
                if (value instanceof Instant i) {
                    return NODES.textNode(i.toString());
                }
                return NODES.numberNode((Long) value);
            case INT:
                if (value instanceof LocalDate d) {
                    return NODES.textNode(d.toString());
                }
                return NODES.numberNode((Integer) value);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case BYTES:
                ByteBuffer buf = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buf.remaining()];
                buf.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            case ENUM:
            case STRING:
                return NODES.textNode(value.toString());
            case DOUBLE:
            case FLOAT:
                throw new IllegalStateException("floating point has no place in the contract");
            default:
                return NODES.textNode(value.toString());
        }
    }

    private static Object readRecord(Schema schema, JsonNode node, String path) {
        if (!node.isObject()) {
            throw new EventFormatException(path + " must be an object");
        }
        SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        Map<String, Schema.Field> fields = new LinkedHashMap<>();
        for (Schema.Field f : schema.getFields()) {
            fields.put(f.name(), f);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.containsKey(name) && !(path.isEmpty() && "type".equals(name))) {
                throw new EventFormatException("unknown field \"" + path + name + "\"");
            }
        }
        for (Schema.Field f : fields.values()) {
            JsonNode value = node.get(f.name());
            String fieldPath = path + f.name();
            if (value == null || value.isNull()) {
                if (f.hasDefaultValue()) {
                    Object def = SpecificData.get().getDefaultValue(f);
                    record.put(f.pos(), def);
                    continue;
                }
                throw new EventFormatException("missing required field \"" + fieldPath + "\"");
            }
            record.put(f.pos(), read(f.schema(), value, fieldPath));
        }
        return record;
    }

    private static Object read(Schema schema, JsonNode value, String path) {
        switch (schema.getType()) {
            case UNION:
                for (Schema s : schema.getTypes()) {
                    if (s.getType() != Schema.Type.NULL) {
                        return read(s, value, path);
                    }
                }
                throw new EventFormatException(path + " has no non-null type");
            case RECORD:
                return readRecord(schema, value, path + ".");
            case ARRAY:
                if (!value.isArray()) {
                    throw new EventFormatException(path + " must be an array");
                }
                List<Object> list = new ArrayList<>();
                for (JsonNode item : value) {
                    list.add(read(schema.getElementType(), item, path + "[]"));
                }
                return list;
            case MAP:
                if (!value.isObject()) {
                    throw new EventFormatException(path + " must be an object");
                }
                Map<String, Object> map = new LinkedHashMap<>();
                value.fields()
                        .forEachRemaining(
                                e ->
                                        map.put(
                                                e.getKey(),
                                                read(
                                                        schema.getValueType(),
                                                        e.getValue(),
                                                        path + "." + e.getKey())));
                return map;
            case LONG:
                if ("timestamp-millis".equals(logical(schema))) {
                    return instant(value, path);
                }
                return integral(value, path);
            case INT:
                if ("date".equals(logical(schema))) {
                    return date(value, path);
                }
                long l = integral(value, path);
                if (l != (int) l) {
                    throw new EventFormatException(path + " is out of range");
                }
                return (int) l;
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw new EventFormatException(path + " must be true or false");
                }
                return value.booleanValue();
            case STRING:
                if (!value.isTextual()) {
                    throw new EventFormatException(path + " must be a string");
                }
                return value.asText();
            case ENUM:
                if (!value.isTextual() || !schema.hasEnumSymbol(value.asText())) {
                    throw new EventFormatException(
                            path + " must be one of " + schema.getEnumSymbols() + ", got " + value);
                }
                if (value.asText().equals(schema.getEnumDefault())) {
                    // The reader's fallback for symbols it does not know, never a value to send.
                    throw new EventFormatException(
                            path + " cannot be " + value + ": name the record's own " + path);
                }
                return SpecificData.get().createEnum(value.asText(), schema);
            case BYTES:
                return ByteBuffer.wrap(Base64.getDecoder().decode(value.asText()));
            default:
                throw new EventFormatException(path + " has an unsupported type");
        }
    }

    private static String logical(Schema schema) {
        return schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
    }

    private static long integral(JsonNode value, String path) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new EventFormatException(
                    path + " must be an integer (minor units), got " + value);
        }
        return value.longValue();
    }

    private static Instant instant(JsonNode value, String path) {
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new EventFormatException(
                    path + " must be an ISO-8601 instant like 2026-03-02T10:15:00Z, got " + value);
        }
    }

    private static LocalDate date(JsonNode value, String path) {
        try {
            return LocalDate.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new EventFormatException(path + " must be a date like 2026-03-02, got " + value);
        }
    }
}
