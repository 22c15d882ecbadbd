package io.treso.cli.intake;

import io.treso.connectors.intake.IntakeCounters;
import io.treso.connectors.intake.WebhookIntake;
import io.treso.connectors.intake.WebhookSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.util.Preconditions;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The intake's HTTP side on Jetty: {@code POST /webhooks/<sender>}, {@code GET /metrics}
 * (Prometheus) and {@code GET /health}. It reads a body up to the limit (413 beyond it) and hands
 * it to {@link WebhookIntake}, which does everything else.
 */
public final class IntakeServer implements AutoCloseable {
    private static final String WEBHOOKS = "/webhooks/";

    /** How far past the limit a body is still read (and dropped) before the 413. */
    static final int DRAIN_FACTOR = 4;

    private final Server server;
    private final ServerConnector connector;

    private IntakeServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Starts serving on {@code host:port} (port 0: any free one). */
    public static IntakeServer start(
            String host, int port, WebhookIntake intake, IntakeCounters counters, int maxBody)
            throws Exception {
        Preconditions.checkArgument(maxBody > 0);
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("treso-intake");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Webhooks(intake, counters, maxBody));
        server.setStopTimeout(5_000);
        server.start();
        return new IntakeServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class Webhooks extends Handler.Abstract {
        private final WebhookIntake intake;
        private final IntakeCounters counters;
        private final int maxBody;

        Webhooks(WebhookIntake intake, IntakeCounters counters, int maxBody) {
            this.intake = intake;
            this.counters = counters;
            this.maxBody = maxBody;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback)
                throws IOException {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            if (path.equals("/metrics") && method.equals("GET")) {
                reply(
                        response,
                        callback,
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        counters.prometheusText());
            } else if (path.equals("/health") && method.equals("GET")) {
                reply(response, callback, 200, "ok");
            } else if (path.startsWith(WEBHOOKS)) {
                WebhookSource source = WebhookSource.byId(path.substring(WEBHOOKS.length()));
                if (source == null) {
                    reply(response, callback, 404, "no such sender: " + path);
                } else if (!method.equals("POST")) {
                    response.getHeaders().put(HttpHeader.ALLOW, "POST");
                    reply(response, callback, 405, "webhooks are POSTed");
                } else {
                    byte[] body = body(request);
                    if (body == null) {
                        counters.refused(source.id(), "too_large");
                        reply(response, callback, 413, "body over " + maxBody + " bytes");
                    } else {
                        WebhookIntake.Answer a =
                                intake.receive(source, request.getHeaders()::get, body);
                        reply(response, callback, a.status(), a.message());
                    }
                }
            } else {
                reply(response, callback, 404, "not found: " + path);
            }
            return true;
        }

        /**
         * The body, or null when it is over the limit. An oversized body of up to {@link
         * #DRAIN_FACTOR} times the limit is read to its end and dropped, so the sender reads our
         * 413 rather than a reset connection; a larger one is not read at all.
         */
        private byte[] body(Request request) throws IOException {
            long drain = (long) maxBody * DRAIN_FACTOR;
            if (request.getLength() > drain) return null;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long read = 0;
            try (InputStream in = Request.asInputStream(request)) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    read += n;
                    if (read > drain) return null;
                    if (read <= maxBody) out.write(buf, 0, n);
                }
            }
            return read > maxBody ? null : out.toByteArray();
        }

        private static void reply(Response response, Callback callback, int status, String text) {
            reply(response, callback, status, "text/plain; charset=utf-8", text);
        }

        private static void reply(
                Response response, Callback callback, int status, String type, String text) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            Content.Sink.write(response, true, text.endsWith("\n") ? text : text + "\n", callback);
        }
    }
}
