package org.p2pchat.examples;

import java.util.Objects;

/**
 * What one input line asks for, as {@link CommandInterpreter} reads it. Immutable values; any
 * thread.
 */
public sealed interface Command {

    /**
     * {@code friend/message}: send a message.
     *
     * @param friend the friend's name, a syntactically valid peer name
     * @param text the message, not empty, without leading or trailing white space
     */
    record Send(String friend, String text) implements Command {
        /** Validates the components. */
        public Send {
            Objects.requireNonNull(friend, "friend");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A line that is neither {@code friend/message} nor a command: a message for the current
     * room.
     *
     * @param text the message, not empty, without leading or trailing white space
     * @param withoutRoom what is wrong with the line if the user is in no room (then it is the
     *     invalid line it was before rooms), one line without the {@code !} marker
     */
    record Say(String text, String withoutRoom) implements Command {
        /** Validates the components. */
        public Say {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(withoutRoom, "withoutRoom");
        }
    }

    /**
     * {@code #room message}: publish a message in a room.
     *
     * @param room the room's name, syntactically valid
     * @param text the message, not empty, without leading or trailing white space
     */
    record RoomSay(String room, String text) implements Command {
        /** Validates the components. */
        public RoomSay {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@code /create ROOM}: create an invite-only room.
     *
     * @param room the room's name, syntactically valid
     */
    record CreateRoom(String room) implements Command {
        /** Validates the component. */
        public CreateRoom {
            Objects.requireNonNull(room, "room");
        }
    }

    /**
     * {@code /join ROOM HOST:PORT} (or {@code /join HOST:PORT} for the default room): join an
     * open room through a member.
     *
     * @param room the room's name, syntactically valid
     * @param member the member's address
     */
    record JoinRoom(String room, org.p2pchat.api.PeerAddress member) implements Command {
        /** Validates the components. */
        public JoinRoom {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * {@code /join INVITE}: join the room an invite names.
     *
     * @param invite the invite text, starting {@code p2pchat://}; checked by the library
     */
    record JoinInvite(String invite) implements Command {
        /** Validates the component. */
        public JoinInvite {
            Objects.requireNonNull(invite, "invite");
        }
    }

    /**
     * {@code /invite [ROOM]}: print a room's invite.
     *
     * @param room the room's name, or null for the current room
     */
    record ShowInvite(String room) implements Command {
    }

    /**
     * {@code /send NAME PATH}: offer a friend a file.
     *
     * @param friend the friend's name, syntactically valid
     * @param path the file, as typed (relative to the working directory; may hold spaces)
     */
    record SendFile(String friend, String path) implements Command {
        /** Validates the components. */
        public SendFile {
            Objects.requireNonNull(friend, "friend");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * {@code /accept [ID]}: accept a file offered, into the downloads directory.
     *
     * @param offer the offer's number as printed, or null for the only (or oldest) one
     */
    record AcceptFile(Integer offer) implements Command {
    }

    /**
     * {@code /reject [ID]}: refuse a file offered.
     *
     * @param offer the offer's number as printed, or null for the only (or oldest) one
     */
    record RejectFile(Integer offer) implements Command {
    }

    /** {@code /rooms}: list the rooms this peer is in. */
    record ListRooms() implements Command {
    }

    /**
     * {@code /members [ROOM]}: list a room's members.
     *
     * @param room the room's name, or null for the current room
     */
    record ListMembers(String room) implements Command {
    }

    /**
     * {@code /leave [ROOM]}: leave a room.
     *
     * @param room the room's name, or null for the current room
     */
    record LeaveRoom(String room) implements Command {
    }

    /**
     * {@code /peers}: list every known peer (the table, room members, strangers who called) with
     * connection states, last seen, key fingerprints and shared rooms.
     */
    record ListPeers() implements Command {
    }

    /**
     * {@code /history NAME} or {@code /history #ROOM}: page back through a conversation.
     *
     * @param target the peer's name, or the room's with its {@code #}
     */
    record ShowHistory(String target) implements Command {
    }

    /**
     * {@code /search WORDS}: the latest messages holding every word.
     *
     * @param words the words
     */
    record Search(String words) implements Command {
    }

    /**
     * {@code /stats}: show what the peer's links have done and hold, in total and per friend
     * ({@code Peer.stats()}).
     */
    record ShowStats() implements Command {
    }

    /** {@code /key} or {@code /whoami}: show this peer's public key and fingerprint. */
    record ShowKey() implements Command {
    }

    /** {@code /help}: explain the input format. */
    record Help() implements Command {
    }

    /** {@code :q} or {@code /quit}: leave. */
    record Quit() implements Command {
    }

    /** An empty line: nothing to do. */
    record Nothing() implements Command {
    }

    /**
     * A line that cannot be carried out.
     *
     * @param problem what is wrong and what was expected, one line without the {@code !} marker
     */
    record Invalid(String problem) implements Command {
        /** Validates the component. */
        public Invalid {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
