package org.p2pchat.core.internal.files;

/**
 * The limits of file transfer. {@code maxFileBytes} is the setting {@code p2pchat.maxFileBytes};
 * the others are fixed by the engine and documented in PROTOCOL.md ("Files", limits).
 *
 * @param maxFileBytes the largest file this peer accepts an offer of
 * @param maxIncomingPerPeer offers waiting for the application plus transfers under way, from one
 *     peer; beyond them an offer is refused as BUSY
 * @param maxIncomingTotal the same, from every peer together
 * @param maxOutgoing transfers this peer sends at once (offers waiting for an answer included)
 * @param creditBytes how far beyond what it has written a receiver lets a sender go: the most
 *     chunk data a transfer holds in memory on the receiving side
 * @param chunkBytes the most file bytes in one CHUNK
 * @param inTransportBytes the most chunk data a sender leaves in the connection's write queue,
 *     so that a chat message written meanwhile waits behind little
 * @param syncBytes how often, in bytes written, a receiver forces its partial file to disk
 */
public record FileOptions(long maxFileBytes, int maxIncomingPerPeer, int maxIncomingTotal,
        int maxOutgoing, int creditBytes, int chunkBytes, int inTransportBytes, long syncBytes) {

    /** Default {@code p2pchat.maxFileBytes}: 4 GiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 4L << 30;

    public FileOptions {
        if (maxFileBytes < 0 || maxFileBytes >= FileFrames.MAX_SIZE) {
            throw new IllegalArgumentException("expected 0 <= maxFileBytes < 2^62, got "
                    + maxFileBytes);
        }
        if (chunkBytes < 1 || creditBytes < chunkBytes || inTransportBytes < chunkBytes) {
            throw new IllegalArgumentException("chunks must fit the credit and the write queue");
        }
    }

    /**
     * The defaults with this largest file.
     *
     * @param maxFileBytes {@code p2pchat.maxFileBytes}
     * @return the options
     */
    public static FileOptions withMaxFileBytes(long maxFileBytes) {
        return new FileOptions(maxFileBytes, 4, 16, 64, 256 << 10, 64 << 10, 128 << 10, 16L << 20);
    }

    /** The defaults. */
    public static FileOptions defaults() {
        return withMaxFileBytes(DEFAULT_MAX_FILE_BYTES);
    }
}
