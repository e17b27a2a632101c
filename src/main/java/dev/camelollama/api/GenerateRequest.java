package dev.camelollama.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/generate}. Null fields are omitted, so Ollama applies its own defaults.
 * {@code truncate}, {@code shift}, {@code logprobs} and {@code top_logprobs} mean what they mean in
 * {@link ChatRequest}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerateRequest(
        String model,
        String prompt,
        String suffix,
        List<String> images,
        Object format,
        Map<String, Object> options,
        String system,
        String template,
        List<Long> context,
        Boolean stream,
        Boolean raw,
        @JsonProperty("keep_alive") Object keepAlive,
        Object think,
        Boolean truncate,
        Boolean shift,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs) {

    /** A copy with another model, for header and option overrides. */
    public GenerateRequest withModel(String newModel) {
        return new GenerateRequest(newModel, prompt, suffix, images, format, options, system, template, context, stream,
                raw, keepAlive, think, truncate, shift, logprobs, topLogprobs);
    }

    /** A copy with {@code stream} set, because the reply mode decides it. */
    public GenerateRequest withStream(boolean newStream) {
        return new GenerateRequest(model, prompt, suffix, images, format, options, system, template, context,
                newStream, raw, keepAlive, think, truncate, shift, logprobs, topLogprobs);
    }
}
