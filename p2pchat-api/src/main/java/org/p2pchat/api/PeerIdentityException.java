package org.p2pchat.api;

/**
 * A peer presented a key that does not match the one pinned in the user_info table or remembered
 * from an earlier conversation, or one that could not be confirmed at the friend's listed address,
 * or it refused this peer's key for such a reason. Nothing was exchanged with it. If the key change is expected (the friend reinstalled), remove the friend's
 * line from the known-peers file or update the pinned key; otherwise someone may be impersonating
 * the friend.
 */
public class PeerIdentityException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which peer, which keys (as fingerprints), and what to do
     */
    public PeerIdentityException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that explains it.
     *
     * @param message which peer, which keys (as fingerprints), and what to do
     * @param cause why the key could not be confirmed
     */
    public PeerIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
