package org.p2pchat.core.internal.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.p2pchat.api.P2pChatException;
import org.p2pchat.api.PeerKey;
import org.p2pchat.core.internal.noise.X25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's long-term identity: one 32-byte secret seed, from which its Ed25519 signing key
 * (for room messages and member records) and its X25519 key (for the Noise handshake; its
 * {@link PeerKey}) are both derived, as {@link Ed25519} describes. Created on first start and
 * kept in a file only its owner can read (POSIX mode 600 where the file system has it), or held
 * in memory only. Immutable.
 *
 * <p>A file from before protocol 4 holds an X25519 private key alone, from which no signing key
 * can be derived: it is moved aside to {@code <file>.v3} and a new identity is made, with a
 * warning, since friends who pinned the old key must pin the new one.
 */
public final class Identity {
    private static final Logger LOG = LoggerFactory.getLogger(Identity.class);
    private static final String HEADER = "# p2pchat identity: Ed25519 seed (RFC 8032), base64, after"
            + " 'v4'. Keep secret.";
    private static final String MARK = "v4 ";

    private final byte[] seed;
    private final X25519.Keys keys;
    private final Ed25519.Keys signer;
    private final PeerKey publicKey;

    private Identity(byte[] seed) {
        this.seed = seed.clone();
        this.keys = X25519.fromPrivate(Ed25519.x25519PrivateKey(seed));
        this.signer = Ed25519.fromSeed(seed);
        this.publicKey = PeerKey.of(keys.publicKey());
    }

    /**
     * Creates an identity that lives only in memory.
     *
     * @param random the randomness source
     * @return a new identity
     */
    public static Identity ephemeral(SecureRandom random) {
        byte[] seed = new byte[Ed25519.SEED_BYTES];
        random.nextBytes(seed);
        return new Identity(seed);
    }

    /**
     * Loads the identity from a file, creating it (owner-only) if it does not exist.
     *
     * @param file the key file
     * @param random the randomness source for a new key
     * @return the identity
     * @throws P2pChatException if the file exists but cannot be read as an identity
     * @throws UncheckedIOException if the file cannot be read or written
     */
    public static Identity loadOrCreate(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                Identity loaded = load(file);
                if (loaded != null) {
                    return loaded;
                }
                Path old = file.resolveSibling(file.getFileName() + ".v3");
                Files.move(file, old, StandardCopyOption.REPLACE_EXISTING);
                LOG.warn("{} held an identity from before p2pchat protocol 4 (an X25519 key"
                        + " alone, which cannot sign room messages); it is kept as {} and a new"
                        + " identity is made: friends who pinned the old key must pin the new one",
                        file, old);
            }
            Identity created = ephemeral(random);
            Files.createDirectories(file.toAbsolutePath().getParent());
            String text = HEADER + "\n" + MARK + Base64.getEncoder().encodeToString(created.seed)
                    + "\n";
            try {
                if (Files.getFileStore(file.toAbsolutePath().getParent())
                        .supportsFileAttributeView("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException raced) {
                Identity loaded = load(file);
                if (loaded != null) {
                    return loaded;
                }
                throw new P2pChatException("identity file " + file + " appeared meanwhile with"
                        + " an identity from before protocol 4");
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the identity file " + file, e);
        }
    }

    /** Reads a file; null if it holds an identity from before protocol 4. */
    private static Identity load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (!s.startsWith(MARK)) {
                if (looksLikeOldKey(s)) {
                    return null;
                }
                throw new P2pChatException("identity file " + file + " does not hold a p2pchat"
                        + " identity (expected a line 'v4 <base64 seed>')");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(s.substring(MARK.length()).strip());
            } catch (IllegalArgumentException e) {
                throw new P2pChatException("identity file " + file + " does not hold a base64 seed", e);
            }
            if (raw.length != Ed25519.SEED_BYTES) {
                throw new P2pChatException("identity file " + file + " holds " + raw.length
                        + " bytes; expected a 32-byte seed");
            }
            return new Identity(raw);
        }
        throw new P2pChatException("identity file " + file + " is empty; delete it to create a new"
                + " identity (friends who pinned the old key will refuse the new one)");
    }

    private static boolean looksLikeOldKey(String line) {
        try {
            return Base64.getDecoder().decode(line).length == X25519.KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Returns the X25519 key pair, for the handshake.
     *
     * @return the raw keys
     */
    public X25519.Keys keys() {
        return keys;
    }

    /**
     * Returns the Ed25519 signing keys.
     *
     * @return the keys
     */
    public Ed25519.Keys signer() {
        return signer;
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
