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
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * One user's chat: reads lines from a {@link ChatConsole}, carries them out against a running
 * {@link Peer}, and reports what went wrong, one line each.
 *
 * <p>Input never waits for the network: a send's outcome is reported when its stage completes,
 * by which time the user may have typed more. On leaving, sends still in flight get a few seconds
 * to finish, so that {@code printf 'bob/hi\n' | p2pchat-chat alice} delivers its message.
 *
 * <p><b>Threading:</b> {@link #run()} is called once, on the thread that owns the console's input,
 * and returns when the user leaves; send failures are reported on the {@code reports} executor
 * (normally the peer's callback executor, so all asynchronous output comes from one thread).
 * {@link #incomingLine} is a pure function for the peer's listener. The caller closes the peer
 * after {@link #run()} returns.
 */
public final class ChatSession {
    /** How long leaving waits for sends still in flight. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final Peer peer;
    private final ChatConsole console;
    private final Executor reports;
    private final CommandInterpreter interpreter = new CommandInterpreter();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * Creates a session.
     *
     * @param peer the running peer, closed by the caller
     * @param console where lines come from and go to
     * @param reports runs the reporting of send outcomes
     */
    public ChatSession(Peer peer, ChatConsole console, Executor reports) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.console = Objects.requireNonNull(console, "console");
        this.reports = Objects.requireNonNull(reports, "reports");
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
     * Prints the greeting, then reads and carries out lines until {@code :q}, {@code /quit} or the
     * end of input, then waits (boundedly) for sends in flight.
     */
    public void run() {
        console.println(peer.name() + " listening on " + peer.listenAddress()
                + " - type friend/message, /help for help");
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
        CompletableFuture<Void> reported = peer.send(friend, text).toCompletableFuture()
                .handleAsync((ok, failure) -> {
                    if (failure != null && !SendFailures.isClosing(failure)) {
                        console.println(SendFailures.describe(friend, address, failure));
                    }
                    return null;
                }, reports);
        inFlight.add(reported);
        reported.whenComplete((ok, failure) -> inFlight.remove(reported));
    }

    private void listPeers() {
        List<PeerEntry> rows = new ArrayList<>(peer.directory().entries());
        if (peer.directory().lookup(peer.name()).isEmpty()) {
            rows.add(0, new PeerEntry(peer.name(), peer.listenAddress()));
        }
        int nameWidth = rows.stream().mapToInt(e -> e.name().length()).max().orElse(1);
        int addressWidth = rows.stream().mapToInt(e -> e.address().toString().length()).max()
                .orElse(1);
        String format = "  %-" + nameWidth + "s  %-" + addressWidth + "s  %s";
        for (PeerEntry row : rows) {
            boolean self = row.name().equals(peer.name());
            String address = (self ? peer.listenAddress() : row.address()).toString();
            String state = self ? "listening (you)"
                    : peer.connectionState(row.name()).name().toLowerCase(Locale.ROOT);
            console.println(String.format(Locale.ROOT, format, row.name(), address, state));
        }
    }

    private void help() {
        console.println("  friend/message  send a message, e.g. bob/hi (messages may contain '/')");
        console.println("  /peers          list the user_info table and who is connected");
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
            console.println("! leaving with " + inFlight.size() + " message(s) not yet sent");
        } catch (ExecutionException e) {
            // Each failure has been reported by its own stage.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
