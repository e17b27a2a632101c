package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The reply of {@code POST /api/embed}: one L2-normalised vector per input, in input order (always a list, even for
 * one input).
 *
 * @param model           the model that answered
 * @param embeddings      the vectors
 * @param totalDuration   nanoseconds the request took on the server
 * @param loadDuration    nanoseconds spent loading the model
 * @param promptEvalCount how many tokens the inputs had
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmbedResponse(
        String model,
        List<float[]> embeddings,
        @JsonProperty("total_duration") Long totalDuration,
        @JsonProperty("load_duration") Long loadDuration,
        @JsonProperty("prompt_eval_count") Long promptEvalCount) {

    public EmbedResponse {
        embeddings = embeddings == null ? List.of() : embeddings;
    }
}
