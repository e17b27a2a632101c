package dev.camelollama;

import java.io.File;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.api.ChatRequest;
import dev.camelollama.api.GenerateRequest;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;

/**
 * Turns an exchange into the request to send, checking everything that can be checked before any HTTP call: a
 * missing model, an empty or unusable body. Headers override the endpoint's options of the same meaning.
 */
final class RequestFactory {

    private final OllamaEndpoint endpoint;
    private final ObjectMapper mapper;
    private final Map<String, Object> options;
    private final Object keepAlive;

    RequestFactory(OllamaEndpoint endpoint, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.options = typedOptions(endpoint.getConfiguration().getOptions());
        this.keepAlive = keepAliveValue(endpoint.getConfiguration().getKeepAlive());
    }

    OllamaRequest create(Exchange exchange) {
        Message in = exchange.getIn();
        OllamaConfiguration configuration = endpoint.getConfiguration();
        boolean stream = configuration.getStreaming() != StreamingMode.off;
        String headerModel = in.getHeader(OllamaConstants.MODEL, String.class);
        String system = firstNonBlank(in.getHeader(OllamaConstants.SYSTEM, String.class), configuration.getSystem());
        String prompt = in.getHeader(OllamaConstants.PROMPT, String.class);
        Object body = in.getBody();
        String path;
        String model;
        Object request;
        switch (endpoint.getOperation()) {
            case chat -> {
                ChatRequest chat = chatRequest(exchange, body, prompt, system);
                model = requireModel(firstNonBlank(headerModel, chat.model(), configuration.getModel()));
                request = chat.withModel(model).withStream(stream);
                path = "/api/chat";
            }
            case generate -> {
                GenerateRequest generate = generateRequest(exchange, body, prompt, system);
                model = requireModel(firstNonBlank(headerModel, generate.model(), configuration.getModel()));
                request = generate.withModel(model).withStream(stream);
                path = "/api/generate";
            }
            default -> throw new IllegalStateException("operation " + endpoint.getOperation());
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The request for " + path + " cannot be written as JSON: "
                                               + e.getOriginalMessage(), e);
        }
        return new OllamaRequest(endpoint.getBaseUri(), "POST", path, json, ReplyFormat.GENERATION, model, Map.of(),
                endpoint.timeouts(), endpoint.retryPolicy());
    }

    private ChatRequest chatRequest(Exchange exchange, Object body, String prompt, String system) {
        if (prompt != null) {
            return new ChatRequest(null, withSystem(system, List.of(ChatMessage.user(prompt))), null, null, options,
                    null, keepAlive, null);
        }
        if (body instanceof ChatRequest given) {
            return new ChatRequest(given.model(), given.messages(), given.tools(), given.format(),
                    given.options() != null ? given.options() : options, null,
                    given.keepAlive() != null ? given.keepAlive() : keepAlive, given.think());
        }
        if (body instanceof ChatMessage message) {
            return new ChatRequest(null, withSystem(system, List.of(message)), null, null, options, null, keepAlive,
                    null);
        }
        if (body instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(ChatMessage.class::isInstance)) {
            List<ChatMessage> messages = new ArrayList<>(list.size());
            for (Object item : list) {
                messages.add((ChatMessage) item);
            }
            return new ChatRequest(null, withSystem(system, messages), null, null, options, null, keepAlive, null);
        }
        String text = textOf(exchange, body, "chat",
                "a String (the user message), a List<ChatMessage>, a ChatMessage or a ChatRequest");
        return new ChatRequest(null, withSystem(system, List.of(ChatMessage.user(text))), null, null, options, null,
                keepAlive, null);
    }

    private GenerateRequest generateRequest(Exchange exchange, Object body, String prompt, String system) {
        if (prompt == null && body instanceof GenerateRequest given) {
            return new GenerateRequest(given.model(), given.prompt(), given.suffix(), given.images(), given.format(),
                    given.options() != null ? given.options() : options, given.system() != null ? given.system() : system,
                    given.template(), given.context(), null, given.raw(),
                    given.keepAlive() != null ? given.keepAlive() : keepAlive, given.think());
        }
        String text = prompt != null ? prompt
                : textOf(exchange, body, "generate", "a String (the prompt) or a GenerateRequest");
        return new GenerateRequest(null, text, null, null, null, options, system, null, null, null, null, keepAlive,
                null);
    }

    private static List<ChatMessage> withSystem(String system, List<ChatMessage> messages) {
        if (system == null || messages.stream().anyMatch(m -> "system".equals(m.role()))) {
            return messages;
        }
        List<ChatMessage> all = new ArrayList<>(messages.size() + 1);
        all.add(ChatMessage.system(system));
        all.addAll(messages);
        return all;
    }

    /** The body as text, for the body types that are text by nature; anything else is refused with the fix. */
    private static String textOf(Exchange exchange, Object body, String operation, String accepted) {
        if (body == null) {
            throw new IllegalArgumentException("The " + operation + " operation needs a message body: " + accepted
                                               + ". The body is empty; set it, or set the "
                                               + OllamaConstants.PROMPT + " header.");
        }
        String text;
        if (body instanceof String string) {
            text = string;
        } else if (body instanceof CharSequence || body instanceof byte[] || body instanceof InputStream
                   || body instanceof Reader || body instanceof File || body instanceof Path
                   || body instanceof WrappedFile<?>) {
            text = exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
            if (text == null) {
                throw new IllegalArgumentException("The " + operation + " operation could not read the "
                                                   + body.getClass().getName() + " body as text");
            }
        } else {
            throw new IllegalArgumentException("The " + operation + " operation cannot use a body of type "
                                               + body.getClass().getName() + "; give " + accepted
                                               + ", or set the " + OllamaConstants.PROMPT + " header.");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("The " + operation + " operation got a blank message body; give "
                                               + accepted + ", or set the " + OllamaConstants.PROMPT + " header.");
        }
        return text;
    }

    private static String requireModel(String model) {
        if (model == null) {
            throw new IllegalArgumentException("No model given: set the model option (ollama:chat?model=llama3.2) or "
                                               + "the " + OllamaConstants.MODEL + " header.");
        }
        return model;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /**
     * URI options arrive as strings; Ollama wants JSON numbers and booleans (it answers 500 to "num_ctx":"4096").
     */
    static Map<String, Object> typedOptions(Map<String, Object> raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            typed.put(entry.getKey(), typedValue(entry.getValue()));
        }
        return typed;
    }

    private static Object typedValue(Object value) {
        if (!(value instanceof String text)) {
            return value;
        }
        String trimmed = text.trim();
        if ("true".equalsIgnoreCase(trimmed) || "false".equalsIgnoreCase(trimmed)) {
            return Boolean.parseBoolean(trimmed);
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException notLong) {
            try {
                double number = Double.parseDouble(trimmed);
                if (!Double.isNaN(number) && !Double.isInfinite(number)) {
                    return number;
                }
            } catch (NumberFormatException notNumber) {
                // a plain string
            }
        }
        return text;
    }

    /** A number of seconds goes as a JSON number: Ollama takes "300" (no unit) as an invalid duration. */
    static Object keepAliveValue(String keepAlive) {
        if (keepAlive == null || keepAlive.isBlank()) {
            return null;
        }
        String trimmed = keepAlive.trim();
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException notWhole) {
            try {
                return Double.parseDouble(trimmed);
            } catch (NumberFormatException notNumber) {
                return trimmed;
            }
        }
    }
}
