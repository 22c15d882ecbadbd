package io.treso.connectors.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading PSP API payloads: one JSON document per file or webhook; an unparsable one is refused.
 */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {}

    public static JsonNode read(Path file) throws IOException, RefusedFileException {
        return parse(Files.readString(file));
    }

    /** One JSON document (a webhook's body); an unparsable or empty one is refused. */
    public static JsonNode parse(String text) throws RefusedFileException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new RefusedFileException("the file is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RefusedFileException(
                    "not JSON at line "
                            + e.getLocation().getLineNr()
                            + ": "
                            + e.getOriginalMessage().split("\n")[0]);
        }
    }

    /** A decimal JSON number (accounting APIs: 362.07) as minor units of {@code currency}. */
    public static long money(JsonNode v, String currency, String where)
            throws RefusedFileException {
        if (v == null || v.isNull()) throw new RefusedFileException(where + " is missing");
        return MinorUnits.of(v.decimalValue().toPlainString(), currency, where);
    }

    /** A member's text, or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String require(JsonNode node, String field, String where)
            throws RefusedFileException {
        String v = text(node, field);
        if (v == null || v.isBlank()) {
            throw new RefusedFileException(where + ": \"" + field + "\" is missing");
        }
        return v;
    }
}
