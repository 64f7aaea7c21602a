package org.p2pchat.api;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a peer listens: a host name or IP literal and a TCP port. An immutable value.
 *
 * <p>Port 0 asks a transport to pick a free port when listening; the transport then reports the
 * address it actually bound. The text form is {@code host:port}, with IPv6 literals in brackets
 * ({@code [::1]:7001}).
 *
 * @param host a host name or IP literal (IPv6 without brackets), never empty
 * @param port a TCP port, 0 to 65535
 */
public record PeerAddress(String host, int port) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the host is blank or the port is out of range
     */
    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/'
                || c == '[' || c == ']')) {
            throw new IllegalArgumentException(
                    "expected a host name or IP literal without spaces or '/', got '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("expected a port from 0 to 65535, got " + port);
        }
    }

    /**
     * Parses {@code host:port}, or {@code [v6-literal]:port}.
     *
     * @param text the address text
     * @return the address
     * @throws IllegalArgumentException naming what was expected if the text is not an address
     */
    public static PeerAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException(
                    "expected an IPv6 address in brackets, as [::1]:7001, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a numeric port in '" + text + "'", e);
        }
        return new PeerAddress(host, port);
    }

    /**
     * Returns the address of the IPv4 loopback interface with the given port.
     *
     * @param port the port, 0 for any free one
     * @return {@code 127.0.0.1:port}
     */
    public static PeerAddress loopback(int port) {
        return new PeerAddress("127.0.0.1", port);
    }

    /**
     * Returns the same host with another port.
     *
     * @param newPort the port
     * @return the new address
     */
    public PeerAddress withPort(int newPort) {
        return new PeerAddress(host, newPort);
    }

    /**
     * Resolves this address for socket use. May block on name resolution when the host is a name
     * rather than an IP literal.
     *
     * @return the resolved (or unresolved, if resolution failed) socket address
     */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    /**
     * Returns the address of a socket.
     *
     * @param address a socket address
     * @return the same host (IP literal when resolved) and port
     */
    public static PeerAddress of(InetSocketAddress address) {
        String host = address.getAddress() != null
                ? address.getAddress().getHostAddress() : address.getHostString();
        int zone = host.indexOf('%');
        return new PeerAddress(zone >= 0 ? host.substring(0, zone) : host, address.getPort());
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
