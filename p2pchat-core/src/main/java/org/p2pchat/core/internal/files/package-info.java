/**
 * File transfer (PROTOCOL.md, "Files"): offers and their answers as numbered, acknowledged
 * messages of kind 4 on the links of {@code delivery}, and the file's bytes on a lane of their
 * own on the same sealed connection (CHUNK and CREDIT frames), flow-controlled by credit the
 * receiver grants, resumed from the receiver's confirmed offset after a lost connection or a
 * restart, and verified by SHA-256 before the file appears under its name.
 *
 * <p>Above {@code delivery}, {@code session} and {@code store}; the node wires it in
 * ({@code node} uses it, through {@link org.p2pchat.core.internal.files.FileNet}).
 */
package org.p2pchat.core.internal.files;
