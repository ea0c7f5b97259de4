package io.anomalog.stream.metrics;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@link StreamMetrics} at {@code http://ADDRESS:PORT/metrics} (default 127.0.0.1) for Prometheus to scrape. */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    /** Starts the server; port 0 picks a free one. */
    public MetricsServer(StreamMetrics metrics, int port) throws IOException {
        this(metrics, InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Serves on the given address: loopback keeps the metrics on this machine, a host's own address (or
     * 0.0.0.0) lets a Prometheus server on another machine scrape them.
     */
    public MetricsServer(StreamMetrics metrics, InetAddress address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = metrics.prometheus().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
