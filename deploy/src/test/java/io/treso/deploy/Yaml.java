package io.treso.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** YAML files and multi-document strings, read as plain maps and lists. */
final class Yaml {
    private Yaml() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Path file) throws IOException {
        Object doc =
                new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        if (!(doc instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(file + " is not a YAML mapping");
        }
        return (Map<String, Object>) doc;
    }

    /** Every non-empty document of a multi-document YAML string (Helm's rendered output). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (d instanceof Map<?, ?> m) docs.add((Map<String, Object>) m);
        }
        return docs;
    }
}
