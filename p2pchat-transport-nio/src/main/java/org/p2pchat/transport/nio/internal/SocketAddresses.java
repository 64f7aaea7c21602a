package org.p2pchat.transport.nio.internal;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.api.PeerAddress;

/**
 * Turns a {@link PeerAddress} into a socket address without blocking the caller on DNS.
 *
 * <p><b>Threading:</b> any thread. IP literals resolve at once on the calling thread; host names
 * resolve on the common fork-join pool, because the SPI promises never to block on the network.
 */
final class SocketAddresses {

    private SocketAddresses() {
    }

    static CompletableFuture<InetSocketAddress> resolve(PeerAddress address) {
        if (isLiteral(address.host())) {
            return CompletableFuture.completedFuture(
                    new InetSocketAddress(address.host(), address.port()));
        }
        return CompletableFuture.supplyAsync(() -> {
            InetSocketAddress resolved = new InetSocketAddress(address.host(), address.port());
            if (resolved.isUnresolved()) {
                throw new CompletionException(new UnknownHostException(
                        "unknown host " + address.host()));
            }
            return resolved;
        });
    }

    /**
     * Tells whether a host is an IP literal that the JDK turns into an address without asking
     * DNS: one with a colon (IPv6), or four dot-separated decimal numbers of 0 to 255 (IPv4).
     * Anything else, including strings that merely look numeric such as {@code 999.1.1.1} or
     * {@code 1.2.3.4.}, may reach the resolver and is resolved off the calling thread.
     *
     * @param host the host part of an address
     * @return true if it resolves without DNS
     */
    static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) < '0' || part.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
