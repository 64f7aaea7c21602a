package org.p2pchat.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A comparison baseline ({@code transport=jeromq}): two JeroMQ endpoints over TCP on 127.0.0.1,
 * each with a {@link ZContext} of its own (one I/O thread each, as two processes would have). B
 * binds an ephemeral port, A connects. One way is PUSH (A) to PULL (B); the round trip is REQ (A)
 * to REP (B), B sending each request straight back. Plaintext and unacknowledged: JeroMQ's TCP
 * transport has no encryption here and no application-level acknowledgements, so read it against
 * {@code raw}, not against p2pchat's acknowledged figures. JeroMQ's defaults otherwise (high-water
 * marks of 1,000 messages; TCP_NODELAY, which JeroMQ sets on every TCP socket).
 *
 * <p>Threads: A's socket is used only by the benchmark thread that calls {@link #sendAll} or
 * {@link #roundTrip}; B's socket only by the link's receiver thread ({@code jeromq-pull} or
 * {@code jeromq-rep}), which counts what it receives in an {@link Arrivals} (one call per burst of
 * messages drained without blocking) or echoes it. Each context adds JeroMQ's I/O and reaper
 * threads. {@link #close} stops the receiver, closes both contexts and waits for their threads.
 *
 * <p>JeroMQ 0.6.0 sometimes leaves a new connection stuck in its handshake when the two ends are
 * on different I/O threads (2 to 5 in 100 on the project's CI machine). {@link #open} therefore
 * sends a first message and waits for it (or its echo) with a deadline; if it does not come, it
 * closes both ends and builds a new pair on a new port, up to {@value #ATTEMPTS} times.
 */
final class JeroMqLink implements DirectLink {
    /** Connections tried before giving up. */
    static final int ATTEMPTS = 5;
    /** How long the first message may take before the connection counts as stuck. */
    private static final int PROBE_MILLIS = 2_000;
    /** How long a send or an echo may block before the benchmark fails instead of hanging. */
    private static final int STALL_MILLIS = (int) TimeUnit.SECONDS.toMillis(20);
    /** How often B's thread looks at its stop flag while nothing arrives. */
    private static final int POLL_MILLIS = 100;
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final boolean echo;
    private final byte[] payload;
    private final byte[] reply;
    private final ZContext contextA = new ZContext(1);
    private final ZContext contextB = new ZContext(1);
    private final ZMQ.Socket a;
    private final Thread receiver;
    private final Arrivals atB = new Arrivals("messages received by JeroMQ PULL");
    private volatile boolean running = true;
    private long sent;

    private JeroMqLink(byte[] payload, boolean echo) {
        this.echo = echo;
        this.payload = payload;
        this.reply = new byte[payload.length + 1];
        ZMQ.Socket client = null;
        ZMQ.Socket server = null;
        try {
            client = contextA.createSocket(echo ? SocketType.REQ : SocketType.PUSH);
            server = contextB.createSocket(echo ? SocketType.REP : SocketType.PULL);
            for (ZMQ.Socket s : new ZMQ.Socket[] {client, server}) {
                s.setLinger(0);
            }
            server.setReceiveTimeOut(POLL_MILLIS);
            server.setSendTimeOut(STALL_MILLIS);
            client.setSendTimeOut(STALL_MILLIS);
            client.setReceiveTimeOut(PROBE_MILLIS);
            server.bind("tcp://127.0.0.1:*");
            client.connect(server.getLastEndpoint());
        } catch (RuntimeException e) {
            contextA.close();
            contextB.close();
            throw e;
        }
        this.a = client;
        ZMQ.Socket own = server; // handed to the receiver thread by Thread.start
        this.receiver = new Thread(echo ? () -> echoLoop(own) : () -> countLoop(own),
                echo ? "jeromq-rep" : "jeromq-pull");
        receiver.setDaemon(true);
    }

    /**
     * Connects A to B over 127.0.0.1, starts B's thread and checks the connection with a first
     * message, reconnecting on a new port while the handshake is stuck.
     *
     * @param text the message text, ASCII
     * @param echo true for round trips (REQ/REP), false for one-way sends (PUSH/PULL)
     * @return the open, warmed link; close it
     * @throws IllegalStateException if {@value #ATTEMPTS} connections in a row got stuck
     */
    static JeroMqLink open(String text, boolean echo) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            JeroMqLink link = new JeroMqLink(payload, echo);
            link.receiver.start();
            boolean ok;
            try {
                ok = link.probe();
            } catch (RuntimeException e) {
                link.close();
                throw e;
            }
            if (ok) {
                link.a.setReceiveTimeOut(STALL_MILLIS);
                return link;
            }
            System.err.println("jeromq: connection " + attempt + " of " + ATTEMPTS
                    + " still not delivering after " + PROBE_MILLIS + " ms (stuck handshake);"
                    + " reconnecting");
            link.close();
        }
        throw new IllegalStateException("jeromq: " + ATTEMPTS + " connections in a row stuck in"
                + " their handshake");
    }

    /** Sends the first message; true once it (or its echo) has arrived within the deadline. */
    private boolean probe() {
        if (!a.send(payload, 0)) {
            return false;
        }
        if (echo) {
            return a.recv(reply, 0, reply.length, 0) == payload.length;
        }
        sent = 1;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
        while (atB.get() < 1) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** B, one way: blocks for one message, then drains what else is queued and counts the burst. */
    private void countLoop(ZMQ.Socket pull) {
        byte[] buffer = new byte[payload.length + 1];
        try {
            while (running) {
                if (pull.recv(buffer, 0, buffer.length, 0) < 0) {
                    continue; // the poll timeout: look at the stop flag
                }
                long n = 1;
                while (pull.recv(buffer, 0, buffer.length, ZMQ.DONTWAIT) >= 0) {
                    n++;
                }
                atB.add(n);
            }
        } catch (ZMQException e) {
            if (running) {
                System.err.println("jeromq PULL stopped: " + e);
            }
        }
    }

    /** B, round trip: each request goes straight back as the reply. */
    private void echoLoop(ZMQ.Socket rep) {
        byte[] buffer = new byte[payload.length + 1];
        try {
            while (running) {
                int n = rep.recv(buffer, 0, buffer.length, 0);
                if (n >= 0 && !rep.send(buffer, 0, n, 0) && running) {
                    System.err.println("jeromq REP: an echo could not be sent");
                }
            }
        } catch (ZMQException e) {
            if (running) {
                System.err.println("jeromq REP stopped: " + e);
            }
        }
    }

    @Override
    public void sendAll(int messages) {
        if (echo) {
            throw new IllegalStateException("this link echoes; open one for one-way sends");
        }
        for (int i = 0; i < messages; i++) {
            // Blocks while the high-water mark is reached: JeroMQ's backpressure.
            if (!a.send(payload, 0)) {
                throw new IllegalStateException("jeromq PUSH: a send blocked for more than "
                        + STALL_MILLIS + " ms");
            }
        }
        sent += messages;
        atB.awaitAtLeast(sent);
    }

    @Override
    public void roundTrip() {
        if (!echo) {
            throw new IllegalStateException("this link counts; open one for round trips");
        }
        if (!a.send(payload, 0)) {
            throw new IllegalStateException("jeromq REQ: the request could not be sent");
        }
        if (a.recv(reply, 0, reply.length, 0) != payload.length) {
            throw new IllegalStateException("jeromq REQ: no echo of " + payload.length
                    + " bytes within " + STALL_MILLIS + " ms");
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            receiver.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (receiver.isAlive()) {
            System.err.println("jeromq receiver thread did not stop within " + JOIN_MILLIS + " ms");
        }
        // Both sockets are idle now (the receiver has stopped); each context closes its sockets
        // (linger 0) and stops its I/O and reaper threads before close returns.
        contextA.close();
        contextB.close();
    }
}
