package dev.camelollama;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Message;

import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;

/**
 * What the embed and model-management handlers share: the endpoint's model with the header's override, JSON
 * bodies, and requests with the endpoint's server, timeouts and redelivery.
 */
final class ManagementRequests {

    private final OllamaEndpoint endpoint;
    private final ObjectMapper mapper;

    ManagementRequests(OllamaEndpoint endpoint, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The model named by the header, else by the body's own request, else by the endpoint's option; or null. */
    String model(Message in, String fromBody) {
        return firstNonBlank(in.getHeader(OllamaConstants.MODEL, String.class), fromBody,
                endpoint.getConfiguration().getModel());
    }

    /** As {@link #model(Message, String)}, failing with the fix when there is none. */
    String requireModel(Message in, String fromBody) {
        String model = model(in, fromBody);
        if (model == null) {
            throw new IllegalArgumentException("No model given for ollama:" + endpoint.getOperation() + ": set the "
                                               + "model option (ollama:" + endpoint.getOperation()
                                               + "?model=llama3.2) or the " + OllamaConstants.MODEL + " header.");
        }
        return model;
    }

    OllamaRequest request(String method, String path, Object body, ReplyFormat format, String model) {
        byte[] json = body == null ? null : json(body, path);
        return bytes(method, path, json, format, model);
    }

    OllamaRequest bytes(String method, String path, byte[] body, ReplyFormat format, String model) {
        return new OllamaRequest(endpoint.getBaseUri(), method, path, body, format, model, endpoint.requestHeaders(),
                endpoint.timeouts(), endpoint.retryPolicy())
                .withMaxReplySize(endpoint.getConfiguration().getMaxReplySize())
                .withHeadersOnRedelivery(endpoint.headersOnRedelivery());
    }

    private byte[] json(Object body, String path) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The request for " + path + " cannot be written as JSON: "
                                               + e.getOriginalMessage(), e);
        }
    }

    /** A small JSON object from name/value pairs; null values are left out. */
    static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                map.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return map;
    }

    static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
