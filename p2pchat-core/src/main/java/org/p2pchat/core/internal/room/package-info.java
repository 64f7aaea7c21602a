/**
 * Rooms: membership, signed messages flooded through the mesh of members, delivered once each in
 * their origin's order. Uses delivery (each member's link carries room frames as DATA messages of
 * their own kinds), session (signing keys) and runtime; used by the node, which gives it the links
 * through {@link org.p2pchat.core.internal.room.RoomNet}. Everything here that comes from the
 * network is checked and bounded before it is kept: signatures, sizes, and the number of members,
 * origins and messages held. Each room also keeps its latest messages, as signed, to catch up
 * members that missed them (a rejoiner after a restart, a member behind after a partition);
 * where each origin's numbering stands is kept in the store for that.
 */
package org.p2pchat.core.internal.room;
