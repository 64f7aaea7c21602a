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

    /** An IPv6 literal has a colon; an IPv4 one only digits and dots. Anything else is a name. */
    static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        boolean dot = false;
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if (ch == '.') {
                dot = true;
            } else if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return dot;
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
