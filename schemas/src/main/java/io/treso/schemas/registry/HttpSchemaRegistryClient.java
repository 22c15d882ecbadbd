package io.treso.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent Schema Registry client on the JDK's {@link HttpClient}, since Confluent's jars are
 * not on Maven Central. Ids are cached both ways, so steady-state decoding makes no HTTP calls and
 * keeps working while the registry is down. Unreachable or 5xx answers are retried with exponential
 * backoff, then surface as a transient {@link RegistryException}.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final HttpClient http;
    private final String authHeader;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(RegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(config.requestTimeout());
        config.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
        this.authHeader =
                config.username()
                        .map(
                                u ->
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(
                                                                (u
                                                                                + ":"
                                                                                + config.password()
                                                                                        .orElse(""))
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8)))
                        .orElse(null);
    }

    @Override
    public int register(String subject, Schema schema) {
        String key = subject + "\u0000" + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = call("POST", "/subjects/" + enc(subject) + "/versions", body);
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new RegistryException("registry answered no id for " + subject, -1, false, null);
        }
        idsBySubjectAndSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + enc(subject) + "/versions/latest", null);
        Schema schema = parse(answer.path("schema").asText());
        int id = answer.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, answer.path("version").asInt(), id, schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        try {
            JsonNode answer =
                    call(
                            "POST",
                            "/compatibility/subjects/" + enc(subject) + "/versions/latest",
                            body);
            return answer.path("is_compatible").asBoolean(false);
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return true; // Nothing registered yet: anything is compatible.
            }
            throw e;
        }
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new RegistryException("registry returned an unparsable schema", -1, false, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        Duration backoff = config.initialBackoff();
        RegistryException last = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            try {
                return callOnce(method, path, body);
            } catch (RegistryException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                last = e;
                if (attempt < config.maxAttempts()) {
                    LOG.warn(
                            "Schema registry {} unreachable ({}); attempt {}/{}, retrying in {} ms",
                            RegistryConfig.redact(config.baseUri().toString()),
                            e.getMessage(),
                            attempt,
                            config.maxAttempts(),
                            backoff.toMillis());
                    sleep(backoff);
                    backoff = min(backoff.multipliedBy(2), config.maxBackoff());
                }
            }
        }
        throw new RegistryException(
                "schema registry "
                        + RegistryConfig.redact(config.baseUri().toString())
                        + " unreachable after "
                        + config.maxAttempts()
                        + " attempts: "
                        + last.getMessage(),
                -1,
                true,
                last);
    }

    private JsonNode callOnce(String method, String path, JsonNode body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(config.baseUri() + path))
                        .timeout(config.requestTimeout())
                        .header("Accept", CONTENT_TYPE);
        if (authHeader != null) {
            request.header("Authorization", authHeader);
        }
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException(
                    method + " " + path + ": " + e.getClass().getSimpleName(), -1, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(method + " " + path + ": interrupted", -1, true, e);
        }
        int status = response.statusCode();
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(
                    method + " " + path + ": HTTP " + status + " with a non-JSON body",
                    -1,
                    status >= 500,
                    e);
        }
        if (status >= 200 && status < 300) {
            return json;
        }
        int code = json.path("error_code").asInt(status);
        String message = json.path("message").asText("HTTP " + status);
        boolean transientFailure = status >= 500 || status == 429 || status == 408;
        throw new RegistryException(
                method + " " + path + ": " + code + " " + message, code, transientFailure, null);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while backing off", -1, true, e);
        }
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient{" + config + "}";
    }
}
