package dev.camelollama;

import java.util.List;

import dev.camelollama.api.ChatMessage;

/**
 * Where chat conversations are kept between exchanges, keyed by the {@code CamelOllamaConversationId} header. The
 * default is {@link InMemoryConversationStore}; bind your own (a database, a cache) and set
 * {@code conversationStore=#myStore} to keep conversations across restarts or nodes.
 */
public interface ConversationStore {

    /** The messages so far, oldest first; empty for a new conversation. */
    List<ChatMessage> history(String conversationId);

    /** Adds the messages of one turn (the new user messages and the assistant's reply). */
    void append(String conversationId, List<ChatMessage> messages);

    /** Forgets a conversation. */
    void clear(String conversationId);
}
