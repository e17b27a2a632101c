package dev.camelollama.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/embed}. Null fields are omitted, so Ollama applies its own defaults.
 *
 * @param model      the embedding model
 * @param input      one String, or a List of Strings
 * @param truncate   whether an input longer than the context is cut (Ollama's default) or refused (false: 400)
 * @param dimensions the vector size wanted, for models that support shortening
 * @param keepAlive  how long the model stays loaded
 * @param options    model options
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbedRequest(
        String model,
        Object input,
        Boolean truncate,
        Integer dimensions,
        @JsonProperty("keep_alive") Object keepAlive,
        Map<String, Object> options) {

    /** A copy with another model, for header and option overrides. */
    public EmbedRequest withModel(String newModel) {
        return new EmbedRequest(newModel, input, truncate, dimensions, keepAlive, options);
    }
}
