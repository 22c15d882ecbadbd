package io.treso.cli.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real local HTTP server that plays Slack's incoming webhook: it answers {@code ok}, or, when
 * told, 429 with Retry-After, 503, 404 (a revoked webhook); {@link #stop} refuses connections until
 * {@link #start} again on the same port.
 */
public final class SlackServer implements AutoCloseable {
    public enum Answer {
        OK,
        RATE_LIMITED,
        UNAVAILABLE,
        REVOKED
    }

    /** One request as received. */
    public record Received(long at, String path, String body, int answered) {}

    private final String path;
    private int port;
    private HttpServer server;
    private volatile Answer answer = Answer.OK;
    private final List<Received> received = new ArrayList<>();

    public SlackServer(String path) throws IOException {
        this.path = path;
        start();
    }

    public synchronized void start() throws IOException {
        server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        port = server.getAddress().getPort();
        server.createContext(
                "/",
                exchange -> {
                    String body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    Answer a = answer;
                    int status =
                            !exchange.getRequestURI().getPath().equals(path)
                                    ? 404
                                    : switch (a) {
                                        case OK -> 200;
                                        case RATE_LIMITED -> 429;
                                        case UNAVAILABLE -> 503;
                                        case REVOKED -> 404;
                                    };
                    synchronized (received) {
                        received.add(
                                new Received(
                                        System.currentTimeMillis(),
                                        exchange.getRequestURI().getPath(),
                                        body,
                                        status));
                    }
                    if (status == 429) exchange.getResponseHeaders().add("Retry-After", "1");
                    byte[] reply =
                            (status == 200 ? "ok" : "no_service").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, reply.length);
                    exchange.getResponseBody().write(reply);
                    exchange.close();
                });
        server.start();
    }

    public synchronized void stop() {
        server.stop(0);
    }

    public void answer(Answer a) {
        answer = a;
    }

    public String url() {
        return "http://127.0.0.1:" + port + path;
    }

    public List<Received> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** The bodies Slack took (answered 200), in order. */
    public List<Received> delivered() {
        return received().stream().filter(r -> r.answered() == 200).toList();
    }

    @Override
    public void close() {
        stop();
    }
}
