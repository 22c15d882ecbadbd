package io.treso.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;

/**
 * A schema registry that runs in the JVM and speaks the Confluent REST API endpoints Treso uses:
 * register, schema by id, latest version, and compatibility. The embedded mode and the tests use
 * it, so they exercise the same HTTP path as production. Compatibility is FULL_TRANSITIVE, checked
 * with Avro's own {@link SchemaCompatibility}. State lives in memory only.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSIONS = Pattern.compile("^/subjects/([^/]+)/versions/?$");
    private static final Pattern LATEST = Pattern.compile("^/subjects/([^/]+)/versions/latest$");
    private static final Pattern BY_ID = Pattern.compile("^/schemas/ids/(\\d+)$");
    private static final Pattern COMPAT =
            Pattern.compile("^/compatibility/subjects/([^/]+)/versions/latest$");

    private final HttpServer server;
    private final String scheme;
    private final ExecutorService executor;
    private final String expectedAuth;
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<Long, Integer> idsByFingerprint = new LinkedHashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();

    private EmbeddedSchemaRegistry(int port, String username, String password, SSLContext tls)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        if (tls == null) {
            this.server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            this.server = https;
        }
        this.scheme = tls == null ? "http" : "https";
        this.executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "treso-schema-registry");
                            t.setDaemon(true);
                            return t;
                        });
        this.expectedAuth =
                username == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (username + ":" + password)
                                                        .getBytes(StandardCharsets.UTF_8));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Starts a registry on {@code port} (0 picks a free one) on the loopback interface. */
    public static EmbeddedSchemaRegistry start(int port) throws IOException {
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(port, null, null, null);
        registry.server.start();
        return registry;
    }

    /** Starts a registry that serves HTTPS with the key in {@code tls}. */
    public static EmbeddedSchemaRegistry startTls(int port, SSLContext tls) throws IOException {
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(port, null, null, tls);
        registry.server.start();
        return registry;
    }

    /** Starts a registry that requires HTTP basic auth. */
    public static EmbeddedSchemaRegistry startWithBasicAuth(int port, String user, String password)
            throws IOException {
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(port, user, password, null);
        registry.server.start();
        return registry;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (expectedAuth != null
                    && !expectedAuth.equals(
                            exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, error(40101, "Unauthorized"));
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Matcher m;
            if ("GET".equals(method) && "/subjects".equals(path)) {
                reply(exchange, 200, JSON.valueToTree(subjects()));
            } else if ("POST".equals(method) && (m = VERSIONS.matcher(path)).matches()) {
                register(exchange, decode(m.group(1)));
            } else if ("GET".equals(method) && (m = LATEST.matcher(path)).matches()) {
                latest(exchange, decode(m.group(1)));
            } else if ("GET".equals(method) && (m = BY_ID.matcher(path)).matches()) {
                byId(exchange, Integer.parseInt(m.group(1)));
            } else if ("POST".equals(method) && (m = COMPAT.matcher(path)).matches()) {
                compatibility(exchange, decode(m.group(1)));
            } else {
                reply(exchange, 404, error(404, "No such endpoint: " + method + " " + path));
            }
        } catch (RuntimeException e) {
            reply(exchange, 500, error(50001, "Internal error: " + e.getClass().getSimpleName()));
        }
    }

    private synchronized List<String> subjects() {
        return new ArrayList<>(versionsBySubject.keySet());
    }

    private void register(HttpExchange exchange, String subject) throws IOException {
        Schema schema = readSchema(exchange);
        if (schema == null) {
            reply(exchange, 422, error(42201, "Invalid schema"));
            return;
        }
        synchronized (this) {
            List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
            long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            Integer existing = idsByFingerprint.get(fingerprint);
            if (existing != null && versions.contains(existing)) {
                reply(exchange, 200, JSON.createObjectNode().put("id", existing));
                return;
            }
            String incompatibility = incompatibility(schema, versions);
            if (incompatibility != null) {
                reply(exchange, 409, error(409, "Schema is incompatible: " + incompatibility));
                return;
            }
            int id = existing != null ? existing : addSchema(schema, fingerprint);
            versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
            reply(exchange, 200, JSON.createObjectNode().put("id", id));
        }
    }

    private int addSchema(Schema schema, long fingerprint) {
        schemasById.add(schema);
        int id = schemasById.size();
        idsByFingerprint.put(fingerprint, id);
        return id;
    }

    private void latest(HttpExchange exchange, String subject) throws IOException {
        ObjectNode answer;
        synchronized (this) {
            List<Integer> versions = versionsBySubject.get(subject);
            if (versions == null || versions.isEmpty()) {
                reply(exchange, 404, error(40401, "Subject not found"));
                return;
            }
            int id = versions.get(versions.size() - 1);
            answer =
                    JSON.createObjectNode()
                            .put("subject", subject)
                            .put("version", versions.size())
                            .put("id", id)
                            .put("schema", schemasById.get(id - 1).toString());
        }
        reply(exchange, 200, answer);
    }

    private void byId(HttpExchange exchange, int id) throws IOException {
        Schema schema;
        synchronized (this) {
            schema = id >= 1 && id <= schemasById.size() ? schemasById.get(id - 1) : null;
        }
        if (schema == null) {
            reply(exchange, 404, error(40403, "Schema not found"));
        } else {
            reply(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
        }
    }

    private void compatibility(HttpExchange exchange, String subject) throws IOException {
        Schema schema = readSchema(exchange);
        if (schema == null) {
            reply(exchange, 422, error(42201, "Invalid schema"));
            return;
        }
        String incompatibility;
        synchronized (this) {
            List<Integer> versions = versionsBySubject.get(subject);
            if (versions == null || versions.isEmpty()) {
                reply(exchange, 404, error(40401, "Subject not found"));
                return;
            }
            incompatibility = incompatibility(schema, versions);
        }
        reply(exchange, 200, JSON.createObjectNode().put("is_compatible", incompatibility == null));
    }

    /** FULL_TRANSITIVE: new readers read every old version, and old readers read the new one. */
    private String incompatibility(Schema candidate, List<Integer> versions) {
        for (int id : versions) {
            Schema old = schemasById.get(id - 1);
            var backward = SchemaCompatibility.checkReaderWriterCompatibility(candidate, old);
            if (backward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                return "new reader cannot read id " + id + ": " + backward.getDescription();
            }
            var forward = SchemaCompatibility.checkReaderWriterCompatibility(old, candidate);
            if (forward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                return "reader of id " + id + " cannot read it: " + forward.getDescription();
            }
        }
        return null;
    }

    private static Schema readSchema(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (RuntimeException | IOException e) {
            return null;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
