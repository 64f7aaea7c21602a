/**
 * Rooms: membership, signed messages flooded through the mesh of members, delivered once each in
 * their origin's order. Uses delivery (each member's link carries room frames as DATA messages of
 * their own kinds), session (signing keys) and runtime; used by the node, which gives it the links
 * through {@link org.p2pchat.core.internal.room.RoomNet}. Everything here that comes from the
 * network is checked and bounded before it is kept: signatures, sizes, and the number of members,
 * origins and messages held.
 */
package org.p2pchat.core.internal.room;
