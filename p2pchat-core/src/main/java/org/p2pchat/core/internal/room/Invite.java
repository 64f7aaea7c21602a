package org.p2pchat.core.internal.room;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.PeerEntry;
import org.p2pchat.api.PeerKey;

/**
 * An invite to a room, as one person copies it to another (PROTOCOL.md, "Invites"):
 *
 * <pre>
 * p2pchat://HOST:PORT/ROOM?id=ROOM_ID&amp;k=MEMBER_KEY[&amp;s=SECRET]
 * </pre>
 *
 * <p>HOST:PORT is where a member listens, MEMBER_KEY that member's key (the joiner refuses to
 * join through anyone who cannot prove it), ROOM_ID the room's id, and SECRET, in an invite-only
 * room, the room's secret; all base64url without padding. Immutable.
 *
 * @param member where a member listens
 * @param room the room's name
 * @param id the room's id
 * @param memberKey the member's key
 * @param secret the room's secret, or null for an open room
 */
record Invite(PeerAddress member, String room, RoomId id, PeerKey memberKey, byte[] secret) {
    private static final String SCHEME = "p2pchat://";

    static Invite parse(String text) {
        String s = text.strip();
        if (!s.startsWith(SCHEME)) {
            throw new IllegalArgumentException("expected an invite starting with " + SCHEME
                    + ", got '" + text + "'");
        }
        String rest = s.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        int question = rest.indexOf('?');
        if (slash < 0 || question < slash) {
            throw new IllegalArgumentException("expected an invite of the form " + SCHEME
                    + "HOST:PORT/ROOM?id=...&k=..., got '" + text + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rest.substring(question + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        try {
            PeerAddress member = PeerAddress.parse(rest.substring(0, slash));
            String room = PeerEntry.validateName(rest.substring(slash + 1, question));
            RoomId id = RoomId.parse(require(params, "id", text));
            PeerKey key = PeerKey.parse(require(params, "k", text));
            byte[] secret = null;
            if (params.containsKey("s")) {
                secret = Base64.getUrlDecoder().decode(params.get("s"));
                if (secret.length != Admission.SECRET_BYTES) {
                    throw new IllegalArgumentException("a room secret of 32 bytes, got "
                            + secret.length);
                }
            }
            return new Invite(member, room, id, key, secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid invite ('" + text + "'): "
                    + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> params, String name, String text) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("the invite '" + text + "' lacks its " + name + "=");
        }
        return v;
    }

    /** Whether a text looks like an invite rather than an address. */
    static boolean looksLikeOne(String text) {
        return text.strip().startsWith(SCHEME);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(SCHEME).append(member).append('/').append(room)
                .append("?id=").append(id).append("&k=").append(memberKey);
        if (secret != null) {
            b.append("&s=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }
        return b.toString();
    }
}
