package io.treso.schemas.registry;

import java.io.Serializable;

/**
 * Where a job's tasks find the registry: serialisable, so it can travel in a job graph, unlike a
 * client. The password never appears in {@link #toString()}.
 */
public record RegistryEndpoint(String url, String username, String password)
        implements Serializable {
    public static RegistryEndpoint of(String url) {
        return new RegistryEndpoint(url, null, null);
    }

    /** A fresh client on this endpoint. */
    public SchemaRegistryClient client() {
        RegistryConfig.Builder b = RegistryConfig.builder(url);
        if (username != null) {
            b.basicAuth(username, password == null ? "" : password);
        }
        return new HttpSchemaRegistryClient(b.build());
    }

    @Override
    public String toString() {
        return "RegistryEndpoint{"
                + RegistryConfig.redact(url)
                + (username == null ? "" : ", user=" + username + ", password=***")
                + "}";
    }
}
