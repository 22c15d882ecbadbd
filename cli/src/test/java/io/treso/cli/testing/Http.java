package io.treso.cli.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs for the tests: a metrics endpoint, Prometheus's API, a registry. */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    public static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The body of the Prometheus endpoint on {@code port}. */
    public static String metrics(int port) throws Exception {
        return get("http://localhost:" + port + "/metrics").body();
    }
}
