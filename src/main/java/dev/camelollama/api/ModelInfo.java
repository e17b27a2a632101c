package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One local model, as {@code GET /api/tags} lists it. Timestamps are kept as Ollama sends them (RFC 3339 with a
 * varying number of fraction digits and either {@code Z} or an offset).
 *
 * @param name         e.g. {@code llama3.2:latest}
 * @param model        the same name
 * @param remoteModel  for cloud models: the model on the remote host
 * @param remoteHost   for cloud models: the remote host
 * @param modifiedAt   when it was last changed
 * @param size         its size on disk, in bytes
 * @param digest       the manifest's sha256, hex
 * @param details      format, family, parameter size, quantization
 * @param capabilities e.g. {@code completion}, {@code tools}, {@code embedding}, when the server says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(
        String name,
        String model,
        @JsonProperty("remote_model") String remoteModel,
        @JsonProperty("remote_host") String remoteHost,
        @JsonProperty("modified_at") String modifiedAt,
        Long size,
        String digest,
        ModelDetails details,
        List<String> capabilities) {
}
