package org.p2pchat.examples;

import java.util.Objects;

/**
 * What one input line asks for, as {@link CommandInterpreter} reads it. Immutable values; any
 * thread.
 */
public sealed interface Command {

    /**
     * {@code friend/message}: send a message.
     *
     * @param friend the friend's name, a syntactically valid peer name
     * @param text the message, not empty, without leading or trailing white space
     */
    record Send(String friend, String text) implements Command {
        /** Validates the components. */
        public Send {
            Objects.requireNonNull(friend, "friend");
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /peers}: list the user_info table with connection states and key fingerprints. */
    record ListPeers() implements Command {
    }

    /** {@code /key} or {@code /whoami}: show this peer's public key and fingerprint. */
    record ShowKey() implements Command {
    }

    /** {@code /help}: explain the input format. */
    record Help() implements Command {
    }

    /** {@code :q} or {@code /quit}: leave. */
    record Quit() implements Command {
    }

    /** An empty line: nothing to do. */
    record Nothing() implements Command {
    }

    /**
     * A line that cannot be carried out.
     *
     * @param problem what is wrong and what was expected, one line without the {@code !} marker
     */
    record Invalid(String problem) implements Command {
        /** Validates the component. */
        public Invalid {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
