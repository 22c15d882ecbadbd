package io.treso.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The compatibility gate. Every released schema is snapshotted under {@code compat/}; the snapshots
 * are append-only and their checksums are pinned here, so a failing check cannot be "fixed" by
 * editing a snapshot. Each current schema must be FULL_TRANSITIVE compatible with every snapshot of
 * its record: new readers read old data, and old readers read new data.
 *
 * <p>To release a schema change: add {@code Name.vN.avsc} (the new schema) and its checksum below.
 * Never edit or delete an existing line.
 */
class SchemaCompatibilityGateTest {
    private static final Map<String, String> PINNED =
            Map.ofEntries(
                    Map.entry(
                            "OrderEvent.v1.avsc",
                            "2136b3cc1a0ef344ac43262175bec2964c532cc347358930ef3d2c797492a791"),
                    Map.entry(
                            "PayoutEvent.v1.avsc",
                            "7a0dce8e289115dcf5da1fd1b7cc106c766aadea03508020d126c022d4a00953"),
                    Map.entry(
                            "BankTransaction.v1.avsc",
                            "b424463a4512961403f9630cfa78a2d25bbe0aca26f6e8d60025abe29c52e8c9"),
                    Map.entry(
                            "BankStatement.v1.avsc",
                            "6f4187911eee0a9113787738b0d66715741bdc27667f72ed8e8879f111ddc9c2"),
                    Map.entry(
                            "Obligation.v1.avsc",
                            "8fca7dafd8bd9dcc5ff855369e09b05d3836907d63f509c6db5ea96a435241e6"),
                    Map.entry(
                            "Obligation.v2.avsc",
                            "52e0a7149fd720a40535d3440abd401145ac5948be4a8d0ebd43c0d4c21cfc4c"),
                    Map.entry(
                            "FxRate.v1.avsc",
                            "5b2ef9b0176efe37397ca90919341b95a4697725cebdc6c561b3e5aa8f90462a"),
                    Map.entry(
                            "ControlCommand.v1.avsc",
                            "54bbba5d0a61e29d1de751d555f95d957200b9f5c6ad7310a239af4d42043de4"),
                    Map.entry(
                            "Heartbeat.v1.avsc",
                            "f952d0e2db0db21874dbe906b69e4453cb149320d9d7581923aaf2d89cff8a2f"),
                    Map.entry(
                            "CashPosition.v1.avsc",
                            "0df39fe5a79baef3188e0abecaa6a5a7423beda81c4465fee35efe7e6f625bd3"),
                    Map.entry(
                            "ReconciliationRecord.v1.avsc",
                            "e64221029f114946876a74baca09e0bdaf963307ee9eb054b36063532f5a443c"),
                    Map.entry(
                            "ReconciliationRecord.v2.avsc",
                            "fe41b9229d1952b2efc6834c15caa71a589e2740ae219710f162fbbe23064049"),
                    Map.entry(
                            "CashAlert.v1.avsc",
                            "93ffbe7dff2ceacf372a4ed5fa8d002ed333a1fb323be9b6579603ba87bbc7a2"),
                    Map.entry(
                            "ForecastPoint.v1.avsc",
                            "43d0bf1328fb6088dc2774d8de7f30463e0b60db83e10ec75c1e43e0cd296a38"),
                    Map.entry(
                            "ForecastPoint.v2.avsc",
                            "5de61621112380ae4497d36b3be77db0261f50a8745872e7368395b2482d5d88"),
                    Map.entry(
                            "DailyPosition.v1.avsc",
                            "f14b2c0e0513d5597c684738021a8a2946757795c51ba7cf6f05342611ab85fb"),
                    Map.entry(
                            "DeadLetter.v1.avsc",
                            "3314e7ccf9b7cc35f356f65def337418ef9b8c020099bd723a6095c5f70c8fad"));

    @Test
    void snapshotsAreUnchanged() throws Exception {
        for (var e : new TreeMap<>(PINNED).entrySet()) {
            byte[] bytes = read(e.getKey());
            String sha =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertEquals(
                    e.getValue(),
                    sha,
                    "snapshot " + e.getKey() + " was edited; add a new version instead");
        }
    }

    @Test
    void everyRecordHasASnapshot() {
        for (EventType t : EventType.values()) {
            assertTrue(
                    PINNED.containsKey(t.schema().getName() + ".v1.avsc"),
                    "no released snapshot of " + t.schema().getName());
        }
    }

    @Test
    void everySchemaIsFullTransitiveCompatibleWithEverySnapshot() throws Exception {
        List<String> problems = new ArrayList<>();
        for (EventType t : EventType.values()) {
            Schema current = t.schema();
            for (String file : new TreeMap<>(PINNED).keySet()) {
                if (!file.startsWith(current.getName() + ".v")) {
                    continue;
                }
                Schema old = new Schema.Parser().parse(new String(read(file), "UTF-8"));
                check(problems, file, "new reader of old data", current, old);
                check(problems, file, "old reader of new data", old, current);
            }
        }
        if (!problems.isEmpty()) {
            fail("schemas are not FULL_TRANSITIVE compatible:\n" + String.join("\n", problems));
        }
    }

    @Test
    void theGateCatchesABreakingChange() throws Exception {
        // A removed field without a default breaks old readers: the gate must see it.
        Schema old = new Schema.Parser().parse(new String(read("FxRate.v1.avsc"), "UTF-8"));
        Schema broken =
                new Schema.Parser()
                        .parse(old.toString().replace("\"name\":\"rate\"", "\"name\":\"rate_v2\""));
        List<String> problems = new ArrayList<>();
        check(problems, "FxRate.v1.avsc", "new reader of old data", broken, old);
        check(problems, "FxRate.v1.avsc", "old reader of new data", old, broken);
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void everyEnumHasUnknownAsDefaultAndEveryFieldADoc() {
        for (EventType t : EventType.values()) {
            walk(t.schema(), new ArrayList<>());
        }
    }

    private static void walk(Schema s, List<String> seen) {
        switch (s.getType()) {
            case RECORD -> {
                if (seen.contains(s.getFullName())) return;
                seen.add(s.getFullName());
                for (Schema.Field f : s.getFields()) {
                    assertTrue(
                            f.doc() != null && !f.doc().isBlank(),
                            s.getName() + "." + f.name() + " has no doc");
                    assertTrue(
                            f.name().matches("[a-z][a-z0-9_]*"), f.name() + " is not snake_case");
                    walk(f.schema(), seen);
                }
            }
            case ENUM -> {
                assertTrue(s.getEnumSymbols().contains("UNKNOWN"), s.getName() + " lacks UNKNOWN");
                assertEquals("UNKNOWN", s.getEnumDefault(), s.getName() + " default");
            }
            case UNION -> s.getTypes().forEach(u -> walk(u, seen));
            case ARRAY -> walk(s.getElementType(), seen);
            case MAP -> walk(s.getValueType(), seen);
            default -> {}
        }
    }

    private static void check(
            List<String> problems, String file, String direction, Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            problems.add(file + " (" + direction + "): " + result.getDescription());
        }
    }

    private static byte[] read(String file) throws IOException {
        try (InputStream in =
                SchemaCompatibilityGateTest.class.getResourceAsStream("/compat/" + file)) {
            if (in == null) {
                throw new IOException("missing snapshot compat/" + file);
            }
            return in.readAllBytes();
        }
    }
}
