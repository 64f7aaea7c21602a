package org.p2pchat.api;

import java.util.concurrent.CompletionStage;

/**
 * A running chat node: it listens for friends, opens a connection to a friend on the first message
 * and reuses it, and hands what arrives to its {@link MessageListener}.
 *
 * <p>Created and started by {@code org.p2pchat.core.P2pChat.builder(name)}.
 *
 * <p><b>Threading:</b> every method is thread-safe and none but {@link #close()} blocks on the
 * network: work that needs the network is queued for the transport's event loop and its outcome
 * reported through the returned {@link CompletionStage}. Stages complete on a network thread, so
 * keep dependent actions short or move them to your own executor. {@code close()} lingers for
 * unacknowledged messages, for a bounded time, and never blocks a p2pchat thread.
 */
public interface Peer extends AutoCloseable {

    /**
     * Returns this peer's name, as it introduces itself to friends.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the address this peer listens on, with the actual port when port 0 was asked for.
     *
     * @return the bound listen address
     */
    PeerAddress listenAddress();

    /**
     * Returns this peer's public key, its identity. Friends pin it in their user_info tables.
     *
     * @return the key
     */
    PeerKey publicKey();

    /**
     * Returns the key a friend has proven it holds, pinned or trusted on first use.
     *
     * @param friend the friend's name
     * @return the key, or empty while no connection to the friend has completed a handshake and
     *     none is pinned or remembered
     */
    java.util.Optional<PeerKey> peerKey(String friend);

    /**
     * Returns the directory this peer looks friends up in.
     *
     * @return the directory
     */
    PeerDirectory directory();

    /**
     * Sends a text message to a friend, opening a connection first if there is none.
     *
     * <p>The message is numbered and kept in the friend's outbox until the friend acknowledges
     * it: if the friend is offline or the connection breaks, it is sent again on the next
     * connection, and the friend's listener gets it exactly once, in the order of this peer's
     * calls. While the friend's address refuses connections this peer tries again at least once a
     * second ({@code p2pchat.maxReconnectDelay}), so waiting messages go out within about a second
     * of the friend's return, however long it was away; attempts that time out are spaced by the
     * connect timeout instead, and attempts whose handshake fails back off to
     * {@code p2pchat.maxHandshakeRetryDelay}.
     *
     * <p>The friend is looked up in the directory, then among the members of this peer's rooms
     * (by their name in the room; {@link #send(PeerKey, String)} picks one by key if several
     * rooms have a member of that name); a peer neither lists (a stranger) can be
     * answered while its connection is open, and afterwards if it is one of the last 256
     * strangers that connected to this peer: it is then called back at the IP address its
     * connection came from, on the port it said it listens on.
     *
     * <p>The stage completes when the friend has acknowledged the message, and fails with
     * {@link UnknownPeerException} if the friend is neither in the directory nor a stranger that
     * can be answered, {@link DeliveryTimeoutException} if no acknowledgement came within the
     * delivery timeout, {@link OutboxFullException} at once if the friend's outbox is at its
     * limit, {@link PeerIdentityException} if the friend's key does not match the trusted one (or
     * the friend refused this peer's key), {@link MessageTooLargeException} if the text does not
     * fit in a frame (this peer's, or the friend's if smaller), or {@link PeerClosedException} at
     * once if {@link #close()} was called, or when close() ends its linger with the message
     * still unacknowledged.
     *
     * @param friend the friend's name, as in the directory
     * @param text the message text (may be empty)
     * @return a stage completed when the friend has acknowledged the message
     */
    CompletionStage<Void> send(String friend, String text);

    /**
     * Offers a file to a friend and, once it accepts, sends it: name, size and SHA-256 first, as
     * a message that is numbered and acknowledged as {@link #send} sends text, then the bytes on a
     * flow-controlled lane of their own beside the chat, whose messages never wait behind more
     * than a few chunks. A connection lost meanwhile is reopened and the transfer resumes from
     * the last offset the friend confirmed. The friend finds the peer as {@link #send} does.
     *
     * <p>The file's SHA-256 is computed first, on the peer's file thread; the file must not
     * change until the transfer ends (if it does, the receiver detects it: {@link
     * FileIntegrityException}). With a {@code stateDirectory}, the transfer is remembered until
     * it ends, and a restarted peer offers the file again by itself; the receiver then resumes
     * from its partial file.
     *
     * @param friend the friend's name
     * @param file a regular file this peer can read
     * @return the transfer; its stage completes once the friend has verified and stored the
     *     file, and fails with {@link FileRefusedException} if the friend refused it (its
     *     application, or its limits), {@link FileIntegrityException}, another {@link
     *     FileTransferException} ({@link FileTransferException.Reason#IO_ERROR} if the file
     *     cannot be read), or as {@link #send} fails if the offer cannot be delivered
     */
    FileTransfer sendFile(String friend, java.nio.file.Path file);

    /**
     * Offers a file to the peer with this key; otherwise as {@link #sendFile(String,
     * java.nio.file.Path)}.
     *
     * @param key the peer's key
     * @param file a regular file this peer can read
     * @return the transfer
     */
    FileTransfer sendFile(PeerKey key, java.nio.file.Path file);

    /**
     * Lists the file transfers under way, both ways: offers sent and not yet answered, and
     * transfers accepted and not yet ended (offers received and not yet decided are the
     * listener's).
     *
     * @return an immutable snapshot
     */
    java.util.List<FileTransfer> fileTransfers();

    /**
     * Returns the state of the connection to a friend.
     *
     * @param friend the friend's name
     * @return the state; {@link ConnectionState#DISCONNECTED} for unknown names
     */
    ConnectionState connectionState(String friend);

    /**
     * Returns why the last attempt to reach a friend failed, or why its last connection closed,
     * while messages to it wait: a refused connection, a connect timeout, a handshake cut short or
     * refused. Applications use it to tell "offline" from "answers but fails"; the messages
     * themselves keep being retried until their delivery timeout.
     *
     * @param friend the friend's name
     * @return the last failure, or empty if there was none since the friend last acknowledged a
     *     message, or nothing waits for it
     */
    java.util.Optional<Throwable> connectionFailure(String friend);

    /**
     * Sends a text message to the peer with this key: a friend, a member of one of this peer's
     * rooms, or a stranger that can be answered, whatever its name. Otherwise as
     * {@link #send(String, String)}.
     *
     * @param key the peer's key
     * @param text the message text (may be empty)
     * @return a stage completed when the peer has acknowledged the message
     */
    CompletionStage<Void> send(PeerKey key, String text);

    /**
     * Returns a stage that completes once every text message sent so far is committed to this
     * peer's store: its history record (pending) and its outbox entry, together. That is a
     * send's durability point. With a durable store (see {@code p2pchat.store}), a message
     * past it is sent again after a crash or a {@code close()} when this peer starts again with
     * the same state directory, until the friend acknowledges it or its delivery timeout passes
     * (measured from when it was first sent); the friend's listener gets it once. With the
     * in-memory store it completes at once and nothing survives the process.
     *
     * <p>A message to a directory friend whose key this peer has not learned yet (not pinned in
     * the directory, never met) is committed when the first connection to it proves the key.
     *
     * @return completes when the writes queued before the call are committed; fails with
     *     {@link StoreException} if the store cannot write, and from the first message whose
     *     write failed on (that message is not safe from a crash)
     */
    CompletionStage<Void> flush();

    /**
     * Returns the conversation with a peer, to read its history with {@link #history}: the
     * direct messages exchanged with the key the name goes by here (a friend's, a room
     * member's, a stranger's). For a room's, see {@link Room#conversation()}.
     *
     * @param name the peer's name
     * @return the conversation, or empty if the name means no key here yet
     */
    java.util.Optional<Conversation> conversation(String name);

    /**
     * Lists the conversations this peer has history of, the one with the latest message first.
     * Reads the store on the calling thread (a durable store may wait for its disk).
     *
     * @param limit the most conversations, 1 or more
     * @return the conversations, each named as in its latest message
     * @throws StoreException if the store cannot be read
     */
    java.util.List<Conversation> conversations(int limit);

    /**
     * Reads a page of a conversation's history, newest first: every message sent and received,
     * with its sender, both times and its delivery state. Page back with
     * {@link HistoryQuery#before}. Reads the store on the calling thread.
     *
     * @param conversation the conversation
     * @param query which page
     * @return the messages, at most {@code query.limit()}
     * @throws StoreException if the store cannot be read
     */
    java.util.List<HistoryRecord> history(Conversation conversation, HistoryQuery query);

    /**
     * Finds the stored messages, in every conversation, whose text contains every word of a
     * query (case-insensitive), newest first. Reads the store on the calling thread.
     *
     * @param words the words, separated by white space
     * @param limit the most messages, 1 or more
     * @return the messages
     * @throws StoreException if the store cannot be read
     */
    java.util.List<HistoryRecord> search(String words, int limit);

    /**
     * Opens a connection to a peer ahead of the first message, as a send would: a friend from
     * the directory, a room member or a stranger that can be answered, found by name as
     * {@link #send(String, String)} finds it.
     *
     * @param name the peer's name
     * @return completes when a connection is open and both sides have proven their keys; fails
     *     as a send would ({@link UnknownPeerException}, {@link PeerIdentityException},
     *     {@link PeerUnreachableException}...)
     */
    CompletionStage<Void> connect(String name);

    /**
     * Lists every peer this peer knows of: the friends in its directory, the members of its
     * rooms, and the strangers that called it and can still be answered, each once (by key
     * where known), with the state of the connection to it and the rooms it shares.
     *
     * @return an immutable snapshot, ordered by name
     */
    java.util.List<KnownPeer> knownPeers();

    /**
     * Takes a snapshot of what this peer's links have done and hold: per friend and in total,
     * messages and bytes sent, resent, acknowledged and received, DATA and ACK frames, how long
     * acknowledgements took, outbox and window use, and connections opened, open and closed by
     * reason (see {@link PeerStats} and {@link LinkStats} for what each figure counts).
     *
     * <p>Any thread, as often as wanted: the counters behind it stay on all the time and cost
     * the sending and receiving threads a few plain writes per frame. Taking the snapshot holds
     * each link's lock for a moment, as {@link #knownPeers()} does, and never waits for the
     * network. The figures are read one after another while the peer runs on, so they may be
     * slightly inconsistent with each other; each is exact as of its own reading. Also works
     * after {@link #close()}, with the figures as they were left.
     *
     * @return the snapshot
     */
    PeerStats stats();

    /**
     * Creates an {@link RoomAccess#INVITE_ONLY invite-only} room with this peer as its only
     * member. Others join it with its {@link Room#invite() invite}.
     *
     * @param name the room's name: a valid peer name ({@link PeerEntry#validateName})
     * @return the room
     * @throws IllegalArgumentException if the name is not valid, or this peer is in a room of
     *     that name already
     */
    default Room createRoom(String name) {
        return createRoom(name, RoomAccess.INVITE_ONLY);
    }

    /**
     * Creates a room with this peer as its only member.
     *
     * @param name the room's name: a valid peer name ({@link PeerEntry#validateName})
     * @param access who may join
     * @return the room
     * @throws IllegalArgumentException if the name is not valid, or this peer is in a room of
     *     that name already
     */
    Room createRoom(String name, RoomAccess access);

    /**
     * Joins an open room through any of its members: this peer connects to the member at
     * {@code member}, asks to join the room named {@code room} under this peer's name, receives
     * the member list and then connects to every member.
     *
     * @param room the room's name
     * @param member the address of any current member
     * @return completes with the room once the member has admitted this peer; fails with
     *     {@link RoomJoinException} saying why it did not (name taken, no such room there,
     *     invite required, unreachable)
     */
    CompletionStage<Room> joinRoom(String room, PeerAddress member);

    /**
     * Joins a room with an invite, as {@link Room#invite()} made it on a member: the member it
     * names is asked, and must prove the key the invite names.
     *
     * @param invite the invite text
     * @return completes with the room once admitted; fails with {@link RoomJoinException}
     * @throws IllegalArgumentException if the text is not an invite
     */
    CompletionStage<Room> joinRoom(String invite);

    /**
     * Returns the rooms this peer is a member of now.
     *
     * @return an immutable snapshot, ordered by name
     */
    java.util.List<Room> rooms();

    /**
     * Finds a room this peer is a member of.
     *
     * @param name the room's name
     * @return the room, or empty if this peer is not in a room of that name
     */
    java.util.Optional<Room> room(String name);

    /**
     * Closes this peer, first lingering for the messages friends have not acknowledged yet, like
     * ZeroMQ's {@code ZMQ_LINGER}.
     *
     * <ol>
     * <li>From the first call on, new {@link #send}s fail at once with
     *     {@link PeerClosedException}.
     * <li>For up to the linger ({@code p2pchat.closeLinger}, default 5 s; 0 skips it) the messages
     *     already sent keep being sent and retried, with new connections if needed, and messages
     *     from friends still reach the listener. The linger ends as soon as every message is
     *     settled: acknowledged, or failed (at its delivery timeout, for instance).
     * <li>Then the messages still unacknowledged fail with {@code PeerClosedException} (its
     *     message names the linger), the connections and the listening socket close, with up to
     *     the close timeout ({@code p2pchat.closeTimeout}, default 2 s) to write what they have
     *     queued, and the callback thread the peer owns stops.
     * </ol>
     *
     * <p><b>How long it blocks.</b> Called on an application thread, it returns once all this is
     * done: at once when nothing waits, at most the linger plus the close timeout (plus a few
     * milliseconds) in any case; an interrupt ends the linger early. Called on a thread of
     * p2pchat (a stage callback on the network thread or timer, a listener call, including one on
     * your {@code callbackExecutor}) it does not block at all, since the acknowledgements it
     * would wait for may need that very thread: it returns at once, new sends already fail, and
     * the peer finishes closing in the background within the same bounds.
     *
     * <p>Idempotent and thread-safe: a later call waits, on an application thread, until the first
     * one has finished, so that the peer is closed when it returns; on a p2pchat thread it returns
     * at once.
     */
    @Override
    void close();
}
