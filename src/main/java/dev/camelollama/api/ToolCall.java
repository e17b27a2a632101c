package dev.camelollama.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A tool call the model asked for. Ollama sends {@code arguments} as a JSON object (never a string, unlike
 * OpenAI); {@code id} and {@code function.index} are sent by current servers but absent from older ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ToolCall(String id, Function function) {

    /** The function the model wants called, with its arguments as parsed JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(Integer index, String name, Map<String, Object> arguments) {
    }
}
