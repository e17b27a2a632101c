package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One message of a chat conversation, as Ollama's {@code /api/chat} takes and returns it.
 *
 * @param role      {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content   the text
 * @param thinking  reasoning of an earlier assistant turn (send it back in tool loops)
 * @param images    bare base64 images (no {@code data:} prefix: Ollama rejects it)
 * @param toolCalls the assistant's tool calls, echoed back in history
 * @param toolName  on {@code tool} messages: the tool that produced the content
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(
        String role,
        String content,
        String thinking,
        List<String> images,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("tool_name") String toolName) {

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null, null);
    }

    /** The result of a tool call, sent back to the model in the next chat turn. */
    public static ChatMessage tool(String toolName, String content) {
        return new ChatMessage("tool", content, null, null, null, toolName);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null, null, null);
    }
}
