/**
 * The chat engine's implementation: the running peer ({@link
 * org.p2pchat.core.internal.ChatNode}), its links to friends, the wire codec, settings and
 * transport discovery. Not exported; may change in any release.
 */
package org.p2pchat.core.internal;
