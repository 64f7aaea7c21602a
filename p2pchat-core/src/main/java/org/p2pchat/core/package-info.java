/**
 * The entry points of the chat engine: {@link org.p2pchat.core.P2pChat#builder(String)} builds
 * and starts a {@link org.p2pchat.api.Peer}; {@link org.p2pchat.core.UserInfo} reads the
 * user_info table that tells a peer where its friends listen. Everything else in this module is
 * internal and may change.
 */
package org.p2pchat.core;
