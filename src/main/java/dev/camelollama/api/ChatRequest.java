package dev.camelollama.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/chat}. Null fields are omitted, so Ollama applies its own defaults. A body of this
 * type given to the {@code chat} operation is sent as it is, except that {@code stream} follows the endpoint's
 * streaming mode.
 * <p>
 * {@code truncate} (default true: a prompt longer than the context is cut) and {@code shift} (default true: the
 * context is shifted when generation reaches its end) are Ollama's; {@code logprobs} asks for each token's log
 * probability and {@code top_logprobs} (0 to 20) for the most likely alternatives at each position.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatRequest(
        String model,
        List<ChatMessage> messages,
        List<Object> tools,
        Object format,
        Map<String, Object> options,
        Boolean stream,
        @JsonProperty("keep_alive") Object keepAlive,
        Object think,
        Boolean truncate,
        Boolean shift,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs) {

    /** A copy with another model, for header and option overrides. */
    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, messages, tools, format, options, stream, keepAlive, think, truncate, shift,
                logprobs, topLogprobs);
    }

    /** A copy with {@code stream} set, because the reply mode decides it. */
    public ChatRequest withStream(boolean newStream) {
        return new ChatRequest(model, messages, tools, format, options, newStream, keepAlive, think, truncate, shift,
                logprobs, topLogprobs);
    }
}
