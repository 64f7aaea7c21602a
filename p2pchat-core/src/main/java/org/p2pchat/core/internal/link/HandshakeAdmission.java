package org.p2pchat.core.internal.link;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.p2pchat.spi.Ticker;

/**
 * Decides whether an accepted connection may start a handshake, before this peer does any
 * Diffie-Hellman for it, so that what a stranger can make it spend is bounded by what it costs
 * the stranger (a TCP connection each, from its own address):
 *
 * <ul>
 *   <li>at most {@code maxPerSource} handshakes in progress from one source (an IPv4 address, or
 *       an IPv6 /64, what one host usually has);
 *   <li>at most {@code maxHandshakes} in progress from strangers' sources together, and as that
 *       fills past half, new ones are dropped at random with a probability rising to one (random
 *       early drop, as OpenSSH's {@code MaxStartups});
 *   <li>at most {@code ratePerSecond} new handshakes a second from strangers' sources together,
 *       and {@code ratePerSource} from one source (token buckets holding one second's worth), so
 *       that a flood of free first frames cannot keep the event loop busy with X25519.
 * </ul>
 *
 * <p>A source where a friend in the directory is listed (its host, as an IP literal) is no
 * stranger's: it may hold up to {@code maxHandshakes} handshakes of its own, and start ten times
 * the per-source rate, outside the strangers' shared limits, so a flood from elsewhere never
 * keeps that friend out (and one behind the friend's address still cannot make this peer spend
 * more than about 200 handshakes a second on it). Rates are measured on the system clock, not
 * the node's ticker, which tests stop. Thread-safe; called on the event loop.
 */
public final class HandshakeAdmission {
    /** The limits; see the class comment. */
    public record Limits(int maxHandshakes, int maxPerSource, double ratePerSecond,
            double ratePerSource) {
        /** At most four in progress from one source, 200 new a second, 20 from one source. */
        public static Limits defaults(int maxHandshakes) {
            return of(maxHandshakes, 200);
        }

        /**
         * At most four in progress from one source; {@code rate} new a second, a tenth of it
         * (at least one) from one source.
         */
        public static Limits of(int maxHandshakes, int rate) {
            return new Limits(maxHandshakes, Math.min(4, maxHandshakes), rate,
                    Math.max(1, rate / 10.0));
        }
    }

    /** The outcome of {@link #admit}. */
    enum Verdict {
        ADMITTED("admitted"),
        SOURCE_FULL("too many handshakes in progress from its address"),
        FULL("too many handshakes in progress (p2pchat.maxHandshakes)"),
        EARLY_DROP("dropped at random while handshakes in progress pile up"),
        SOURCE_RATE("too many new connections from its address"),
        RATE("too many new connections");

        private final String why;

        Verdict(String why) {
            this.why = why;
        }

        /** Why a connection was refused, for the log. */
        String why() {
            return why;
        }
    }

    /**
     * What {@link #admit} decided for one connection.
     *
     * @param verdict admitted, or why not
     * @param source the source it counts against
     * @param stranger whether it counted against the strangers' limits
     */
    record Place(Verdict verdict, String source, boolean stranger) {
        boolean admitted() {
            return verdict == Verdict.ADMITTED;
        }
    }

    /** How many times the per-source rate a friend's source may start. */
    static final int FRIEND_SOURCE_RATE_FACTOR = 10;

    /** Sources whose token buckets are remembered; beyond it the oldest are forgotten. */
    static final int TRACKED_SOURCES = 4096;
    private static final long FRIEND_SOURCES_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final double NANOS = 1e9;

    private final Limits limits;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final Supplier<Set<String>> friendHosts;
    private final Map<String, Integer> inProgress = new HashMap<>();
    private int strangersInProgress;
    private final TokenBucket allStrangers;
    private final Map<String, TokenBucket> perSource = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > TRACKED_SOURCES;
        }
    };
    private Set<String> friendSources = Set.of();
    private long friendSourcesAt;
    private boolean friendSourcesKnown;

    /**
     * Creates the policy.
     *
     * @param limits the limits
     * @param ticker the node's clock
     * @param random draws the early drops
     * @param friendHosts the hosts of the directory's friends, asked at most once a second
     */
    public HandshakeAdmission(Limits limits, Ticker ticker, RandomGenerator random,
            Supplier<Set<String>> friendHosts) {
        this.limits = limits;
        this.ticker = ticker;
        this.random = random;
        this.friendHosts = friendHosts;
        this.allStrangers = new TokenBucket(limits.ratePerSecond(), ticker.nanoTime());
    }

    /**
     * Takes a place for a handshake from {@code host}, or says why not.
     *
     * @param host the IP address the connection comes from
     * @return the decision; an admitted place must be given back once to {@link #ended}
     */
    synchronized Place admit(String host) {
        long now = ticker.nanoTime();
        String source = sourceOf(host);
        boolean stranger = !isFriendSource(source, now);
        return new Place(decide(source, stranger, now), source, stranger);
    }

    private Verdict decide(String source, boolean stranger, long now) {
        int sourceCap = stranger ? limits.maxPerSource() : limits.maxHandshakes();
        if (inProgress.getOrDefault(source, 0) >= sourceCap) {
            return Verdict.SOURCE_FULL;
        }
        if (!stranger) {
            // Anyone behind a friend's address (a shared NAT, the same machine) gets its own,
            // larger allowance: enough for a busy room forming on one machine, bounded all the
            // same, and outside the strangers' shared one.
            TokenBucket own = perSource.computeIfAbsent(source,
                    s -> new TokenBucket(FRIEND_SOURCE_RATE_FACTOR * limits.ratePerSource(), now));
            if (!own.available(now)) {
                return Verdict.SOURCE_RATE;
            }
            own.take();
            inProgress.merge(source, 1, Integer::sum);
            return Verdict.ADMITTED;
        }
        if (strangersInProgress >= limits.maxHandshakes()) {
            return Verdict.FULL;
        }
        int start = Math.max(1, limits.maxHandshakes() / 2);
        if (strangersInProgress >= start && random.nextInt(limits.maxHandshakes() - start + 1)
                < strangersInProgress - start + 1) {
            return Verdict.EARLY_DROP;
        }
        TokenBucket own = perSource.computeIfAbsent(source,
                s -> new TokenBucket(limits.ratePerSource(), now));
        if (!own.available(now)) {
            return Verdict.SOURCE_RATE;
        }
        if (!allStrangers.available(now)) {
            return Verdict.RATE;
        }
        allStrangers.take();
        strangersInProgress++;
        own.take();
        inProgress.merge(source, 1, Integer::sum);
        return Verdict.ADMITTED;
    }

    /**
     * Frees the place an admitted handshake held.
     *
     * @param place what {@link #admit} returned; nothing happens if it was not admitted
     */
    synchronized void ended(Place place) {
        if (!place.admitted()) {
            return;
        }
        inProgress.computeIfPresent(place.source(), (s, n) -> n == 1 ? null : n - 1);
        if (place.stranger()) {
            strangersInProgress--;
        }
    }

    /** For tests and diagnostics: handshakes in progress from strangers' sources. */
    synchronized int strangersInProgress() {
        return strangersInProgress;
    }

    private boolean isFriendSource(String source, long now) {
        if (!friendSourcesKnown || now - friendSourcesAt >= FRIEND_SOURCES_REFRESH_NANOS) {
            Set<String> sources = new java.util.HashSet<>();
            for (String h : friendHosts.get()) {
                if (isIpLiteral(h)) {
                    sources.add(sourceOf(h));
                }
            }
            friendSources = sources;
            friendSourcesAt = now;
            friendSourcesKnown = true;
        }
        return friendSources.contains(source);
    }

    /**
     * The source a host counts against: an IPv4 address itself, an IPv6 address its /64.
     *
     * @param host an IP literal, as transports report remote addresses
     * @return the source's key
     */
    static String sourceOf(String host) {
        if (host.indexOf(':') < 0) {
            return host;
        }
        try {
            byte[] a = InetAddress.getByName(host).getAddress();
            if (a.length != 16) {
                return InetAddress.getByAddress(a).getHostAddress();
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString((a[i] & 0xFF) << 8 | a[i + 1] & 0xFF)).append(':');
            }
            return b.append(":/64").toString();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    /** An IPv4 dotted quad or an IPv6 literal; never resolves a name. */
    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** A bucket of up to one second's worth of tokens, refilled continuously. */
    private static final class TokenBucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long at;

        TokenBucket(double perSecond, long now) {
            this.perNano = perSecond / NANOS;
            this.capacity = Math.max(1, perSecond);
            this.tokens = capacity;
            this.at = now;
        }

        boolean available(long now) {
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
            return tokens >= 1;
        }

        void take() {
            tokens -= 1;
        }
    }
}
