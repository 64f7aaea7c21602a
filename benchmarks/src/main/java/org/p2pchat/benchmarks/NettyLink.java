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

/**
 * A comparison baseline ({@code transport=netty}): two Netty 4.1 endpoints over TCP on 127.0.0.1
 * with NIO event loops (not the native epoll transport), one single-threaded
 * {@link NioEventLoopGroup} per endpoint, TCP_NODELAY on both sockets and the pooled allocator.
 * B listens on an ephemeral port, A connects. Frames are p2pchat's and {@code raw}'s: a 4-byte
 * big-endian length, then the payload. Plaintext and unacknowledged (no TLS, no
 * application-level acknowledgements), so read it against {@code raw}.
 *
 * <p>A writes each message as one pooled direct buffer holding length and payload, with Netty's
 * void promise, and flushes once about 64 KiB ({@value #FLUSH_BYTES} bytes) are unflushed and
 * whenever it stops. It writes on its own event loop, as Netty is meant to be used for throughput:
 * {@link #sendAll} hands the batch to A's loop, which writes while the channel is writable
 * (at most {@value #HIGH_WATER_BYTES} bytes pending) and resumes when Netty reports it writable
 * again. (Writing every message from the benchmark thread instead, one task per write, measured
 * about 0.75 of that at 64 B and the same at 1 KiB.) B decodes frames with
 * {@link LengthFieldBasedFrameDecoder} and counts them (one way) or writes each frame back and
 * flushes at the end of every read (round trip), as Netty's echo example does.
 *
 * <p>Threads: {@link #sendAll} and {@link #roundTrip} are called by the benchmark thread, one
 * call at a time; it hands a batch to A's event loop ({@code netty-a}), or writes and flushes a
 * round trip's frame (a task on A's loop), then parks until B has counted the batch or A's loop
 * has counted the echo. B's frames are decoded, counted or echoed on B's event loop
 * ({@code netty-b}). {@link Arrivals} wakes the benchmark thread. {@link #close} closes both
 * channels, shuts both groups down and joins their threads, so nothing outlives the trial.
 */
final class NettyLink implements DirectLink {
    /** A flushes once this many bytes are written and not yet flushed. */
    static final int FLUSH_BYTES = 64 * 1024;
    /** Above this many pending outbound bytes A's channel is unwritable. */
    static final int HIGH_WATER_BYTES = 1024 * 1024;
    private static final int LOW_WATER_BYTES = 512 * 1024;
    private static final long CLOSE_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final boolean echo;
    private final byte[] payload;
    private final int frameBytes;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final NioEventLoopGroup groupA = new NioEventLoopGroup(1, recorded("netty-a"));
    private final NioEventLoopGroup groupB = new NioEventLoopGroup(1, recorded("netty-b"));
    private final Arrivals atB = new Arrivals("frames received by Netty B");
    private final Arrivals echoesAtA = new Arrivals("echoes received by Netty A");
    /** Writes A's frames; used on A's event loop only. */
    private final Writer writer = new Writer();
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
        client.eventLoop().execute(() -> writer.add(messages));
        sent += messages;
        atB.awaitAtLeast(sent);
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

    /**
     * A's sender, on A's event loop: writes frames while the channel is writable, flushing every
     * {@value #FLUSH_BYTES} bytes and when it stops; resumes when the channel is writable again.
     */
    private final class Writer {
        private int remaining;

        void add(int messages) {
            remaining += messages;
            write();
        }

        void write() {
            Channel ch = client;
            int unflushed = 0;
            while (remaining > 0 && ch.isWritable()) {
                ch.write(frame(), ch.voidPromise());
                remaining--;
                unflushed += frameBytes;
                if (unflushed >= FLUSH_BYTES) {
                    ch.flush();
                    unflushed = 0;
                }
            }
            if (unflushed > 0) {
                ch.flush();
            }
        }
    }

    /** Resumes A's writer when the channel is writable again. A's event loop. */
    private final class Writability extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                writer.write();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
