package dev.camelollama.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The reply of {@code POST /api/show}: everything about one model.
 *
 * @param license       the license text
 * @param modelfile     a Modelfile that recreates the model
 * @param parameters    the model's default parameters, one {@code name value} per line
 * @param template      the prompt template
 * @param system        the default system message
 * @param renderer      the built-in renderer, when it has one
 * @param parser        the built-in output parser, when it has one
 * @param details       format, family, parameter size, quantization
 * @param messages      messages the model was created with
 * @param remoteModel   for cloud models: the model on the remote host
 * @param remoteHost    for cloud models: the remote host
 * @param modelInfo     the GGUF metadata ({@code general.architecture}, {@code llama.context_length}, ...); large
 *                      arrays are empty unless {@code verbose} was asked for
 * @param projectorInfo the vision projector's metadata, when it has one
 * @param tensors       the tensors, with {@code verbose}
 * @param capabilities  e.g. {@code completion}, {@code vision}, {@code tools}, {@code thinking}, {@code embedding}
 * @param modifiedAt    when it was last changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShowModelResponse(
        String license,
        String modelfile,
        String parameters,
        String template,
        String system,
        String renderer,
        String parser,
        ModelDetails details,
        List<ChatMessage> messages,
        @JsonProperty("remote_model") String remoteModel,
        @JsonProperty("remote_host") String remoteHost,
        @JsonProperty("model_info") Map<String, Object> modelInfo,
        @JsonProperty("projector_info") Map<String, Object> projectorInfo,
        List<Tensor> tensors,
        List<String> capabilities,
        @JsonProperty("modified_at") String modifiedAt) {

    /** One tensor of the model file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tensor(String name, String type, List<Long> shape) {
    }
}
