package org.p2pchat.core.internal.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.p2pchat.api.PeerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys trusted on first use, by name, in two separate stores: one for friends listed in the
 * directory, which is as large as the directory and never evicts, and one for strangers, which
 * holds at most {@link #MAX_STRANGERS} keys and evicts the oldest first. Strangers choose their
 * names freely, so however many of them come, they can neither push out a friend's key nor fill
 * the store until nothing new is remembered (a full store never means "accept anything").
 *
 * <p>Kept in a file so that a restart keeps them ({@code name key} a line for a friend,
 * {@code name key stranger} for a stranger, appended as keys are learnt, rewritten compactly when
 * evictions have left it twice as long as needed), or in memory only. A key learnt while its name
 * was a stranger's never speaks for a friend of that name listed later: that friend is trusted
 * anew.
 *
 * <p>Thread-safe; called on the event loop during handshakes.
 */
public final class KnownPeers {
    private static final Logger LOG = LoggerFactory.getLogger(KnownPeers.class);
    /** The most strangers' keys remembered; names come from the network, so they are capped. */
    public static final int MAX_STRANGERS = 10_000;
    private static final String STRANGER_MARK = "stranger";

    private final Predicate<String> listed;
    private final int maxStrangers;
    private final Path file;
    private final Map<String, PeerKey> friends = new HashMap<>();
    /** In the order they were learnt: the first is the oldest, evicted first. */
    private final LinkedHashMap<String, PeerKey> strangers = new LinkedHashMap<>();
    private int fileLines;

    KnownPeers(Predicate<String> listed, int maxStrangers, Path file) {
        this.listed = listed;
        this.maxStrangers = maxStrangers;
        this.file = file;
    }

    /**
     * Returns a store held in memory only.
     *
     * @param listed tells whether a name is a friend's (listed in the directory)
     * @return an empty store
     */
    public static KnownPeers inMemory(Predicate<String> listed) {
        return new KnownPeers(listed, MAX_STRANGERS, null);
    }

    /**
     * Loads the store from a file, which need not exist yet. Unreadable lines are logged and
     * skipped: losing a remembered key only means trusting it on first use again.
     *
     * @param file the known-peers file
     * @param listed tells whether a name is a friend's (listed in the directory)
     * @return the store
     */
    public static KnownPeers load(Path file, Predicate<String> listed) {
        return load(file, listed, MAX_STRANGERS);
    }

    static KnownPeers load(Path file, Predicate<String> listed, int maxStrangers) {
        KnownPeers store = new KnownPeers(listed, maxStrangers, file);
        if (Files.exists(file)) {
            try {
                int n = 0;
                int skipped = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    n++;
                    String s = line.strip();
                    if (s.isEmpty() || s.startsWith("#")) {
                        continue;
                    }
                    store.fileLines++;
                    if (!store.loadLine(s)) {
                        skipped++;
                        LOG.debug("{}:{}: skipping unreadable known-peers line", file, n);
                    }
                }
                if (skipped > 0) {
                    LOG.warn("{}: skipped {} unreadable line(s)", file, skipped);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read known-peers file " + file, e);
            }
        }
        return store;
    }

    private boolean loadLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length < 2 || f.length > 3 || f.length == 3 && !f[2].equals(STRANGER_MARK)) {
            return false;
        }
        PeerKey key;
        try {
            key = PeerKey.parse(f[1]);
        } catch (RuntimeException e) {
            return false;
        }
        boolean learntAsStranger = f.length == 3;
        if (listed.test(f[0])) {
            if (!learntAsStranger) {
                friends.put(f[0], key);
            }
        } else {
            // Re-inserted, so that the latest line for a name counts as the newest.
            strangers.remove(f[0]);
            strangers.put(f[0], key);
            evictOldStrangers();
        }
        return true;
    }

    /**
     * Returns the key remembered for a name.
     *
     * @param name the peer's name
     * @return the key, if any
     */
    public synchronized Optional<PeerKey> get(String name) {
        return Optional.ofNullable(listed.test(name) ? friends.get(name) : strangers.get(name));
    }

    /**
     * Remembers a key for a name unless one is already remembered.
     *
     * @param name the peer's name
     * @param key its key
     * @return the key remembered for the name after the call (the given one, or an earlier one)
     */
    public synchronized PeerKey remember(String name, PeerKey key) {
        boolean friend = listed.test(name);
        Map<String, PeerKey> store = friend ? friends : strangers;
        PeerKey earlier = store.get(name);
        if (earlier != null) {
            return earlier;
        }
        store.put(name, key);
        if (!friend) {
            evictOldStrangers();
        }
        persist(name, key, friend);
        return key;
    }

    /** The number of strangers' keys held; for tests and diagnostics. */
    synchronized int strangers() {
        return strangers.size();
    }

    private void evictOldStrangers() {
        Iterator<String> oldest = strangers.keySet().iterator();
        while (strangers.size() > maxStrangers) {
            oldest.next();
            oldest.remove();
        }
    }

    private void persist(String name, PeerKey key, boolean friend) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (fileLines >= 2 * (friends.size() + strangers.size()) + 64) {
                rewrite();
            } else {
                Files.writeString(file, line(name, key, friend), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                fileLines++;
            }
        } catch (IOException e) {
            LOG.warn("cannot write known-peers file {}: {}; {} is trusted until restart", file,
                    e.getMessage(), name);
        }
    }

    /** Writes every key held, friends first, strangers oldest first, and swaps the file in. */
    private void rewrite() throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        try (Writer w = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, PeerKey> e : friends.entrySet()) {
                w.write(line(e.getKey(), e.getValue(), true));
            }
            for (Map.Entry<String, PeerKey> e : strangers.entrySet()) {
                w.write(line(e.getKey(), e.getValue(), false));
            }
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fileLines = friends.size() + strangers.size();
    }

    private static String line(String name, PeerKey key, boolean friend) {
        return name + " " + key + (friend ? "" : " " + STRANGER_MARK) + "\n";
    }
}
