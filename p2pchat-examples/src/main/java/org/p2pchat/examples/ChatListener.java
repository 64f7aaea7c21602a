package org.p2pchat.examples;

import java.util.Objects;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerIdentityException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.examples.console.ChatConsole;
import org.p2pchat.examples.console.Printable;

/**
 * The listener of a chat's peer: prints what the library reports, one line each, and remembers
 * who wrote so that the user can answer.
 *
 * <ul>
 *   <li>a message: {@code [bob] hi}, or {@code [zed (not in table)] hi} from a sender the table
 *       does not list, with anything a terminal would act on replaced;</li>
 *   <li>a key trusted on first use: {@code * bob's key 9a1c-0d2e-44f1-77aa trusted on first use
 *       (compare fingerprints out of band)};</li>
 *   <li>a room message: {@code [#general] bob: hi};</li>
 *   <li>a room's membership: {@code * carol joined #general}, {@code * carol left #general},
 *       {@code * carol is unreachable (#general)}, each once ({@link RoomPresence});</li>
 *   <li>a file offered, with the number {@code /accept} and {@code /reject} take, and the
 *       progress of transfers ({@link FileCommands});</li>
 *   <li>a caller this peer refused because its key is not the pinned or remembered one:
 *       {@code ! refused alice: 'alice' presented key ... but the key ... is ...}. (A friend this
 *       peer called and refused is reported by the failed sends instead.)</li>
 * </ul>
 *
 * <p><b>Threading:</b> the peer calls it on its callback executor, one call at a time.
 */
public final class ChatListener implements MessageListener {
    /** What follows the name of a sender outside the user_info table. */
    static final String STRANGER_MARK = " (not in table)";

    private final ChatConsole console;
    private final Correspondents correspondents;
    private final PeerDirectory table;
    private final RoomPresence presence;
    /** The chat's file commands, or null: offers are then refused, as the library's default. */
    private final FileCommands files;

    /**
     * Creates the listener.
     *
     * @param console where the lines go
     * @param correspondents records every peer that writes
     * @param table the user_info table: a sender not in it is marked as such on every line
     */
    public ChatListener(ChatConsole console, Correspondents correspondents, PeerDirectory table) {
        this(console, correspondents, table, new RoomPresence(), null);
    }

    /** As the public constructor, sharing the session's record of the members announced. */
    ChatListener(ChatConsole console, Correspondents correspondents, PeerDirectory table,
            RoomPresence presence, FileCommands files) {
        this.console = Objects.requireNonNull(console, "console");
        this.correspondents = Objects.requireNonNull(correspondents, "correspondents");
        this.table = Objects.requireNonNull(table, "table");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.files = files;
    }

    @Override
    public void onFileOffer(org.p2pchat.api.FileOffer offer) {
        if (files == null) {
            offer.refuse();
        } else {
            files.offered(offer);
        }
    }

    @Override
    public void onFileProgress(org.p2pchat.api.FileTransfer transfer, long bytesDone, long size) {
        if (files != null) {
            files.progress(transfer, bytesDone, size);
        }
    }

    @Override
    public void onMessage(ChatMessage message) {
        correspondents.wrote(message.from());
        console.println(incomingLine(message, table.lookup(message.from()).isPresent()));
    }

    @Override
    public void onRoomMessage(RoomMessage message) {
        console.println(roomLine(message));
    }

    @Override
    public void onMemberJoined(String room, RoomMember member) {
        String line = presence.joined(room, member);
        if (line != null) {
            console.println(line);
        }
    }

    @Override
    public void onMemberLeft(String room, RoomMember member) {
        console.println(presence.left(room, member));
    }

    @Override
    public void onMemberFailed(String room, RoomMember member) {
        console.println(presence.failed(room, member));
    }

    @Override
    public void onPeerKeyTrusted(String peerName, PeerKey key) {
        console.println(keyTrustedLine(peerName, key));
    }

    @Override
    public void onPeerRefused(String peerName, PeerIdentityException reason) {
        console.println(refusedLine(peerName, reason));
    }

    /**
     * Formats an incoming message as {@code [bob] hi}, or {@code [zed (not in table)] hi} for a
     * sender the user_info table does not list, so that no stranger passes for a friend on screen
     * (look-alike names are refused by the library; one written wholly in another script still
     * differs here). Anything a terminal would act on is replaced, since the text comes from the
     * network.
     *
     * @param message the message
     * @param listed whether the sender is in the user_info table
     * @return the line to print
     */
    public static String incomingLine(ChatMessage message, boolean listed) {
        return "[" + Printable.of(message.from()) + (listed ? "" : STRANGER_MARK) + "] "
                + Printable.of(message.text());
    }

    /**
     * Formats a room message as {@code [#general] bob: hi}, with anything a terminal would act on
     * replaced. The name is the member's name in the room (unique there, bound to its key).
     *
     * @param message the message
     * @return the line to print
     */
    public static String roomLine(RoomMessage message) {
        return "[#" + Printable.of(message.room()) + "] " + Printable.of(message.from()) + ": "
                + Printable.of(message.text());
    }

    /**
     * Formats the notice that a friend's key was trusted on first use.
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
     * Formats the notice that this peer refused a caller.
     *
     * @param peerName the name the caller claimed
     * @param reason the library's explanation, naming both fingerprints
     * @return the line to print
     */
    static String refusedLine(String peerName, PeerIdentityException reason) {
        return "! refused " + Printable.of(peerName) + ": "
                + Printable.of(String.valueOf(reason.getMessage()).strip());
    }
}
