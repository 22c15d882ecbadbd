package io.treso.schemas.registry;

import org.apache.avro.Schema;

/** The part of the Confluent Schema Registry REST API that Treso uses. */
public interface SchemaRegistryClient {
    /** Content type of the registry's v1 API. */
    String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The writer schema with this id. Cached: no HTTP after the first call for an id. */
    Schema schemaById(int id);

    /** The latest version registered under {@code subject}. */
    RegisteredSchema latest(String subject);

    /**
     * Whether {@code schema} is compatible with the subject's versions, at its configured level.
     */
    boolean isCompatible(String subject, Schema schema);

    /** The subject Treso uses for a topic's values (Confluent's TopicNameStrategy). */
    static String valueSubject(String topic) {
        return topic + "-value";
    }

    /**
     * The subject for a second record type on a topic (Confluent's TopicRecordNameStrategy):
     * heartbeats travel on every input topic without clashing with the topic's own schema.
     */
    static String recordSubject(String topic, Schema schema) {
        return topic + "-" + schema.getFullName();
    }

    /** A schema as registered: subject, version and global id. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
