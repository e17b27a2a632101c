package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a model is made of, as {@code /api/tags}, {@code /api/ps} and {@code /api/show} describe it.
 *
 * @param parentModel       the model it was created from, often empty
 * @param format            e.g. {@code gguf}
 * @param family            e.g. {@code llama}
 * @param families          every family it belongs to
 * @param parameterSize     e.g. {@code 3.2B}
 * @param quantizationLevel e.g. {@code Q4_K_M}
 * @param contextLength     the trained context length, when the server says
 * @param embeddingLength   the embedding size, when the server says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDetails(
        @JsonProperty("parent_model") String parentModel,
        String format,
        String family,
        List<String> families,
        @JsonProperty("parameter_size") String parameterSize,
        @JsonProperty("quantization_level") String quantizationLevel,
        @JsonProperty("context_length") Long contextLength,
        @JsonProperty("embedding_length") Long embeddingLength) {
}
