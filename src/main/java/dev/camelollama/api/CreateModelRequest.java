package dev.camelollama.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /api/create}: a new model from an existing one ({@code from}), from uploaded blobs
 * ({@code files}: file name to {@code sha256:...} digest, as {@code pushBlob} answers), or a quantized copy.
 * Null fields are omitted.
 *
 * @param model      the name of the new model
 * @param from       an existing model to start from
 * @param files      file name to blob digest (GGUF or safetensors files pushed with {@code pushBlob})
 * @param adapters   LoRA adapter file name to blob digest
 * @param template   the prompt template
 * @param license    the license: a String or a List of Strings
 * @param system     the system message
 * @param parameters model parameters, e.g. {@code temperature}, {@code num_ctx}, {@code stop}
 * @param messages   example conversation messages
 * @param quantize   quantize a non-quantized model: {@code q4_K_M}, {@code q4_K_S} or {@code q8_0}
 * @param stream     set by the component from the streaming option
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateModelRequest(
        String model,
        String from,
        Map<String, String> files,
        Map<String, String> adapters,
        String template,
        Object license,
        String system,
        Map<String, Object> parameters,
        List<ChatMessage> messages,
        String quantize,
        Boolean stream) {

    /** A request that starts from an existing model, for the common case; add fields with the canonical constructor. */
    public static CreateModelRequest from(String model, String from, String system) {
        return new CreateModelRequest(model, from, null, null, null, null, system, null, null, null, null);
    }

    /** A request that builds the model from blobs pushed before (file name to {@code sha256:...} digest). */
    public static CreateModelRequest fromFiles(String model, Map<String, String> files) {
        return new CreateModelRequest(model, null, files, null, null, null, null, null, null, null, null);
    }

    /** A copy with another model name, for header and option overrides. */
    public CreateModelRequest withModel(String newModel) {
        return new CreateModelRequest(newModel, from, files, adapters, template, license, system, parameters, messages,
                quantize, stream);
    }

    /** A copy with {@code stream} set, because the reply mode decides it. */
    public CreateModelRequest withStream(boolean newStream) {
        return new CreateModelRequest(model, from, files, adapters, template, license, system, parameters, messages,
                quantize, newStream);
    }
}
