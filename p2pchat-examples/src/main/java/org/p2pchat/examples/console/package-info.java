/**
 * Where the chat's lines come from and go to: {@link org.p2pchat.examples.console.ChatConsole}, with
 * a JLine implementation for people at a terminal (Tab completion by
 * {@link org.p2pchat.examples.console.ChatCompleter}) and a plain-stream one for pipes and scripts;
 * {@link org.p2pchat.examples.console.TimestampedConsole} stamps either with the time.
 *
 * <p>The split matters because incoming messages arrive on another thread while the user may be
 * half-way through typing: on a terminal they must be printed above the line being edited, while
 * on a pipe they are just more output lines.
 */
package org.p2pchat.examples.console;
