/**
 * The console chat app of the seed design: type {@code friend/message}, read {@code [friend] text}.
 *
 * <p>{@link org.p2pchat.examples.ConsoleChat} is the command line (and {@code main} of
 * {@code p2pchat-chat.jar}); {@link org.p2pchat.examples.CommandInterpreter} turns one input line
 * into a {@link org.p2pchat.examples.Command}; {@link org.p2pchat.examples.ChatSession} carries
 * commands out against a running {@link org.p2pchat.api.Peer}. Where the lines come from and go to
 * is the business of {@link org.p2pchat.examples.console}, so the same session runs on a terminal,
 * on piped streams, and inside tests.
 */
package org.p2pchat.examples;
