package dev.camelollama;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.camelollama.api.ChatMessage;

/**
 * Conversations in memory, bounded twice: at most {@code maxConversations} (the least recently used one is
 * forgotten) and at most {@code maxMessages} per conversation (the oldest messages go first, but a leading system
 * message is kept).
 */
public class InMemoryConversationStore implements ConversationStore {

    private final int maxConversations;
    private final int maxMessages;
    private final Map<String, List<ChatMessage>> conversations;

    public InMemoryConversationStore() {
        this(1000, 200);
    }

    public InMemoryConversationStore(int maxConversations, int maxMessages) {
        if (maxConversations < 1 || maxMessages < 2) {
            throw new IllegalArgumentException("maxConversations must be 1 or more and maxMessages 2 or more");
        }
        this.maxConversations = maxConversations;
        this.maxMessages = maxMessages;
        this.conversations = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<ChatMessage>> eldest) {
                return size() > InMemoryConversationStore.this.maxConversations;
            }
        };
    }

    @Override
    public synchronized List<ChatMessage> history(String conversationId) {
        List<ChatMessage> messages = conversations.get(conversationId);
        return messages == null ? List.of() : List.copyOf(messages);
    }

    @Override
    public synchronized void append(String conversationId, List<ChatMessage> newMessages) {
        List<ChatMessage> messages = conversations.computeIfAbsent(conversationId, id -> new ArrayList<>());
        messages.addAll(newMessages);
        while (messages.size() > maxMessages) {
            int oldest = !messages.isEmpty() && "system".equals(messages.get(0).role()) ? 1 : 0;
            messages.remove(oldest);
        }
    }

    @Override
    public synchronized void clear(String conversationId) {
        conversations.remove(conversationId);
    }

    /** How many conversations are kept now. */
    public synchronized int size() {
        return conversations.size();
    }
}
