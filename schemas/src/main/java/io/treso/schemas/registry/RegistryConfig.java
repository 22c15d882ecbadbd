package io.treso.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How to reach a Confluent-compatible schema registry. The password is never printed: {@link
 * #toString()} masks it, so a config can be logged safely.
 */
public final class RegistryConfig {
    private final URI baseUri;
    private final String username;
    private final String password;
    private final SSLContext sslContext;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private RegistryConfig(Builder b) {
        String url = Objects.requireNonNull(b.url, "registry url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(
                    "registry url must start with http:// or https://, got " + redact(url));
        }
        this.baseUri = parse(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.username = b.username;
        this.password = b.password;
        this.sslContext = b.sslContext;
        this.requestTimeout = b.requestTimeout;
        if (b.maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    public URI baseUri() {
        return baseUri;
    }

    Optional<String> username() {
        return Optional.ofNullable(username);
    }

    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    Duration initialBackoff() {
        return initialBackoff;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The URI, or a refusal that names the URL without its user info: the JDK's own message would
     * quote it whole, password included, so it is never passed on (not even as a cause).
     */
    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("registry url is not a valid URL: " + redact(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "registry url has no valid host and port: " + redact(url));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            // A '#' or '?' in a password cuts the URL short: refuse rather than guess.
            throw new IllegalArgumentException(
                    "registry url must have no query or fragment: " + redact(url));
        }
        return uri;
    }

    /**
     * Strips user info from a URL so that credentials in it never reach a log, whatever the
     * password holds ({@code /}, {@code @}, {@code #}, spaces): everything between {@code //} and
     * the last {@code @} goes.
     */
    static String redact(String url) {
        if (url == null) return null;
        int start = url.indexOf("//");
        int at = url.lastIndexOf('@');
        if (start < 0 || at < start) return url;
        return url.substring(0, start + 2) + "***" + url.substring(at);
    }

    @Override
    public String toString() {
        return "RegistryConfig{url="
                + redact(baseUri.toString())
                + ", user="
                + (username == null ? "none" : username)
                + ", password="
                + (password == null ? "none" : "***")
                + ", tls="
                + (sslContext != null)
                + ", attempts="
                + maxAttempts
                + "}";
    }

    /** Builder with defaults fit for a job: 5 attempts, 200 ms doubling to 5 s. */
    public static final class Builder {
        private final String url;
        private String username;
        private String password;
        private SSLContext sslContext;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);

        private Builder(String url) {
            this.url = url;
        }

        public Builder basicAuth(String username, String password) {
            this.username = Objects.requireNonNull(username);
            this.password = Objects.requireNonNull(password);
            return this;
        }

        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
            return this;
        }

        public RegistryConfig build() {
            return new RegistryConfig(this);
        }
    }
}
