package io.treso.jobs.notify;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.util.Preconditions;

/**
 * Where a route posts: a URL that is a secret (whoever holds a Slack incoming-webhook URL can post
 * to the channel). It is named by an environment variable or a file, read where the notifier runs,
 * so the URL itself is not in the job graph. {@link #toString} and every message show it masked.
 */
public final class Webhook implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String env;
    private final String file;
    private final String literal;

    private Webhook(String env, String file, String literal) {
        this.env = env;
        this.file = file;
        this.literal = literal;
    }

    /** The URL in environment variable {@code name}. */
    public static Webhook fromEnv(String name) {
        Preconditions.checkArgument(name.matches("[A-Za-z_][A-Za-z0-9_]*"), "not a variable name");
        return new Webhook(name, null, null);
    }

    /** The URL in the first line of {@code path}. */
    public static Webhook fromFile(String path) {
        Preconditions.checkArgument(!path.isBlank(), "empty webhook file");
        return new Webhook(null, path, null);
    }

    /** A URL given directly: the demo's {@code --slack-webhook}. */
    public static Webhook of(String url) {
        check(url);
        return new Webhook(null, null, url);
    }

    /** The URL, read now; refuses, without quoting it, one that is not http(s). */
    public URI resolve(Map<String, String> environment) {
        String url;
        if (literal != null) {
            url = literal;
        } else if (env != null) {
            url = environment.get(env);
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(
                        "the webhook variable " + env + " is not set where the notifier runs");
            }
        } else {
            try {
                url = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "the webhook file "
                                + file
                                + " cannot be read: "
                                + e.getClass().getSimpleName());
            }
        }
        return check(url.strip());
    }

    private static URI check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook URL that does not parse (not shown)");
        }
        if (uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException(
                    "a webhook URL must be http(s) with a host (not shown)");
        }
        return uri;
    }

    /**
     * A URL as logs may show it: Slack's {@code https://hooks.slack.com/services/T…/***}; any other
     * {@code scheme://host:port/***}. Never the path's secret part.
     */
    public static String mask(URI url) {
        String base =
                url.getScheme()
                        + "://"
                        + url.getHost()
                        + (url.getPort() > 0 ? ":" + url.getPort() : "");
        String[] path = url.getRawPath() == null ? new String[0] : url.getRawPath().split("/");
        if (path.length > 2 && path[1].equals("services") && !path[2].isEmpty()) {
            return base + "/services/" + path[2].charAt(0) + "…/***";
        }
        return base + "/***";
    }

    /** Where the URL comes from, never the URL: for logs and errors before it is read. */
    @Override
    public String toString() {
        if (env != null) return "$" + env;
        if (file != null) return "file " + file;
        return mask(URI.create(literal));
    }
}
