package org.p2pchat.api;

/**
 * No peer goes by a name: it is not in the {@link PeerDirectory}, not a member of one of this
 * peer's rooms, and not a stranger that wrote and can be answered, so there is no address to
 * send to. Add a line {@code name host:port} to the user_info table, or check the spelling.
 */
public class UnknownPeerException extends P2pChatException {
    private static final long serialVersionUID = 1L;

    private final String peerName;

    /**
     * Creates the exception for a name that is not in the directory.
     *
     * @param peerName the name that was looked up
     */
    public UnknownPeerException(String peerName) {
        super("no peer named '" + peerName + "' in the directory or the rooms; add a line '"
                + peerName + " host:port' to the user_info table");
        this.peerName = peerName;
    }

    /**
     * Returns the name that was not found.
     *
     * @return the unknown name
     */
    public String peerName() {
        return peerName;
    }
}
