package org.p2pchat.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.Room;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * One user's chat: reads lines from a {@link ChatConsole}, carries them out against a running
 * {@link Peer}, and reports what went wrong, one line each.
 *
 * <p>Input never waits for the network: a send's outcome is reported when its stage completes,
 * by which time the user may have typed more. A send completes when the friend acknowledges the
 * message; to a friend who is away it waits (and is retried) until the delivery timeout, and only
 * then fails with the offline line. So that the user does not wait that long in silence,
 * {@link SendOutcomes} says that messages wait after {@link #WAIT_NOTICE_DELAY}, and says when
 * they are delivered after all. A message may go to anyone in the user_info table and to anyone
 * who wrote this session: whether the name is known is the peer's question, and a name it does not
 * know fails at once with the unknown-friend line. On leaving, sends still in flight get a few
 * seconds to finish (the peer's close linger), so that {@code printf 'bob/hi\n' | p2pchat-chat alice}
 * delivers its message.
 *
 * <p>Rooms: after the greeting the session opens or joins the room {@link RoomStart} says;
 * {@link RoomCommands} carries out the room commands and knows the current room, which plain text
 * is published in. A room message is reported only when not every member confirmed it; it counts
 * for the exit code as a direct message does.
 *
 * <p><b>Threading:</b> {@link #run()} is called once, on the thread that owns the console's input,
 * and returns when the user leaves; send outcomes and wait notices are reported on the
 * {@code reports} executor (normally the peer's callback executor, so all asynchronous output
 * comes from one thread). The peer's listener is a {@link ChatListener} sharing the session's
 * {@link Correspondents}. {@link #run()} closes the peer when the user leaves.
 */
public final class ChatSession {
    /** How long leaving waits, after the peer has closed, for the last outcomes to be printed. */
    static final Duration REPORTS_TIMEOUT = Duration.ofSeconds(2);
    /** How long a send waits for its acknowledgement before the user is told that it waits. */
    static final Duration WAIT_NOTICE_DELAY = Duration.ofSeconds(3);

    private final Peer peer;
    private final ChatConsole console;
    private final Path logFile;
    private final CommandInterpreter interpreter = new CommandInterpreter();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    /** What was still unacknowledged when the peer closed, in send order; guards itself. */
    private final List<String> undelivered = new ArrayList<>();
    /** Whom those were for; guarded by {@link #undelivered}. */
    private final Set<String> undeliveredTo = new java.util.LinkedHashSet<>();
    /** Sends whose stage has not completed; guarded by {@link #undelivered}. */
    private int sendsWaiting;
    /** Messages that failed before leaving (each was reported); guarded by {@link #undelivered}. */
    private int failedEarlier;
    /** How long leaving may take before the user is told that messages are awaited. */
    private static final Duration QUIET_LEAVE = Duration.ofMillis(500);
    /** Closes the peer while the input thread watches the time. */
    private static final Executor CLOSER = r -> {
        Thread t = new Thread(r, "p2pchat-chat-leaving");
        t.setDaemon(true);
        t.start();
    };
    private final SendOutcomes outcomes;
    private final PeerList peerList;
    private final Executor reports;
    private final RoomCommands rooms;
    private final RoomStart roomStart;
    private final HistoryView history;
    /** The file commands, or null in a session without files (their commands then say so). */
    private final FileCommands files;

    /**
     * Creates a session.
     *
     * @param peer the running peer, which {@link #run()} closes when the user leaves
     * @param console where lines come from and go to
     * @param reports runs the reporting of send outcomes
     * @param correspondents who wrote, as the peer's {@link ChatListener} records it
     * @param logFile where library log lines go, which {@code /help} says; null if the process
     *     around the session decides that
     */
    public ChatSession(Peer peer, ChatConsole console, Executor reports,
            Correspondents correspondents, Path logFile) {
        this(peer, console, reports, correspondents, logFile, WAIT_NOTICE_DELAY,
                new RoomPresence(), new RoomStart.None(), null);
    }

    /** As the public constructor, with another delay before a wait notice (for tests). */
    ChatSession(Peer peer, ChatConsole console, Executor reports, Correspondents correspondents,
            Path logFile, Duration waitNoticeDelay) {
        this(peer, console, reports, correspondents, logFile, waitNoticeDelay, new RoomPresence(),
                new RoomStart.None(), null);
    }

    /**
     * As the public constructor, with what to do about rooms at start, the record of the
     * members announced and the file commands that the peer's {@link ChatListener} shares.
     */
    ChatSession(Peer peer, ChatConsole console, Executor reports, Correspondents correspondents,
            Path logFile, Duration waitNoticeDelay, RoomPresence presence, RoomStart roomStart,
            FileCommands files) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.console = Objects.requireNonNull(console, "console");
        this.logFile = logFile;
        this.reports = Objects.requireNonNull(reports, "reports");
        this.outcomes = new SendOutcomes(peer, console, reports, waitNoticeDelay);
        this.peerList = new PeerList(peer);
        this.rooms = new RoomCommands(peer, console, reports, presence);
        this.roomStart = Objects.requireNonNull(roomStart, "roomStart");
        this.history = new HistoryView(peer, console);
        this.files = files;
    }

    /**
     * Prints the greeting, then reads and carries out lines until {@code :q}, {@code /quit} or the
     * end of input, then closes the peer: it lingers up to its {@code closeLinger} for the
     * messages still on their way, and those that still have not arrived are named in one line.
     *
     * @return how many messages typed in this session were not delivered (each was reported)
     */
    public int run() {
        console.println(peer.name() + " listening on " + peer.listenAddress() + ", key "
                + peer.publicKey().fingerprint() + " - type friend/message, /help for help");
        PeerKey listed = peer.directory().lookup(peer.name()).map(PeerEntry::key).orElse(null);
        if (listed != null && !listed.equals(peer.publicKey())) {
            console.println("! the user_info table pins " + peer.name() + " to key "
                    + listed.fingerprint() + ", not yours; friends using it will refuse you"
                    + " (/key shows your key)");
        }
        history.start();
        rooms.start(roomStart);
        for (String line = console.readLine(); line != null; line = console.readLine()) {
            Command command = interpreter.parse(line);
            if (command instanceof Command.Quit) {
                break;
            }
            execute(command);
        }
        return leave();
    }

    private void execute(Command command) {
        if (command instanceof Command.Send send) {
            send(send.friend(), send.text());
        } else if (command instanceof Command.ListPeers) {
            peerList.lines().forEach(console::println);
        } else if (command instanceof Command.ShowHistory show) {
            history.page(show.target());
        } else if (command instanceof Command.Search search) {
            history.search(search.words());
        } else if (command instanceof Command.ShowStats) {
            StatsView.lines(peer.stats(), ZoneId.systemDefault()).forEach(console::println);
        } else if (command instanceof Command.ShowKey) {
            showKey();
        } else if (command instanceof Command.Help) {
            help();
        } else if (command instanceof Command.Say say) {
            say(say);
        } else if (command instanceof Command.RoomSay roomSay) {
            Optional<Room> room = peer.room(roomSay.room());
            if (room.isEmpty() && rooms.awaitJoins()) {
                room = peer.room(roomSay.room());
            }
            if (room.isEmpty()) {
                console.println(RoomCommands.notIn(roomSay.room()));
            } else {
                rooms.wroteTo(room.get());
                publish(room.get(), roomSay.text());
            }
        } else if (command instanceof Command.CreateRoom create) {
            rooms.create(create.room());
        } else if (command instanceof Command.JoinRoom join) {
            rooms.join(join.room(), join.member());
        } else if (command instanceof Command.JoinInvite join) {
            rooms.joinInvite(join.invite());
        } else if (command instanceof Command.ShowInvite invite) {
            rooms.invite(invite.room());
        } else if (command instanceof Command.ListRooms) {
            rooms.list();
        } else if (command instanceof Command.ListMembers members) {
            rooms.members(members.room());
        } else if (command instanceof Command.LeaveRoom leave) {
            rooms.leave(leave.room());
        } else if (command instanceof Command.SendFile || command instanceof Command.AcceptFile
                || command instanceof Command.RejectFile) {
            file(command);
        } else if (command instanceof Command.Invalid invalid) {
            console.println("! " + invalid.problem());
        } else if (!(command instanceof Command.Nothing)) {
            throw new IllegalStateException("unhandled command " + command);
        }
    }

    private void file(Command command) {
        if (files == null) {
            console.println("! this chat takes no files");
        } else if (command instanceof Command.SendFile send) {
            if (send.friend().equals(peer.name())) {
                console.println("! " + send.friend() + " is you; /peers lists your friends");
            } else {
                files.send(send.friend(), send.path());
            }
        } else if (command instanceof Command.AcceptFile accept) {
            files.accept(accept.offer());
        } else if (command instanceof Command.RejectFile reject) {
            files.reject(reject.offer());
        }
    }

    private void send(String friend, String text) {
        if (friend.equals(peer.name())) {
            console.println("! " + friend + " is you; /peers lists your friends");
            return;
        }
        // Null for a peer that wrote without being in the table: the peer knows it, the table not.
        PeerAddress address = peer.directory().lookup(friend).map(PeerEntry::address).orElse(null);
        CompletableFuture<Void> sent = peer.send(friend, text).toCompletableFuture();
        Throwable atOnce = sent.handle((ok, failure) -> failure).getNow(null);
        if (atOnce != null && SendFailures.isUnknownPeer(atOnce)) {
            // Said at once, in the order of what was typed, like the other input errors.
            console.println(SendFailures.unknownFriend(friend));
            synchronized (undelivered) {
                failedEarlier++;
            }
            return;
        }
        synchronized (undelivered) {
            sendsWaiting++;
        }
        sent.whenComplete((ok, failure) -> {
            synchronized (undelivered) {
                sendsWaiting--;
                if (failure != null && SendFailures.isClosing(failure)) {
                    // Still unacknowledged when the chat closed: the user left before it arrived.
                    undelivered.add(text);
                    undeliveredTo.add(friend);
                } else if (failure != null) {
                    // Reported on its own line already; it still counts for the exit code.
                    failedEarlier++;
                }
            }
        });
        CompletableFuture<Void> reported = outcomes.follow(friend, address, text, sent);
        inFlight.add(reported);
        reported.whenComplete((ok, failure) -> inFlight.remove(reported));
    }

    /** Plain text: for the current room; without one, the line is what it was before rooms. */
    private void say(Command.Say say) {
        Optional<Room> room = rooms.current();
        if (room.isEmpty() && rooms.awaitJoins()) {
            // Typed (or piped) while the room was being joined: it is meant for that room.
            room = rooms.current();
        }
        if (room.isEmpty()) {
            console.println("! " + say.withoutRoom());
            return;
        }
        if (rooms.ambiguous()) {
            console.println("* to #" + room.get().name());
        }
        publish(room.get(), say.text());
    }

    /**
     * Publishes in a room; its outcome is reported only if not every member confirmed it (a
     * member's screen is the confirmation), and it counts for the exit code as a send does.
     */
    private void publish(Room room, String text) {
        CompletableFuture<?> published = room.publish(text).toCompletableFuture();
        Throwable atOnce = published.handle((ok, failure) -> failure).getNow(null);
        if (atOnce != null && !SendFailures.isClosing(atOnce)) {
            console.println(SendFailures.roomFailure(room.name(), text, atOnce));
            synchronized (undelivered) {
                failedEarlier++;
            }
            return;
        }
        synchronized (undelivered) {
            sendsWaiting++;
        }
        String to = "#" + room.name();
        published.whenComplete((ok, failure) -> {
            synchronized (undelivered) {
                sendsWaiting--;
                if (failure != null && SendFailures.isClosing(failure)) {
                    undelivered.add(text);
                    undeliveredTo.add(to);
                } else if (failure != null) {
                    failedEarlier++;
                }
            }
        });
        CompletableFuture<Void> reported = published.handleAsync((ok, failure) -> {
            if (failure != null && !SendFailures.isClosing(failure)) {
                console.println(SendFailures.roomFailure(room.name(), text, failure));
            }
            return (Void) null;
        }, reports);
        inFlight.add(reported);
        reported.whenComplete((ok, failure) -> inFlight.remove(reported));
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
        console.println("  friend/message  send a message, e.g. bob/hi (messages may contain '/');"
                + " to a friend in the table, a room member, or anyone who wrote to you");
        console.println("  message         any other line goes to the current room: the one"
                + " created or joined last, or last written to with #room");
        console.println("  #room message   write to a room, e.g. #general hi all");
        console.println("  /rooms          list your rooms: access and how many members");
        console.println("  /members [ROOM] list a room's members: address, state, key fingerprint");
        console.println("  /join ROOM HOST:PORT, /join HOST:PORT, /join INVITE");
        console.println("                  join an open room through a member (HOST:PORT alone"
                + " joins #" + CommandInterpreter.DEFAULT_ROOM + "), or any room with its invite");
        console.println("  /create ROOM    create an invite-only room and print its invite");
        console.println("  /invite [ROOM]  print a room's invite, for others to /join");
        console.println("  /leave [ROOM]   leave a room (its members see that you left)");
        console.println("  /peers          list every peer you know: the table, room members and"
                + " who called; state, last seen, key fingerprint, rooms shared");
        console.println("  /history NAME, /history #ROOM");
        console.println("                  page back through a conversation (again: further back)");
        console.println("  /search WORDS   the latest messages holding every word");
        console.println("  /send NAME PATH offer NAME the file at PATH; it goes once NAME accepts,"
                + " with a progress bar");
        console.println("  /accept [ID]    accept a file offered (ID as printed, else the oldest)"
                + " into " + (files == null ? "the downloads directory" : "downloads/ under the"
                + " state directory"));
        console.println("  /reject [ID]    refuse a file offered");
        console.println("  /stats          what your links did and hold, in total and per peer:"
                + " messages and bytes, frames, resends, ack delays, outbox and window (in bytes"
                + " + 32 a message), connections and why they closed");
        console.println("  /key, /whoami   show your public key, for friends to pin");
        console.println("  /help           show this help");
        console.println("  :q or /quit     leave every room and the chat (Ctrl-D or the end of"
                + " input too)");
        console.println("  Tab             complete a name (bo -> bob/), a #room or a command");
        console.println("  Ctrl-C          abandon the line being typed; on an empty line, leave");
        if (logFile != null) {
            console.println("  library log lines go to " + logFile + ", never to the screen");
        }
    }

    /**
     * Leaves: closes the peer, which lingers for the messages still on their way (saying so if it
     * takes a while), lets their lines be printed, and names those that were not delivered.
     *
     * @return how many messages typed in the session were not delivered
     */
    private int leave() {
        outcomes.leaving();
        try {
            // A join still under way says how it ended before the chat does.
            rooms.settled().get(REPORTS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Its own line, if any, comes when it ends; leaving does not wait for the network.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(peer::close, CLOSER);
        try {
            closing.get(QUIET_LEAVE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Say why leaving takes a while, but not when the last messages arrive at once.
            int waiting = waitingCount();
            if (waiting > 0) {
                console.println("* " + waiting + " message(s) still on their way; waiting for"
                        + " them before leaving (p2pchat.closeLinger, --linger)");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("closing the peer failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing.join();
        // Every stage has completed now; their lines go out on the reports executor.
        CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
        try {
            CompletableFuture.allOf(pending).get(REPORTS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Each outcome was reported by its own stage, or is too late to matter.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> lost;
        String to;
        synchronized (undelivered) {
            lost = List.copyOf(undelivered);
            to = String.join(", ", undeliveredTo);
        }
        if (!lost.isEmpty()) {
            console.println("! leaving with " + lost.size() + " message(s) not delivered (to "
                    + Printable.of(to) + "): " + Excerpt.ofAll(lost));
        }
        synchronized (undelivered) {
            return lost.size() + failedEarlier;
        }
    }

    private int waitingCount() {
        synchronized (undelivered) {
            return sendsWaiting;
        }
    }
}
