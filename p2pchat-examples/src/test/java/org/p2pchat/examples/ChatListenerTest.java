package org.p2pchat.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;

/** How a message is shown: a sender outside the table never looks like a friend in it. */
class ChatListenerTest {

    private static String line(String from, boolean listed) {
        return ChatListener.incomingLine(new ChatMessage(from, "hi", Instant.EPOCH), listed);
    }

    @Test
    void aFriendInTheTableIsShownByName() {
        assertEquals("[alice] hi", line("alice", true));
    }

    @Test
    void aSenderOutsideTheTableIsMarked() {
        assertEquals("[zed (not in table)] hi", line("zed", false));
    }

    @Test
    void aLookAlikeWrittenWhollyInAnotherScriptIsShownApartFromTheFriendItImitates() {
        // Cyrillic а, о, е: a valid name of one script, which prints much like "aoe".
        String lookAlike = "\u0430\u043e\u0435";
        assertEquals("[\u0430\u043e\u0435 (not in table)] hi", line(lookAlike, false));
        assertNotEquals(line("aoe", true), line(lookAlike, false));
    }
}
