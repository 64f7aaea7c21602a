package org.p2pchat.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.p2pchat.api.MemberState;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.api.RoomMember;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * The room commands of a session: {@code /create}, {@code /join}, {@code /invite}, {@code /rooms},
 * {@code /members}, {@code /leave}, the room opened or joined at start, and which room plain text
 * goes to (the room created or joined last, or the last one written to with {@code #room}).
 *
 * <p><b>Threading:</b> commands run on the input thread; what a join's outcome prints is printed
 * on the {@code reports} executor (the peer's callback executor), in order with the membership
 * lines of {@link ChatListener}.
 */
final class RoomCommands {
    private final Peer peer;
    private final ChatConsole console;
    private final Executor reports;
    private final RoomPresence presence;
    /** The room plain text goes to; null when none was chosen yet. */
    private volatile String current;
    /** Joins under way, for {@link #settled()}. */
    private final List<CompletableFuture<?>> joins = new java.util.concurrent.CopyOnWriteArrayList<>();

    RoomCommands(Peer peer, ChatConsole console, Executor reports, RoomPresence presence) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.console = Objects.requireNonNull(console, "console");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.presence = Objects.requireNonNull(presence, "presence");
    }

    /** Carries out what the chat does about rooms at start. */
    void start(RoomStart start) {
        if (start instanceof RoomStart.Open open) {
            openRoom(open.room());
        } else if (start instanceof RoomStart.Join join) {
            join(join.room(), join.member());
        } else if (start instanceof RoomStart.JoinInvite invite) {
            joinInvite(invite.invite());
        }
    }

    private void openRoom(String name) {
        Room room;
        try {
            room = peer.createRoom(name, RoomAccess.OPEN);
        } catch (IllegalArgumentException e) {
            console.println("! cannot open #" + name + ": " + e.getMessage());
            return;
        }
        entered(room);
        String roomOption = CommandInterpreter.DEFAULT_ROOM.equals(name) ? "" : " --room " + name;
        console.println("* #" + name + " is open: others join with ./chat NAME --join "
                + peer.listenAddress() + roomOption + " (invite-only rooms: /create)");
        console.println("* or with its invite: " + room.invite());
    }

    /** {@code /create ROOM}: an invite-only room, whose invite is printed. */
    void create(String name) {
        Room room;
        try {
            room = peer.createRoom(name);
        } catch (IllegalArgumentException e) {
            console.println("! cannot create #" + name + ": " + e.getMessage());
            return;
        }
        entered(room);
        console.println("* created #" + name + " (invite-only); others join with /join INVITE or"
                + " ./chat NAME --join INVITE, where INVITE is (send it only to them):");
        console.println("  " + room.invite());
    }

    /** {@code /join ROOM HOST:PORT}. */
    void join(String name, PeerAddress member) {
        if (peer.room(name).isPresent()) {
            console.println(alreadyIn(name));
            return;
        }
        console.println("* joining #" + name + " through " + member + "...");
        presence.joining(name);
        follow(name, " through " + member, peer.joinRoom(name, member));
    }

    /** {@code /join INVITE}. */
    void joinInvite(String invite) {
        // The invite's room and member, as it spells them (the library checks the invite).
        String rest = invite.startsWith(CommandInterpreter.INVITE_SCHEME)
                ? invite.substring(CommandInterpreter.INVITE_SCHEME.length()) : "";
        int slash = rest.indexOf('/');
        int query = rest.indexOf('?');
        String name = slash < 0 ? null
                : rest.substring(slash + 1, query > slash ? query : rest.length());
        String through = slash < 0 ? "" : Printable.of(" through " + rest.substring(0, slash));
        if (name != null && peer.room(name).isPresent()) {
            console.println(alreadyIn(name));
            return;
        }
        if (name != null) {
            presence.joining(name);
        }
        CompletionStage<Room> joined;
        try {
            joined = peer.joinRoom(invite);
        } catch (IllegalArgumentException e) {
            if (name != null) {
                presence.gone(name);
            }
            console.println("! not an invite: " + Printable.of(String.valueOf(e.getMessage())));
            return;
        }
        console.println("* joining" + (name == null ? "" : " #" + Printable.of(name)) + through
                + " with the invite...");
        follow(name, through, joined);
    }

    private void follow(String name, String through, CompletionStage<Room> joining) {
        CompletableFuture<Void> reported = joining.toCompletableFuture().handleAsync((room, e) -> {
            if (e != null) {
                if (name != null) {
                    presence.gone(name);
                }
                Throwable cause = e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                console.println("! " + Printable.of(String.valueOf(cause.getMessage())));
                return null;
            }
            List<String> others = new ArrayList<>();
            for (RoomMember m : room.members()) {
                if (m.state() != MemberState.SELF) {
                    others.add(Printable.of(m.name()));
                }
            }
            entered(room);
            console.println("* you joined #" + room.name() + through
                    + (others.isEmpty() ? "" : ", with " + String.join(", ", others))
                    + "; type a message for it, /members lists who is in");
            return null;
        }, reports);
        joins.add(reported);
        reported.whenComplete((v, e) -> joins.remove(reported));
    }

    /**
     * Waits for the joins under way, if any, to end (each ends within the delivery timeout, the
     * library's bound) and their outcome to be printed.
     *
     * @return whether there were any
     */
    boolean awaitJoins() {
        if (joins.isEmpty()) {
            return false;
        }
        try {
            settled().join();
        } catch (java.util.concurrent.CompletionException
                | java.util.concurrent.CancellationException e) {
            // Its outcome was printed, or the session is ending.
        }
        return true;
    }

    /** Completes when every join started so far has had its outcome printed. */
    CompletableFuture<Void> settled() {
        return CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0]));
    }

    private void entered(Room room) {
        presence.entered(room.name(), room.members());
        current = room.name();
    }

    /** {@code /invite [ROOM]}. */
    void invite(String name) {
        room(name, "/invite").ifPresent(room -> {
            if (room.access() == RoomAccess.OPEN) {
                console.println("* #" + room.name() + " is open: /join " + room.name() + " "
                        + peer.listenAddress() + ", or this invite:");
            } else {
                console.println("* the invite to #" + room.name() + " (whoever has it can join;"
                        + " send it only to them):");
            }
            console.println("  " + room.invite());
        });
    }

    /** {@code /rooms}. */
    void list() {
        List<Room> rooms = peer.rooms();
        if (rooms.isEmpty()) {
            console.println("  you are in no room; /join ROOM HOST:PORT, /join INVITE or /create"
                    + " ROOM");
            return;
        }
        int width = rooms.stream().mapToInt(r -> r.name().length()).max().orElse(1) + 1;
        for (Room r : rooms) {
            int n = r.members().size();
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  %-11s  %d member%s%s",
                    "#" + r.name(), access(r.access()), n, n == 1 ? " " : "s",
                    r.name().equals(current) ? "  (plain text goes here)" : "").stripTrailing());
        }
    }

    /** {@code /members [ROOM]}. */
    void members(String name) {
        room(name, "/members").ifPresent(room -> {
            List<RoomMember> members = room.members();
            console.println("  #" + room.name() + " (" + access(room.access()) + "), "
                    + members.size() + " member" + (members.size() == 1 ? "" : "s") + ":");
            int nameWidth = members.stream().mapToInt(m -> Printable.of(m.name()).length())
                    .max().orElse(1);
            int addressWidth = members.stream().mapToInt(m -> m.address().toString().length())
                    .max().orElse(1);
            String format = "  %-" + nameWidth + "s  %-" + addressWidth + "s  %-11s  %s";
            for (RoomMember m : members) {
                console.println(String.format(Locale.ROOT, format, Printable.of(m.name()),
                        m.address(), state(m.state()), m.key().fingerprint()));
            }
        });
    }

    /** {@code /leave [ROOM]}. */
    void leave(String name) {
        room(name, "/leave").ifPresent(room -> {
            room.leave();
            presence.gone(room.name());
            console.println("* you left #" + room.name());
            if (room.name().equals(current)) {
                List<Room> rest = peer.rooms();
                current = rest.isEmpty() ? null : rest.get(rest.size() - 1).name();
                if (current != null) {
                    console.println("* plain text now goes to #" + current);
                }
            }
        });
    }

    /**
     * The room plain text goes to: the current one if this peer is still in it, else the only
     * one it is in.
     *
     * @return the room, or empty when this peer is in no room
     */
    Optional<Room> current() {
        String name = current;
        Optional<Room> room = name == null ? Optional.empty() : peer.room(name);
        if (room.isPresent()) {
            return room;
        }
        List<Room> rooms = peer.rooms();
        return rooms.isEmpty() ? Optional.empty() : Optional.of(rooms.get(rooms.size() - 1));
    }

    /** A room was written to with {@code #room}: plain text goes there from now on. */
    void wroteTo(Room room) {
        current = room.name();
    }

    /** Whether plain text could mean more than one room. */
    boolean ambiguous() {
        return peer.rooms().size() > 1;
    }

    private Optional<Room> room(String name, String command) {
        if (name == null) {
            Optional<Room> room = current();
            if (room.isEmpty()) {
                console.println("! you are in no room; usage: " + command + " ROOM");
            }
            return room;
        }
        Optional<Room> room = peer.room(name);
        if (room.isEmpty()) {
            console.println(notIn(name));
        }
        return room;
    }

    private static String alreadyIn(String room) {
        return "! you are in #" + Printable.of(room) + " already; /members " + Printable.of(room)
                + " lists its members";
    }

    /** The line for a room this peer is not in. */
    static String notIn(String room) {
        return "! you are not in #" + room + "; /rooms lists yours, /join " + room
                + " HOST:PORT joins it";
    }

    static String access(RoomAccess access) {
        return access == RoomAccess.OPEN ? "open" : "invite-only";
    }

    static String state(MemberState state) {
        switch (state) {
            case SELF:
                return "you";
            case CONNECTED:
                return "connected";
            case IDLE:
                return "idle";
            default:
                return "unreachable";
        }
    }
}
