/**
 * The in-JVM {@code local} transport: peers in one JVM exchange frames through memory, with the
 * same limits and the same contract as the network transports. For tests and for embedding
 * several peers in one process; selected only by name ({@code p2pchat.transport=local}).
 */
package org.p2pchat.core.internal.local;
