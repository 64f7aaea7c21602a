package org.p2pchat.core;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.MessageListener;
import org.p2pchat.testkit.Await;

/** A listener that keeps what it receives, for tests to take with a deadline. */
final class Inbox implements MessageListener {
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage message) {
        messages.add(message);
    }

    ChatMessage next() {
        return Await.next(messages);
    }
}
