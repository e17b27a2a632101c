package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The log probability of one generated token, as Ollama returns it when a request asks for {@code logprobs}. Every
 * field is optional (a field of an unexpected shape is read as null), so a reply never fails over it.
 *
 * @param token       the token's text
 * @param logprob     its natural-log probability (0 or less)
 * @param bytes       the token's raw bytes (UTF-8, possibly part of a character), when Ollama sends them
 * @param topLogprobs the most likely tokens at this position, when the request asked for {@code top_logprobs}; their
 *                    own {@code topLogprobs} is null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenLogprob(
        String token,
        Double logprob,
        List<Integer> bytes,
        @JsonProperty("top_logprobs") List<TokenLogprob> topLogprobs) {

    /** The probability itself, {@code exp(logprob)} between 0 and 1; null when Ollama sent no logprob. */
    public Double probability() {
        return logprob == null ? null : Math.exp(logprob);
    }
}
