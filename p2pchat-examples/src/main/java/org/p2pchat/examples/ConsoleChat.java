package org.p2pchat.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.p2pchat.api.ListenFailedException;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.core.P2pChat;
import org.p2pchat.core.PeerBuilder;
import org.p2pchat.examples.console.ChatCompleter;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.JLineChatConsole;
import org.p2pchat.examples.console.PlainChatConsole;
import org.p2pchat.examples.console.TimestampedConsole;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The console chat of the seed design, as a command line program:
 * {@code java -jar p2pchat-chat.jar alice [--join HOST:PORT|INVITE] [--room NAME] [--no-room]
 * [--user-info FILE] [--listen host:port]
 * [--state-dir DIR] [--idle-timeout 5m] [--delivery-timeout 30s] [--linger 5s] [--timestamps]}.
 *
 * <p>Its job is the process around a {@link ChatSession}: parse the arguments, load the user_info
 * table, start the {@link Peer} with its identity kept in the state directory (listening on a free
 * port when it joins a room and the table does not list it), say what to do about rooms at start
 * ({@link RoomStart}), choose a terminal
 * (with Tab completion) or plain console, and turn start-up failures into one line on stderr and
 * exit code {@value #EXIT_BAD_START}. As {@code main}, the chat owns the process, and sends its
 * library log lines to {@code chat.log} in the state directory ({@link ChatLog}); run in-process
 * ({@link #run(String[], InputStream, PrintStream, PrintStream)}), it leaves logging to the
 * process around it.
 *
 * <p><b>Threading:</b> {@link #run} runs on the caller's thread until the user leaves; it may be
 * called from several threads at once (tests run three chats in one JVM), as each call has its own
 * peer, console and threads.
 */
@Command(name = "p2pchat-chat", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Chat in rooms and with the friends in a user_info table.",
            "At start it opens the open room #general and prints how others join it; with"
                + " --join HOST:PORT it joins the room of the peer there instead (--join INVITE:"
                + " the invite's room). Without --user-info, a bundled table lists alice, bob,"
                + " carol, dave and eve on 127.0.0.1:7001-7005; with --join, a name not in the"
                + " table listens on a free port of 127.0.0.1."},
        footer = {"",
            "In the chat: a line goes to the current room (the one joined or created last, or"
                + " last written to with #room message); friend/message sends to a friend in the"
                + " table, a room member or anyone who wrote to you. /rooms, /members [ROOM],"
                + " /join ROOM HOST:PORT, /join INVITE, /create ROOM, /invite [ROOM], /leave"
                + " [ROOM], /peers, /key, /help, :q or /quit. Tab completes a friend's name (bo ->"
                + " bob/), a #room or a command. Ctrl-C abandons the line being typed; on an empty"
                + " line it leaves, as Ctrl-D does.",
            "Library log lines go to chat.log in the state directory (appended), never to the"
                + " screen; -Dorg.slf4j.simpleLogger.defaultLogLevel=info logs more."})
public final class ConsoleChat implements Callable<Integer> {
    /**
     * The exit code after the user leaves ({@code :q}, {@code /quit}, end of input) with every
     * message delivered.
     */
    public static final int EXIT_OK = 0;
    /** The exit code for bad arguments, an unusable user_info table, or a failed listen. */
    public static final int EXIT_BAD_START = 2;
    /**
     * The exit code after leaving with messages that were still not delivered when the close
     * linger ran out (each is named on the way out).
     */
    public static final int EXIT_UNDELIVERED = 3;

    private static final Duration OUTPUT_STOP_TIMEOUT = Duration.ofSeconds(2);
    /** The library's own setting, the state directory when {@code --state-dir} is not given. */
    private static final String STATE_DIRECTORY_PROPERTY = "p2pchat.stateDirectory";

    @Parameters(index = "0", paramLabel = "NAME",
            description = "Your name; your own line in the user_info table says where to listen.")
    private String name;

    @Option(names = "--user-info", paramLabel = "FILE",
            description = "The user_info table: one 'name host:port [public-key]' a line, #"
                    + " for comments. A public key pins that friend's identity.")
    private Path userInfo;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = CliConverters.Address.class,
            description = "Listen here instead of at your own table entry.")
    private PeerAddress listen;

    @Option(names = "--join", paramLabel = "HOST:PORT|INVITE",
            description = "Join the room of the peer at HOST:PORT (room #general, or --room), or"
                    + " the room an invite (p2pchat://...) names, instead of opening one. Without"
                    + " a table entry or --listen, listen on a free port of 127.0.0.1.")
    private String join;

    @Option(names = "--room", paramLabel = "NAME",
            description = "The room to open, or to join with --join HOST:PORT. Default: general.")
    private String room;

    @Option(names = "--no-room",
            description = "Start in no room, for direct messages only (/join and /create still"
                    + " work).")
    private boolean noRoom;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep your identity key and the keys of friends trusted on first use"
                    + " here. Default: ~/.p2pchat/NAME (or -Dp2pchat.stateDirectory).")
    private Path stateDir;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = CliConverters.Time.class,
            description = "Close a connection unused for this long, e.g. 30s or 5m; 0 = never."
                    + " Default: 5m.")
    private Duration idleTimeout;

    @Option(names = "--delivery-timeout", paramLabel = "DURATION",
            converter = CliConverters.PositiveTime.class,
            description = "Keep retrying a message to a friend who is away for this long, e.g."
                    + " 10s or 2m, then report it undelivered. Default: 30s (or"
                    + " -Dp2pchat.deliveryTimeout).")
    private Duration deliveryTimeout;

    @Option(names = "--linger", paramLabel = "DURATION", converter = CliConverters.Time.class,
            description = "On leaving, wait this long for messages still on their way, e.g. 10s;"
                    + " 0 = leave at once. Exit code 3 if some were not delivered. Default: 5s (or"
                    + " -Dp2pchat.closeLinger).")
    private Duration linger;

    @Option(names = "--timestamps",
            description = "Start each printed line with the local time, e.g. 14:03 [bob] hi.")
    private boolean timestamps;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    private final InputStream in;
    private final Charset inputCharset;
    private final PrintStream out;
    private final PrintStream err;
    /** Whether this is {@code main}: the chat may then use the terminal and owns stderr. */
    private final boolean ownsProcess;

    private ConsoleChat(InputStream in, Charset inputCharset, PrintStream out, PrintStream err,
            boolean ownsProcess) {
        this.in = in;
        this.inputCharset = inputCharset;
        this.out = out;
        this.err = err;
        this.ownsProcess = ownsProcess;
    }

    /**
     * Runs the chat on the process's terminal (or its stdin and stdout when they are not a
     * terminal) and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        ChatLog.configureLibraryLogging();
        Charset stdin = Charset.forName(System.getProperty("native.encoding",
                Charset.defaultCharset().name()));
        System.exit(run(args, System.in, stdin, System.out, System.err, true));
    }

    /**
     * Runs the chat on the given streams, line by line, without a terminal: what {@code main} does
     * when stdin is piped, and what tests drive in-process. Logging is left to the caller's
     * process: the log file is {@code main}'s, as it changes the process's standard error.
     *
     * @param args the command line, as for {@code main}
     * @param in input lines, UTF-8; the chat ends at their end
     * @param out output lines
     * @param err start-up errors and usage messages
     * @return the exit code: {@value #EXIT_OK} after leaving, {@value #EXIT_UNDELIVERED} after
     *     leaving with messages not delivered, {@value #EXIT_BAD_START} if the chat
     *     could not start
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, StandardCharsets.UTF_8, out, err, false);
    }

    private static int run(String[] args, InputStream in, Charset inputCharset, PrintStream out,
            PrintStream err, boolean ownsProcess) {
        Objects.requireNonNull(args, "args");
        ConsoleChat chat = new ConsoleChat(Objects.requireNonNull(in, "in"), inputCharset,
                Objects.requireNonNull(out, "out"), Objects.requireNonNull(err, "err"),
                ownsProcess);
        CommandLine cli = new CommandLine(chat)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler((e, badArgs) -> {
                    PrintWriter w = e.getCommandLine().getErr();
                    w.println("error: " + e.getMessage());
                    w.println("usage: " + e.getCommandLine().getCommandSpec().qualifiedName()
                            + " NAME [--join HOST:PORT|INVITE] [--room NAME] [--no-room]"
                            + " [--user-info FILE] [--listen HOST:PORT] [--state-dir DIR]"
                            + " [--idle-timeout DURATION] [--delivery-timeout DURATION]"
                            + " [--linger DURATION] [--timestamps]; --help for more");
                    return EXIT_BAD_START;
                });
        return cli.execute(args);
    }

    /**
     * Starts the peer and runs the session; called by picocli once the options are set.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        try {
            PeerEntry.validateName(name);
        } catch (IllegalArgumentException e) {
            return badStart(e.getMessage());
        }
        RoomStart roomStart;
        try {
            roomStart = roomStart();
        } catch (IllegalArgumentException e) {
            return badStart(e.getMessage());
        }
        UserInfoSource.Loaded table;
        try {
            table = UserInfoSource.load(userInfo);
        } catch (UserInfoSource.UnusableException e) {
            return badStart(e.getMessage());
        }
        PeerAddress address = listen != null ? listen
                : table.directory().lookup(name).map(PeerEntry::address).orElse(null);
        if (address == null && join != null) {
            // A newcomer joining through someone: any free port will do, the room learns it.
            address = PeerAddress.loopback(0);
        }
        if (address == null) {
            // The bundled table is inside the jar: the user can only bring a table of their own.
            String fix = userInfo == null
                    ? "pass --user-info FILE with a line '" + name + " host:port', or --listen"
                            + " host:port"
                    : "add a line '" + name + " host:port' to it, or pass --listen host:port";
            return badStart("'" + name + "' is not in " + table.description() + "; " + fix
                    + ", or --join HOST:PORT to join a room");
        }
        Path state = stateDirectory();
        Path logFile = null;
        if (ownsProcess) {
            try {
                logFile = ChatLog.redirectStandardError(state, name);
            } catch (IOException e) {
                return badStart("cannot write the log file " + state.resolve(ChatLog.FILE_NAME)
                        + " (" + describe(e) + ")");
            }
        }
        // One thread prints everything that happens asynchronously (incoming messages and send
        // failures), so those lines keep their order and never hold up the network thread.
        ExecutorService output = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "p2pchat-chat-output-" + name);
            t.setDaemon(true);
            return t;
        });
        Correspondents correspondents = new Correspondents();
        AtomicReference<Peer> started = new AtomicReference<>();
        ChatConsole console = openConsole(new ChatCompleter(CommandInterpreter.COMMANDS,
                () -> addressees(correspondents.addressees(table.directory(), name),
                        started.get()),
                () -> roomNames(started.get())));
        RoomPresence presence = new RoomPresence();
        FileCommands files = new FileCommands(console, state.resolve("downloads"), output);
        try {
            PeerBuilder builder = P2pChat.builder(name)
                    .directory(table.directory())
                    .listenOn(address)
                    .stateDirectory(state)
                    .callbackExecutor(output)
                    .listener(new ChatListener(console, correspondents, table.directory(),
                            presence, files));
            if (idleTimeout != null) {
                builder.idleTimeout(idleTimeout);
            }
            if (linger != null) {
                builder.closeLinger(linger);
            }
            if (deliveryTimeout != null) {
                builder.deliveryTimeout(deliveryTimeout);
            }
            Peer peer;
            try {
                peer = builder.start();
            } catch (ListenFailedException e) {
                // The transport's message usually names the address already; say it once.
                String why = String.valueOf(e.getMessage());
                return badStart(why.contains(address.toString()) ? why
                        : "cannot listen on " + address + ": " + why);
            } catch (P2pChatException | IllegalArgumentException e) {
                return badStart(e.getMessage());
            } catch (UncheckedIOException e) {
                // The state directory: its identity or known-peers file cannot be read or written.
                return badStart(e.getMessage() + " (" + describe(e.getCause()) + ")");
            }
            started.set(peer);
            files.attach(peer);
            int undelivered;
            try (peer) {
                undelivered = new ChatSession(peer, console, output, correspondents, logFile,
                        ChatSession.WAIT_NOTICE_DELAY, presence, roomStart, files).run();
            }
            return undelivered == 0 ? EXIT_OK : EXIT_UNDELIVERED;
        } finally {
            // In this order: the peer is closed, lines it already handed over are printed, and
            // only then does the console stop printing.
            stop(output);
            console.close();
        }
    }

    /**
     * What {@code --join}, {@code --room} and {@code --no-room} ask for.
     *
     * @throws IllegalArgumentException if they do not go together, or a name is not one
     */
    private RoomStart roomStart() {
        if (room != null) {
            String r = room.startsWith("#") ? room.substring(1) : room;
            try {
                PeerEntry.validateName(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--room: " + e.getMessage(), e);
            }
            room = r;
        }
        if (noRoom && (join != null || room != null)) {
            throw new IllegalArgumentException("--no-room starts in no room; it does not go with "
                    + (join != null ? "--join" : "--room"));
        }
        if (noRoom) {
            return new RoomStart.None();
        }
        String roomName = room != null ? room : CommandInterpreter.DEFAULT_ROOM;
        if (join == null) {
            return new RoomStart.Open(roomName);
        }
        if (join.startsWith(CommandInterpreter.INVITE_SCHEME)) {
            if (room != null) {
                throw new IllegalArgumentException("--room does not go with an invite: the invite"
                        + " names its room");
            }
            return new RoomStart.JoinInvite(join);
        }
        try {
            return new RoomStart.Join(roomName, PeerAddress.parse(join));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--join expects HOST:PORT or an invite"
                    + " (p2pchat://...), got '" + join + "'", e);
        }
    }

    /** Everyone Tab offers: the table, who wrote, and the members of the peer's rooms. */
    private List<String> addressees(List<String> fromTable, Peer peer) {
        Set<String> all = new LinkedHashSet<>(fromTable);
        if (peer != null) {
            for (Room r : peer.rooms()) {
                for (RoomMember m : r.members()) {
                    if (m.state() != MemberState.SELF && !m.name().equals(name)) {
                        all.add(m.name());
                    }
                }
            }
        }
        return List.copyOf(all);
    }

    private static List<String> roomNames(Peer peer) {
        return peer == null ? List.of() : peer.rooms().stream().map(Room::name).toList();
    }

    /**
     * The state directory: {@code --state-dir}, else the library's own
     * {@code -Dp2pchat.stateDirectory}, else {@link #defaultStateDirectory}.
     */
    private Path stateDirectory() {
        if (stateDir != null) {
            return stateDir;
        }
        String property = System.getProperty(STATE_DIRECTORY_PROPERTY);
        return property != null ? Path.of(property) : defaultStateDirectory(name);
    }

    /**
     * Where a chat keeps its state without {@code --state-dir}: {@code ~/.p2pchat/NAME}, one
     * directory per name, so several chats of one user (alice and bob on one machine) do not share
     * an identity.
     *
     * @param name the chat's name
     * @return the directory
     */
    static Path defaultStateDirectory(String name) {
        return Path.of(System.getProperty("user.home"), ".p2pchat", name);
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private ChatConsole openConsole(ChatCompleter completer) {
        ChatConsole console = null;
        if (ownsProcess && System.console() != null) {
            console = JLineChatConsole.openSystemTerminal(name + "> ", completer).orElse(null);
        }
        if (console == null) {
            console = new PlainChatConsole(in, inputCharset, out);
        }
        return timestamps ? new TimestampedConsole(console, Clock.systemDefaultZone()) : console;
    }

    private int badStart(String problem) {
        err.println("error: " + problem);
        err.flush();
        return EXIT_BAD_START;
    }

    private static void stop(ExecutorService output) {
        output.shutdown();
        try {
            // Lets incoming lines already queued be printed; bounded so leaving never hangs.
            output.awaitTermination(OUTPUT_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
