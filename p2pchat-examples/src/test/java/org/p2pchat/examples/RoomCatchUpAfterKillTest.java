package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.Conversation;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryRecord;
import org.p2pchat.api.Peer;
import org.p2pchat.api.PeerAddress;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomAccess;
import org.p2pchat.core.P2pChat;
import org.p2pchat.testkit.Await;

/**
 * Room catch-up across {@code kill -9}, over nio with the SQLite store: a member in a child JVM
 * killed while it receives a stream of room messages, and started again with the same state
 * directory, joins again and gets every message it had not recorded, once: its store holds each
 * message once, and its listener shows none twice, in order (it gets a message only once the
 * store has it with its position, so one recorded right before the kill is not shown again).
 */
class RoomCatchUpAfterKillTest {
    private static final int MESSAGES = 600;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aMemberKilledMidStreamShowsEveryMessageOnceAcrossItsRestart(@TempDir Path dir)
            throws Exception {
        try (Peer alice = P2pChat.builder("alice").transport("nio")
                .listenOn(PeerAddress.loopback(0)).roomDigestInterval(Duration.ofMillis(200))
                .listener(m -> { }).start()) {
            Room room = alice.createRoom("general", RoomAccess.OPEN);
            int port = alice.listenAddress().port();
            ChildPeer carol = carol(dir, port);
            List<String> shown = new ArrayList<>();
            try {
                carol.await("READY");
                Await.until("alice sees carol", PATIENCE, () -> room.members().size() == 2);
                for (int i = 0; i < MESSAGES; i++) {
                    room.publish("m-" + i);
                }
                carol.awaitGot(MESSAGES / 3);
            } finally {
                carol.kill();
            }
            shown.addAll(carol.got());
            ChildPeer again = carol(dir, port);
            try {
                again.await("READY");
                room.publish("end");
                Await.until("carol shows the marker", PATIENCE, () -> again.got().contains("end"));
                shown.addAll(again.got());
            } finally {
                again.command("quit");
                again.awaitExit();
            }
            String before = carol.got().size() + " shown before the kill, " + shown.size()
                    + " in all";
            assertEquals(new HashSet<>(shown).size(), shown.size(), "nothing shown twice: "
                    + before);
            List<String> sorted = new ArrayList<>(shown);
            sorted.sort(RoomCatchUpAfterKillTest::byNumber);
            assertEquals(sorted, shown, "shown in order: " + before);
            // A message recorded right before the kill, whose listener call the kill prevented,
            // is in the history and not shown again (as direct messages are): what counts is
            // that the store has each message once.
            List<String> want = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                want.add("m-" + i);
            }
            want.add("end");
            try (Peer carolAgain = P2pChat.builder("carol").transport("nio")
                    .listenOn(PeerAddress.loopback(0)).stateDirectory(dir.resolve("carol"))
                    .listener(m -> { }).start()) {
                List<String> stored = storedTexts(carolAgain, room.conversation());
                assertEquals(want.size(), stored.size(), "each message stored once: " + before);
                assertEquals(new HashSet<>(want), new HashSet<>(stored), before);
            }
            assertTrue(shown.size() >= MESSAGES / 3 + 1, before);
        }
    }

    private static int byNumber(String a, String b) {
        return Integer.compare(number(a), number(b));
    }

    private static int number(String text) {
        return text.equals("end") ? Integer.MAX_VALUE : Integer.parseInt(text.substring(2));
    }

    /** The texts of a room conversation's history, every page of it. */
    private static List<String> storedTexts(Peer peer, Conversation conversation) {
        List<String> texts = new ArrayList<>();
        List<HistoryRecord> page = peer.history(conversation, HistoryQuery.latest(500));
        while (!page.isEmpty()) {
            for (HistoryRecord r : page) {
                texts.add(r.text());
            }
            page = peer.history(conversation, HistoryQuery.before(page.get(page.size() - 1), 500));
        }
        return texts;
    }

    /** carol, a {@link RoomRestartPeer} in its own JVM, joining #general at the member's port. */
    private static ChildPeer carol(Path dir, int memberPort) throws IOException {
        return ChildPeer.start(RoomRestartPeer.class, List.of("-Dp2pchat.roomDigestInterval=200ms"),
                "carol", dir.resolve("carol").toString(), "general",
                Integer.toString(memberPort));
    }
}
