package org.p2pchat.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ConnectionState;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * One user's chat: reads lines from a {@link ChatConsole}, carries them out against a running
 * {@link Peer}, and reports what went wrong, one line each.
 *
 * <p>Input never waits for the network: a send's outcome is reported when its stage completes,
 * by which time the user may have typed more. A send completes when the friend acknowledges the
 * message; to a friend who is away it waits (and is retried) until the delivery timeout, and only
 * then fails with the offline line. So that the user does not wait that long in silence, a message
 * still unacknowledged after {@link #WAIT_NOTICE_DELAY} prints one notice for its friend, such as
 * {@code * bob is not reachable yet; messages to bob wait and are retried until the delivery
 * timeout}; the next notice for that friend comes only after one of its sends has completed. On
 * leaving, sends still in flight get a few seconds to finish, so that
 * {@code printf 'bob/hi\n' | p2pchat-chat alice} delivers its message.
 *
 * <p><b>Threading:</b> {@link #run()} is called once, on the thread that owns the console's input,
 * and returns when the user leaves; send failures are reported on the {@code reports} executor
 * (normally the peer's callback executor, so all asynchronous output comes from one thread), and
 * so are the wait notices, after their delay.
 * {@link #printingTo} makes the peer's listener, which only prints. The caller closes the peer
 * after {@link #run()} returns.
 */
public final class ChatSession {
    /** How long leaving waits for sends still in flight. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** How long a send waits for its acknowledgement before the user is told that it waits. */
    static final Duration WAIT_NOTICE_DELAY = Duration.ofSeconds(3);

    private final Peer peer;
    private final ChatConsole console;
    private final Executor reports;
    private final CommandInterpreter interpreter = new CommandInterpreter();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final Executor waitNotices;
    /** Friends whose wait has been announced and none of whose sends has completed since. */
    private final Set<String> waitAnnounced = ConcurrentHashMap.newKeySet();

    /**
     * Creates a session.
     *
     * @param peer the running peer, closed by the caller
     * @param console where lines come from and go to
     * @param reports runs the reporting of send outcomes
     */
    public ChatSession(Peer peer, ChatConsole console, Executor reports) {
        this(peer, console, reports, WAIT_NOTICE_DELAY);
    }

    /** As the public constructor, with another delay before a wait notice (for tests). */
    ChatSession(Peer peer, ChatConsole console, Executor reports, Duration waitNoticeDelay) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.console = Objects.requireNonNull(console, "console");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.waitNotices = CompletableFuture.delayedExecutor(waitNoticeDelay.toNanos(),
                TimeUnit.NANOSECONDS, reports);
    }

    /**
     * Formats an incoming message as {@code [bob] hi}, with anything a terminal would act on
     * replaced, since the text comes from the network.
     *
     * @param message the message
     * @return the line to print
     */
    public static String incomingLine(ChatMessage message) {
        return "[" + Printable.of(message.from()) + "] " + Printable.of(message.text());
    }

    /**
     * Formats the notice that a friend's key was trusted on first use, such as
     * {@code * bob's key 9a1c-0d2e-44f1-77aa trusted on first use (compare fingerprints out of
     * band)}.
     *
     * @param peerName the friend's name, as it introduced itself
     * @param key the key now remembered for it
     * @return the line to print
     */
    public static String keyTrustedLine(String peerName, PeerKey key) {
        return "* " + Printable.of(peerName) + "'s key " + key.fingerprint()
                + " trusted on first use (compare fingerprints out of band)";
    }

    /**
     * Makes the listener of a chat's peer: it prints incoming messages and keys trusted on first
     * use to the console.
     *
     * @param console where the lines go
     * @return the listener
     */
    public static MessageListener printingTo(ChatConsole console) {
        Objects.requireNonNull(console, "console");
        return new MessageListener() {
            @Override
            public void onMessage(ChatMessage message) {
                console.println(incomingLine(message));
            }

            @Override
            public void onPeerKeyTrusted(String peerName, PeerKey key) {
                console.println(keyTrustedLine(peerName, key));
            }
        };
    }

    /**
     * Prints the greeting, then reads and carries out lines until {@code :q}, {@code /quit} or the
     * end of input, then waits (boundedly) for sends in flight.
     */
    public void run() {
        console.println(peer.name() + " listening on " + peer.listenAddress() + ", key "
                + peer.publicKey().fingerprint() + " - type friend/message, /help for help");
        PeerKey listed = peer.directory().lookup(peer.name()).map(PeerEntry::key).orElse(null);
        if (listed != null && !listed.equals(peer.publicKey())) {
            console.println("! the user_info table pins " + peer.name() + " to key "
                    + listed.fingerprint() + ", not yours; friends using it will refuse you"
                    + " (/key shows your key)");
        }
        for (String line = console.readLine(); line != null; line = console.readLine()) {
            Command command = interpreter.parse(line);
            if (command instanceof Command.Quit) {
                break;
            }
            execute(command);
        }
        awaitSendsInFlight();
    }

    private void execute(Command command) {
        if (command instanceof Command.Send send) {
            send(send.friend(), send.text());
        } else if (command instanceof Command.ListPeers) {
            listPeers();
        } else if (command instanceof Command.ShowKey) {
            showKey();
        } else if (command instanceof Command.Help) {
            help();
        } else if (command instanceof Command.Invalid invalid) {
            console.println("! " + invalid.problem());
        } else if (!(command instanceof Command.Nothing)) {
            throw new IllegalStateException("unhandled command " + command);
        }
    }

    private void send(String friend, String text) {
        if (friend.equals(peer.name())) {
            console.println("! " + friend + " is you; /peers lists your friends");
            return;
        }
        PeerEntry entry = peer.directory().lookup(friend).orElse(null);
        if (entry == null) {
            // Checked here rather than left to send(): the answer is immediate and more helpful.
            console.println(SendFailures.unknownFriend(friend));
            return;
        }
        PeerAddress address = entry.address();
        CompletableFuture<Void> sent = peer.send(friend, text).toCompletableFuture();
        CompletableFuture<Void> reported = sent.handleAsync((ok, failure) -> {
            waitAnnounced.remove(friend);
            if (failure != null && !SendFailures.isClosing(failure)) {
                console.println(SendFailures.describe(friend, address, text, failure));
            }
            return null;
        }, reports);
        inFlight.add(reported);
        reported.whenComplete((ok, failure) -> inFlight.remove(reported));
        if (!sent.isDone()) {
            // After the session has ended the reports executor refuses the task; it is dropped.
            waitNotices.execute(() -> announceWait(friend, sent));
        }
    }

    /** Runs on the reports executor once a send has waited the notice delay. */
    private void announceWait(String friend, CompletableFuture<Void> sent) {
        if (sent.isDone() || !waitAnnounced.add(friend)) {
            return;
        }
        console.println(waitingLine(friend,
                peer.connectionState(friend) == ConnectionState.CONNECTED));
    }

    /**
     * Formats the notice that messages to a friend are waiting for its acknowledgement.
     *
     * @param friend the friend
     * @param connected whether a connection to the friend is open (then it is not reading, or
     *     its acknowledgements are slow)
     * @return the line to print
     */
    static String waitingLine(String friend, boolean connected) {
        return connected
                ? "* " + friend + " has not confirmed your message yet; it waits until the delivery"
                        + " timeout"
                : "* " + friend + " is not reachable yet; messages to " + friend + " wait and are"
                        + " retried until the delivery timeout";
    }

    private void listPeers() {
        List<PeerEntry> rows = new ArrayList<>(peer.directory().entries());
        if (peer.directory().lookup(peer.name()).isEmpty()) {
            rows.add(0, new PeerEntry(peer.name(), peer.listenAddress()));
        }
        int nameWidth = rows.stream().mapToInt(e -> e.name().length()).max().orElse(1);
        int addressWidth = rows.stream().mapToInt(e -> e.address().toString().length()).max()
                .orElse(1);
        List<String> states = rows.stream().map(this::state).toList();
        int stateWidth = states.stream().mapToInt(String::length).max().orElse(1);
        String format = "  %-" + nameWidth + "s  %-" + addressWidth + "s  %-" + stateWidth
                + "s  %s";
        for (int i = 0; i < rows.size(); i++) {
            PeerEntry row = rows.get(i);
            boolean self = row.name().equals(peer.name());
            String address = (self ? peer.listenAddress() : row.address()).toString();
            console.println(String.format(Locale.ROOT, format, row.name(), address, states.get(i),
                    key(row)));
        }
    }

    private String state(PeerEntry row) {
        return row.name().equals(peer.name()) ? "listening (you)"
                : peer.connectionState(row.name()).name().toLowerCase(Locale.ROOT);
    }

    /** The key column: a fingerprint and how it is trusted, or {@code -} while unknown. */
    private String key(PeerEntry row) {
        if (row.name().equals(peer.name())) {
            return peer.publicKey().fingerprint();
        }
        if (row.key() != null) {
            return row.key().fingerprint() + " pinned";
        }
        return peer.peerKey(row.name()).map(k -> k.fingerprint() + " trusted").orElse("-");
    }

    private void showKey() {
        PeerKey key = peer.publicKey();
        PeerAddress address = peer.directory().lookup(peer.name()).map(PeerEntry::address)
                .orElse(peer.listenAddress());
        console.println("  public key   " + key);
        console.println("  fingerprint  " + key.fingerprint());
        console.println("  friends pin it with this line in their user_info: "
                + new PeerEntry(peer.name(), address, key));
    }

    private void help() {
        console.println("  friend/message  send a message, e.g. bob/hi (messages may contain '/')");
        console.println("  /peers          list the user_info table, who is connected, and key"
                + " fingerprints");
        console.println("  /key, /whoami   show your public key, for friends to pin");
        console.println("  /help           show this help");
        console.println("  :q or /quit     leave (Ctrl-D or the end of input too)");
    }

    private void awaitSendsInFlight() {
        CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
        if (pending.length == 0) {
            return;
        }
        try {
            CompletableFuture.allOf(pending).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            console.println("! leaving with " + inFlight.size() + " message(s) not yet delivered");
        } catch (ExecutionException e) {
            // Each failure has been reported by its own stage.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
