package io.treso.jobs.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Posts one message and says what to do next: done, wait what the server asked (429 with
 * Retry-After), back off (5xx, a time-out, a refused connection), or give up (another 4xx: a
 * revoked webhook is never retried forever). Nothing it returns or throws quotes the URL.
 */
public final class WebhookPost {
    /** The most a message waits between tries, however long the outage. */
    public static final long MAX_BACKOFF_MILLIS = Duration.ofMinutes(5).toMillis();

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What happened. {@code retryInMillis} is set for RETRY; {@code detail} names the cause. */
    public record Outcome(Result result, int status, long retryInMillis, String detail) {}

    public enum Result {
        DELIVERED,
        RETRY,
        REFUSED
    }

    private final HttpClient http;

    public WebhookPost() {
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** Posts {@code json}; {@code failures} is how many tries of this route failed in a row. */
    public Outcome post(URI url, String json, int failures) {
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            HttpRequest.newBuilder(url)
                                    .timeout(TIMEOUT)
                                    .header("Content-Type", "application/json; charset=utf-8")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    json, StandardCharsets.UTF_8))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The exception's class only: some messages quote the address.
            return new Outcome(Result.RETRY, 0, backoff(failures), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.RETRY, 0, backoff(failures), "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2) return new Outcome(Result.DELIVERED, status, 0, "ok");
        if (status == 429) {
            long wait =
                    response.headers()
                            .firstValue("Retry-After")
                            .map(WebhookPost::seconds)
                            .orElse(1_000L);
            return new Outcome(
                    Result.RETRY,
                    status,
                    Math.min(wait, Duration.ofHours(1).toMillis()),
                    "429 rate limited");
        }
        if (status / 100 == 5)
            return new Outcome(Result.RETRY, status, backoff(failures), "HTTP " + status);
        return new Outcome(Result.REFUSED, status, 0, "HTTP " + status);
    }

    /** 1 s, 2 s, 4 s… up to 5 min, each drawn from its upper half (jitter: tries do not align). */
    public static long backoff(int failures) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, 1_000L << Math.min(failures, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    private static long seconds(String header) {
        try {
            return Math.max(0, Long.parseLong(header.strip())) * 1_000L;
        } catch (NumberFormatException e) {
            return 1_000L; // An HTTP date: wait the minimum and ask again.
        }
    }
}
