package org.p2pchat.core.internal.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.core.internal.room.RoomFixtures.ROOM;
import static org.p2pchat.core.internal.room.RoomFixtures.peerKey;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.api.PeerAddress;

class InviteTest {
    private static final PeerAddress AT = PeerAddress.parse("192.168.1.20:7001");

    private static byte[] secret() {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) 0xa5);
        s[0] = 1;
        return s;
    }

    @Test
    void anOpenRoomInviteRoundTripsWithoutASecret() {
        String text = new Invite(AT, "lobby", ROOM, peerKey(1), null).toString();
        assertTrue(text.startsWith("p2pchat://192.168.1.20:7001/lobby?id="), text);
        assertFalse(text.contains("&s="), text);
        Invite got = Invite.parse(text);
        assertEquals(AT, got.member());
        assertEquals("lobby", got.room());
        assertEquals(ROOM, got.id());
        assertEquals(peerKey(1), got.memberKey());
        assertNull(got.secret());
    }

    @Test
    void anInviteOnlyRoomInviteRoundTripsItsSecret() {
        String text = new Invite(AT, "team", ROOM, peerKey(2), secret()).toString();
        assertTrue(text.contains("&s="), text);
        Invite got = Invite.parse("  " + text + "\n");
        assertArrayEquals(secret(), got.secret());
        assertEquals(ROOM, got.id());
        assertEquals(peerKey(2), got.memberKey());
        assertEquals("team", got.room());
    }

    @Test
    void anIpv6MemberAddressRoundTrips() {
        PeerAddress v6 = PeerAddress.parse("[::1]:7002");
        assertEquals(v6, Invite.parse(new Invite(v6, "lobby", ROOM, peerKey(1), null).toString())
                .member());
    }

    @Test
    void looksLikeOneTellsInvitesFromAddresses() {
        assertTrue(Invite.looksLikeOne(" p2pchat://h:1/r?id=x&k=y"));
        assertFalse(Invite.looksLikeOne("10.0.0.1:7001"));
    }

    private static String valid() {
        return new Invite(AT, "team", ROOM, peerKey(2), secret()).toString();
    }

    @Test
    void aTextThatIsNotAnInviteSaysWhatAnInviteLooksLike() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Invite.parse("10.0.0.1:7001"));
        assertTrue(e.getMessage().contains("p2pchat://"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Invite.parse("p2pchat://h:1/lobby"));
        assertTrue(e.getMessage().contains("HOST:PORT/ROOM?id="), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Invite.parse("p2pchat://h:1?id=a/b"));
        assertTrue(e.getMessage().contains("HOST:PORT/ROOM?id="), e.getMessage());
    }

    private static final String ID = "id=" + ROOM;
    private static final String KEY = "k=" + peerKey(2);
    private static final String BASE = "p2pchat://192.168.1.20:7001/team?";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ID            | lacks its k=",
        "KEY           | lacks its id=",
        "ID&k=         | lacks its k=",
        "ID&k=@@@      | public key",
        "id=AAAA&KEY   | room id of 16 bytes",
        "ID&KEY&s=AAAA | secret of 32 bytes",
        "ID&KEY&s=     | secret of 32 bytes",
        "ID&KEY&s=*!*  | not a valid invite",
    })
    void aBrokenParameterSaysWhichOne(String query, String expected) {
        String broken = BASE + query.replace("ID", ID).replace("KEY", KEY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Invite.parse(broken), broken);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(broken), "quotes the invite: " + e.getMessage());
    }

    @Test
    void theParametersMayComeInAnyOrder() {
        Invite got = Invite.parse(BASE + KEY + "&" + ID);
        assertEquals(ROOM, got.id());
        assertEquals(peerKey(2), got.memberKey());
    }

    @Test
    void aBadAddressOrRoomNameIsRefusedWithTheInviteQuoted() {
        String text = valid();
        String badPort = text.replace(":7001/", ":99999/");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Invite.parse(badPort));
        assertTrue(e.getMessage().contains("not a valid invite"), e.getMessage());
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        String badName = text.replace("/team?", "/te#am?");
        e = assertThrows(IllegalArgumentException.class, () -> Invite.parse(badName));
        assertTrue(e.getMessage().contains("not a valid invite"), e.getMessage());
        assertTrue(e.getMessage().contains(badName), e.getMessage());
    }
}
