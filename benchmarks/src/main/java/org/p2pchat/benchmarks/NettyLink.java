package org.p2pchat.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A comparison baseline ({@code transport=netty}): two Netty 4.1 endpoints over TCP on 127.0.0.1
 * with NIO event loops (not the native epoll transport), one single-threaded
 * {@link NioEventLoopGroup} per endpoint, TCP_NODELAY on both sockets and the pooled allocator.
 * B listens on an ephemeral port, A connects. Frames are p2pchat's and {@code raw}'s: a 4-byte
 * big-endian length, then the payload. Plaintext and unacknowledged (no TLS, no
 * application-level acknowledgements), so read it against {@code raw}.
 *
 * <p>A writes each message as one pooled direct buffer holding length and payload, with Netty's
 * void promise, and flushes once about 64 KiB ({@value #FLUSH_BYTES} bytes) are unflushed and at
 * the end of a batch. When the channel turns unwritable (more than {@value #HIGH_WATER_BYTES}
 * bytes pending) A flushes and parks until Netty reports it writable again. B decodes frames with
 * {@link LengthFieldBasedFrameDecoder} and counts them (one way) or writes each frame back and
 * flushes at the end of every read (round trip), as Netty's echo example does.
 *
 * <p>Threads: {@link #sendAll} and {@link #roundTrip} run on the benchmark thread, which is A's
 * application thread: its writes and flushes are handed to A's event loop ({@code netty-a}) as
 * tasks, as an application's would be. B's frames are decoded, counted or echoed on B's event loop
 * ({@code netty-b}); A's echoes are counted on A's event loop, which wakes the benchmark thread.
 * {@link #close} closes both channels, shuts both groups down and joins their threads, so nothing
 * outlives the trial.
 */
final class NettyLink implements DirectLink {
    /** A flushes once this many bytes are written and not yet flushed. */
    static final int FLUSH_BYTES = 64 * 1024;
    /** Above this many pending outbound bytes A's channel is unwritable. */
    static final int HIGH_WATER_BYTES = 1024 * 1024;
    private static final int LOW_WATER_BYTES = 512 * 1024;
    /** A wait that sees no progress for this long fails instead of hanging the benchmark. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CLOSE_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final boolean echo;
    private final byte[] payload;
    private final int frameBytes;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final NioEventLoopGroup groupA = new NioEventLoopGroup(1, recorded("netty-a"));
    private final NioEventLoopGroup groupB = new NioEventLoopGroup(1, recorded("netty-b"));
    private final Arrivals atB = new Arrivals("frames received by Netty B");
    private final Arrivals echoesAtA = new Arrivals("echoes received by Netty A");
    /** The benchmark thread while it waits for A's channel to become writable, else null. */
    private volatile Thread writer;
    private Channel server;
    private Channel client;
    private ByteBufAllocator alloc;
    private long sent;
    private long roundTrips;

    private NettyLink(String text, boolean echo) {
        this.echo = echo;
        this.payload = text.getBytes(StandardCharsets.US_ASCII);
        this.frameBytes = Integer.BYTES + payload.length;
    }

    /**
     * Starts B, connects A to it over 127.0.0.1 and warms the connection with one message (or
     * round trip).
     *
     * @param text the message text, ASCII
     * @param echo true for round trips (B echoes), false for one-way sends (B counts)
     * @return the open, warmed link; close it
     */
    static NettyLink open(String text, boolean echo) {
        NettyLink link = new NettyLink(text, echo);
        try {
            link.connect();
            if (echo) {
                link.roundTrip();
            } else {
                link.sendAll(1);
            }
            return link;
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Event-loop threads that are daemons and remembered, so {@link #close} can join them. */
    private ThreadFactory recorded(String name) {
        ThreadFactory netty = new DefaultThreadFactory(name, true);
        return r -> {
            Thread t = netty.newThread(r);
            threads.add(t);
            return t;
        };
    }

    private void connect() {
        server = new ServerBootstrap()
                .group(groupB, groupB)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(frames(),
                                echo ? new Echo() : new Counter(atB));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .syncUninterruptibly()
                .channel();
        client = new Bootstrap()
                .group(groupA)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_BYTES, HIGH_WATER_BYTES))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(frames(), new Counter(echoesAtA), new Writability());
                    }
                })
                .connect(server.localAddress())
                .syncUninterruptibly()
                .channel();
        alloc = client.alloc();
    }

    /** Splits the stream at the 4-byte length; each frame keeps its header (an echo resends it). */
    private LengthFieldBasedFrameDecoder frames() {
        return new LengthFieldBasedFrameDecoder(frameBytes, 0, Integer.BYTES, 0, 0);
    }

    /** One frame: length and payload in one pooled buffer, as an application would write it. */
    private ByteBuf frame() {
        ByteBuf frame = alloc.directBuffer(frameBytes, frameBytes);
        frame.writeInt(payload.length).writeBytes(payload);
        return frame;
    }

    @Override
    public void sendAll(int messages) {
        if (echo) {
            throw new IllegalStateException("this link echoes; open one for one-way sends");
        }
        Channel ch = client;
        int unflushed = 0;
        for (int i = 0; i < messages; i++) {
            if (!ch.isWritable()) {
                ch.flush();
                unflushed = 0;
                awaitWritable(ch);
            }
            ch.write(frame(), ch.voidPromise());
            unflushed += frameBytes;
            if (unflushed >= FLUSH_BYTES) {
                ch.flush();
                unflushed = 0;
            }
        }
        if (unflushed > 0) {
            ch.flush();
        }
        sent += messages;
        atB.awaitAtLeast(sent);
    }

    /** Parks until A's event loop reports the channel writable (or a bounded park runs out). */
    private void awaitWritable(Channel ch) {
        writer = Thread.currentThread();
        try {
            long since = System.nanoTime();
            while (!ch.isWritable()) {
                if (!ch.isActive()) {
                    throw new IllegalStateException("netty: A's channel closed while sending");
                }
                if (System.nanoTime() - since > STALL_NANOS) {
                    throw new IllegalStateException("netty: A's channel unwritable for "
                            + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s");
                }
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        } finally {
            writer = null;
        }
    }

    @Override
    public void roundTrip() {
        if (!echo) {
            throw new IllegalStateException("this link counts; open one for round trips");
        }
        client.writeAndFlush(frame(), client.voidPromise());
        echoesAtA.awaitAtLeast(++roundTrips);
    }

    @Override
    public void close() {
        for (Channel c : new Channel[] {client, server}) {
            if (c != null && !c.close().awaitUninterruptibly(CLOSE_MILLIS)) {
                System.err.println("netty: closing " + c + " took more than " + CLOSE_MILLIS
                        + " ms");
            }
        }
        // B's accepted channel closes with its group.
        groupA.shutdownGracefully(0, CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        groupB.shutdownGracefully(0, CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * CLOSE_MILLIS);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                System.err.println("netty: thread " + t.getName() + " did not stop");
            }
        }
    }

    /**
     * Counts the frames that reach one end and releases them, one {@link Arrivals#add} per read.
     * Runs on that end's event loop.
     */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final Arrivals arrivals;
        private long frames;

        Counter(Arrivals arrivals) {
            this.arrivals = arrivals;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            frames++;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (frames > 0) {
                arrivals.add(frames);
                frames = 0;
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("netty: " + ctx.channel() + " failed: " + cause);
            ctx.close();
        }
    }

    /** B's echo: each frame goes back as it came, flushed at the end of the read (B's loop). */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("netty echo: " + ctx.channel() + " failed: " + cause);
            ctx.close();
        }
    }

    /** Wakes the benchmark thread when A's channel becomes writable again. A's event loop. */
    private final class Writability extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Thread w = writer;
            if (w != null && ctx.channel().isWritable()) {
                LockSupport.unpark(w);
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
