package dev.camelollama.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model loaded in memory, as {@code GET /api/ps} lists it.
 *
 * @param name          e.g. {@code llama3.2:latest}
 * @param model         the same name
 * @param size          bytes in memory
 * @param digest        the manifest's sha256, hex
 * @param details       format, family, parameter size, quantization
 * @param expiresAt     when it will be unloaded (RFC 3339, as sent)
 * @param sizeVram      bytes of it in GPU memory
 * @param contextLength the context length it was loaded with, when the server says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunningModel(
        String name,
        String model,
        Long size,
        String digest,
        ModelDetails details,
        @JsonProperty("expires_at") String expiresAt,
        @JsonProperty("size_vram") Long sizeVram,
        @JsonProperty("context_length") Long contextLength) {
}
