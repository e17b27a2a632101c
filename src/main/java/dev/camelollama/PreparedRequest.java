package dev.camelollama;

import java.util.List;
import java.util.Map;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.client.OllamaRequest;

/**
 * A request ready to send, with what the reply side needs to know about it.
 *
 * @param request        what goes to the client
 * @param model          the model asked for
 * @param options        the model options sent (for the context-window and reload checks), or null
 * @param shift          the shift flag sent (it also forces a reload when it changes), or null
 * @param conversationId the chat conversation, or null
 * @param turn           the messages this exchange adds to the conversation (before the reply), or null
 */
record PreparedRequest(OllamaRequest request, String model, Map<String, Object> options, Boolean shift,
                       String conversationId,
                       List<ChatMessage> turn) {
}
