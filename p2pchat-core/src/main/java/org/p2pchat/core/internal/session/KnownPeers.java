package org.p2pchat.core.internal.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.p2pchat.api.PeerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys trusted on first use, by name: remembered in a file ({@code name key} a line,
 * appended as keys are learnt) so that a restart keeps them, or in memory only. Thread-safe.
 */
public final class KnownPeers {
    private static final Logger LOG = LoggerFactory.getLogger(KnownPeers.class);
    /** The most keys remembered; names come from the network, so they are capped. */
    public static final int MAX_ENTRIES = 100_000;

    private final Map<String, PeerKey> keys = new ConcurrentHashMap<>();
    private final Path file;

    private KnownPeers(Path file) {
        this.file = file;
    }

    /**
     * Returns a store held in memory only.
     *
     * @return an empty store
     */
    public static KnownPeers inMemory() {
        return new KnownPeers(null);
    }

    /**
     * Loads the store from a file, which need not exist yet. Unreadable lines are logged and
     * skipped: losing a remembered key only means trusting it on first use again.
     *
     * @param file the known-peers file
     * @return the store
     */
    public static KnownPeers load(Path file) {
        KnownPeers store = new KnownPeers(file);
        if (Files.exists(file)) {
            try {
                int n = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    n++;
                    String s = line.strip();
                    if (s.isEmpty() || s.startsWith("#")) {
                        continue;
                    }
                    String[] f = s.split("\\s+");
                    try {
                        store.keys.put(f[0], PeerKey.parse(f[1]));
                    } catch (RuntimeException e) {
                        LOG.warn("{}:{}: skipping unreadable known-peers line", file, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read known-peers file " + file, e);
            }
        }
        return store;
    }

    /**
     * Returns the key remembered for a name.
     *
     * @param name the peer's name
     * @return the key, if any
     */
    public Optional<PeerKey> get(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /**
     * Remembers a key for a name unless one is already remembered.
     *
     * @param name the peer's name
     * @param key its key
     * @return the key remembered for the name after the call (the given one, or an earlier one)
     */
    public synchronized PeerKey remember(String name, PeerKey key) {
        PeerKey earlier = keys.get(name);
        if (earlier != null) {
            return earlier;
        }
        if (keys.size() >= MAX_ENTRIES) {
            LOG.warn("known-peers store is full ({} keys); not remembering {}", MAX_ENTRIES, name);
            return key;
        }
        keys.put(name, key);
        if (file != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, name + " " + key + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("cannot append to known-peers file {}: {}; {} is trusted until restart",
                        file, e.getMessage(), name);
            }
        }
        return key;
    }
}
