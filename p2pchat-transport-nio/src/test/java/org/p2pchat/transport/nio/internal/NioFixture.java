package org.p2pchat.transport.nio.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.spi.Transport;
import org.p2pchat.spi.TransportOptions;
import org.p2pchat.testkit.Await;
import org.p2pchat.testkit.ManualTicker;
import org.p2pchat.testkit.RecordingHandler;

/**
 * Transports, listeners and raw sockets for one test, all closed by {@link #close()}. Binds only
 * 127.0.0.1 with ephemeral ports.
 */
final class NioFixture implements AutoCloseable {
    final ManualTicker ticker = new ManualTicker();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private int transports;

    /** A transport with the fixture's ticker and the given changes to the defaults. */
    NioTransport transport(Consumer<TransportOptions.Builder> tweak) {
        TransportOptions.Builder b = TransportOptions.builder().ticker(ticker)
                .name("test" + transports++);
        tweak.accept(b);
        NioTransport t = (NioTransport) new NioTransportProvider().create(b.build());
        resources.add(t);
        return t;
    }

    NioTransport transport() {
        return transport(b -> { });
    }

    /** A listening transport whose accepted connections are recorded (or echoed). */
    static final class Server {
        final PeerAddress address;
        final BlockingQueue<RecordingHandler> accepted = new LinkedBlockingQueue<>();

        Server(Transport transport, boolean echo) {
            this.address = Await.result(transport.listen(PeerAddress.loopback(0), c -> {
                RecordingHandler h = echo ? RecordingHandler.echoing() : RecordingHandler.recording();
                h.connection.complete(c);
                accepted.add(h);
                return h;
            }));
        }
    }

    Server server(Consumer<TransportOptions.Builder> tweak, boolean echo) {
        return new Server(transport(tweak), echo);
    }

    /** A plain blocking socket to the address, with Nagle off so small writes leave at once. */
    Socket raw(PeerAddress address) throws IOException {
        Socket s = new Socket(InetAddress.getByName(address.host()), address.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Await.DEFAULT.toMillis());
        resources.add(s);
        return s;
    }

    /**
     * Like {@link #raw(PeerAddress)}, with a small receive buffer set before connecting so that
     * the TCP window stays small and a remote side that is never read from fills up quickly.
     */
    Socket rawSmallWindow(PeerAddress address, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        resources.add(s);
        s.setReceiveBufferSize(receiveBufferBytes);
        s.connect(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()));
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Await.DEFAULT.toMillis());
        return s;
    }

    /** Writes one frame (prefix and payload) with one write call. */
    static void writeFrame(OutputStream out, byte[] payload) throws IOException {
        out.write(frame(payload));
        out.flush();
    }

    static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    static byte[] prefix(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    @Override
    public void close() throws IOException {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
