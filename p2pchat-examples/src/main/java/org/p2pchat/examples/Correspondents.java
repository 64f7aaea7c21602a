package org.p2pchat.examples;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.p2pchat.api.PeerDirectory;
import org.p2pchat.api.PeerEntry;

/**
 * The peers who wrote to this chat during the session, so that the user can answer them, see them
 * in {@code /peers} and complete their names even when they are not in the user_info table.
 *
 * <p>Names come from the network, so only the {@link #LIMIT} who wrote most recently are kept: a
 * flood of strangers cannot fill memory. <b>Threading:</b> thread-safe; the listener records on
 * the callback thread while the input thread and the line editor read.
 */
public final class Correspondents {
    /** How many peers are remembered. */
    static final int LIMIT = 256;

    /** In the order of their latest message, oldest first. */
    private final Set<String> names = new LinkedHashSet<>();

    /**
     * Records that a peer wrote.
     *
     * @param name the name it introduced itself with
     */
    public void wrote(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (names) {
            names.remove(name);
            names.add(name);
            if (names.size() > LIMIT) {
                names.remove(names.iterator().next());
            }
        }
    }

    /**
     * Returns the peers who wrote and are not in a directory, in the order of their latest
     * message, oldest first.
     *
     * @param directory the user_info table
     * @return the names, a copy
     */
    public List<String> notIn(PeerDirectory directory) {
        List<String> all;
        synchronized (names) {
            all = new ArrayList<>(names);
        }
        all.removeIf(n -> directory.lookup(n).isPresent());
        return all;
    }

    /**
     * Returns everyone the user can write to: the table's friends (not the user) and then the
     * peers who wrote and are not in the table.
     *
     * @param directory the user_info table
     * @param self the user's own name
     * @return the names, a copy
     */
    public List<String> addressees(PeerDirectory directory, String self) {
        List<String> all = new ArrayList<>();
        for (PeerEntry e : directory.entries()) {
            if (!e.name().equals(self)) {
                all.add(e.name());
            }
        }
        for (String n : notIn(directory)) {
            if (!n.equals(self)) {
                all.add(n);
            }
        }
        return all;
    }
}
