/**
 * The console chat app of the seed design: type {@code friend/message}, read {@code [friend] text}.
 *
 * <p>{@link org.p2pchat.examples.ConsoleChat} is the command line (and {@code main} of
 * {@code p2pchat-chat.jar}), which as {@code main} also sends library log lines to
 * {@code chat.log} in the state directory ({@code ChatLog}); {@link org.p2pchat.examples.CommandInterpreter}
 * turns one input line into a {@link org.p2pchat.examples.Command};
 * {@link org.p2pchat.examples.ChatSession} carries commands out against a running
 * {@link org.p2pchat.api.Peer}, and {@code SendOutcomes} follows each message to its outcome
 * (wait notices, delivered notices, {@link org.p2pchat.examples.SendFailures} lines).
 * {@link org.p2pchat.examples.ChatListener} prints what the peer reports and records in
 * {@link org.p2pchat.examples.Correspondents} who wrote, so that they can be answered. Where the
 * lines come from and go to is the business of {@link org.p2pchat.examples.console}, so the same
 * session runs on a terminal, on piped streams, and inside tests.
 */
package org.p2pchat.examples;
