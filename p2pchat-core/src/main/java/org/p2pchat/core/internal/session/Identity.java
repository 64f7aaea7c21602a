package org.p2pchat.core.internal.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.noise.X25519;

/**
 * This peer's long-term X25519 key pair. Created on first start and kept in a file only its owner
 * can read (POSIX mode 600 where the file system has it), or held in memory only. Immutable.
 */
public final class Identity {
    private static final String HEADER = "# p2pchat identity: X25519 private key, base64. Keep secret.";

    private final X25519.Keys keys;
    private final PeerKey publicKey;

    private Identity(X25519.Keys keys) {
        this.keys = keys;
        this.publicKey = PeerKey.of(keys.publicKey());
    }

    /**
     * Creates a key pair that lives only in memory.
     *
     * @param random the randomness source
     * @return a new identity
     */
    public static Identity ephemeral(SecureRandom random) {
        return new Identity(X25519.generate(random));
    }

    /**
     * Loads the identity from a file, creating it (owner-only) if it does not exist.
     *
     * @param file the key file
     * @param random the randomness source for a new key
     * @return the identity
     * @throws P2pChatException if the file exists but cannot be read as a key
     * @throws UncheckedIOException if the file cannot be read or written
     */
    public static Identity loadOrCreate(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return load(file);
            }
            Identity created = ephemeral(random);
            Files.createDirectories(file.toAbsolutePath().getParent());
            String text = HEADER + "\n" + Base64.getEncoder().encodeToString(
                    created.keys.privateKey()) + "\n";
            try {
                if (Files.getFileStore(file.toAbsolutePath().getParent())
                        .supportsFileAttributeView("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException raced) {
                return load(file);
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the identity file " + file, e);
        }
    }

    private static Identity load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new P2pChatException("identity file " + file + " does not hold a base64 key", e);
            }
            if (raw.length != X25519.KEY_BYTES) {
                throw new P2pChatException("identity file " + file + " holds " + raw.length
                        + " bytes; expected a 32-byte X25519 private key");
            }
            return new Identity(X25519.fromPrivate(raw));
        }
        throw new P2pChatException("identity file " + file + " is empty; delete it to create a new"
                + " identity (friends who pinned the old key will refuse the new one)");
    }

    /**
     * Returns the key pair, for the handshake.
     *
     * @return the raw keys
     */
    public X25519.Keys keys() {
        return keys;
    }

    /**
     * Returns the public key.
     *
     * @return the key
     */
    public PeerKey publicKey() {
        return publicKey;
    }
}
