package io.anomalog.server;

import io.anomalog.core.util.AnomalogException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the console listens: {@code ADDRESS:PORT} ({@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code 0.0.0.0:8080}),
 * port 0 for any free port, or {@code off}.
 *
 * @param address the address to bind, or null when the console is off
 * @param port    the port (0: any free one)
 */
public record HttpAddress(InetAddress address, int port) {

    /** The default: this machine only. */
    public static final String DEFAULT = "127.0.0.1:8080";

    public static HttpAddress parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("off") || t.equalsIgnoreCase("none")) {
            return new HttpAddress(null, -1);
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new AnomalogException("--http: expected ADDRESS:PORT (e.g. " + DEFAULT + ") or off, not '" + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new AnomalogException("--http: the port of '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new AnomalogException("--http: port " + port + " is out of range (0 to 65535; 0 takes a free one)");
        }
        try {
            return new HttpAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new AnomalogException("--http: unknown host or address '" + host + "'");
        }
    }

    public boolean off() {
        return address == null;
    }

    /** Whether only this machine can reach it. */
    public boolean loopback() {
        return address != null && address.isLoopbackAddress();
    }

    /** The address as a URL host part. */
    public String urlHost() {
        String h = address.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
