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
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.api.ChatRequest;
import dev.camelollama.api.GenerateRequest;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;

/**
 * Turns an exchange into the chat or generate request to send, checking everything that can be checked before any
 * HTTP call: a missing model, an unusable body, wrongly typed options, a bad keep-alive, think value, format, tool
 * list, image or top_logprobs. Endpoint options are read (and {@code resource:} values loaded) once, at start;
 * headers override them per exchange.
 */
final class RequestFactory {

    private static final TypeReference<List<Object>> JSON_ARRAY = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final OllamaEndpoint endpoint;
    private final ObjectMapper mapper;
    private final Map<String, Object> options;
    private final Object keepAlive;
    private final Object format;
    private final List<Object> tools;
    private final Object think;
    private final Boolean logprobs;
    private final Integer topLogprobs;
    private final String system;
    private final String template;
    private final Expression promptTemplate;

    RequestFactory(OllamaEndpoint endpoint, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
        OllamaConfiguration conf = endpoint.getConfiguration();
        CamelContext context = endpoint.getCamelContext();
        this.options = endpointOptions(conf);
        this.keepAlive = KeepAlive.parse(conf.getKeepAlive(), "keepAlive");
        this.format = formatValue(TextResource.load(context, conf.getFormat(), "format"), conf.getOutputClass(),
                "format");
        this.tools = toolsValue(TextResource.load(context, conf.getTools(), "tools"), "tools");
        this.think = ThinkSetting.parse(conf.getThink(), "think");
        this.logprobs = conf.getLogprobs();
        this.topLogprobs = LogprobsSetting.top(conf.getTopLogprobs(), "topLogprobs");
        LogprobsSetting.effective(logprobs, topLogprobs);
        this.system = TextResource.load(context, conf.getSystem(), "system");
        this.template = TextResource.load(context, conf.getTemplate(), "template");
        String prompt = TextResource.load(context, conf.getPromptTemplate(), "promptTemplate");
        this.promptTemplate = prompt == null ? null : context.resolveLanguage("simple").createExpression(prompt);
        if (Boolean.TRUE.equals(conf.getRaw()) && (system != null || template != null)) {
            throw new IllegalArgumentException("raw=true cannot be combined with system or template (Ollama answers "
                                               + "400); remove one of them");
        }
    }

    private static Map<String, Object> endpointOptions(OllamaConfiguration conf) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Object> prefixed = ModelOptions.typed(conf.getOptions(), "options.");
        if (prefixed != null) {
            merged.putAll(prefixed);
        }
        putOption(merged, "temperature", conf.getTemperature());
        putOption(merged, "num_ctx", conf.getNumCtx());
        putOption(merged, "num_predict", conf.getNumPredict());
        putOption(merged, "seed", conf.getSeed());
        putOption(merged, "top_k", conf.getTopK());
        putOption(merged, "top_p", conf.getTopP());
        putOption(merged, "min_p", conf.getMinP());
        putOption(merged, "repeat_penalty", conf.getRepeatPenalty());
        putOption(merged, "stop", conf.getStop());
        return merged.isEmpty() ? null : Map.copyOf(merged);
    }

    private static void putOption(Map<String, Object> options, String key, Object value) {
        if (value != null) {
            options.put(key, ModelOptions.typedValue(key, value, ""));
        }
    }

    PreparedRequest create(Exchange exchange) {
        Message in = exchange.getIn();
        OllamaConfiguration conf = endpoint.getConfiguration();
        boolean stream = conf.getStreaming() != StreamingMode.off;
        String headerModel = in.getHeader(OllamaConstants.MODEL, String.class);
        String systemText = ManagementRequests.firstNonBlank(in.getHeader(OllamaConstants.SYSTEM, String.class), system);
        Map<String, Object> requestOptions = options(in);
        Object requestKeepAlive = in.getHeader(OllamaConstants.KEEP_ALIVE) != null
                ? KeepAlive.parse(in.getHeader(OllamaConstants.KEEP_ALIVE), OllamaConstants.KEEP_ALIVE) : keepAlive;
        Object requestFormat = in.getHeader(OllamaConstants.FORMAT) != null
                ? formatValue(in.getHeader(OllamaConstants.FORMAT), null, OllamaConstants.FORMAT) : format;
        Object requestThink = in.getHeader(OllamaConstants.THINK) != null
                ? ThinkSetting.parse(in.getHeader(OllamaConstants.THINK), OllamaConstants.THINK) : think;
        Boolean requestLogprobs = in.getHeader(OllamaConstants.LOGPROBS) != null
                ? LogprobsSetting.flag(in.getHeader(OllamaConstants.LOGPROBS), OllamaConstants.LOGPROBS) : logprobs;
        Integer requestTopLogprobs = in.getHeader(OllamaConstants.TOP_LOGPROBS) != null
                ? LogprobsSetting.top(in.getHeader(OllamaConstants.TOP_LOGPROBS), OllamaConstants.TOP_LOGPROBS)
                : topLogprobs;
        List<String> images = Images.toBase64(in.getHeader(OllamaConstants.IMAGES));
        String prompt = prompt(exchange);
        Object request;
        String model;
        String path;
        String conversationId = null;
        List<ChatMessage> turn = null;
        Boolean shift;
        switch (endpoint.getOperation()) {
            case chat -> {
                List<Object> requestTools = in.getHeader(OllamaConstants.TOOLS) != null
                        ? toolsValue(in.getHeader(OllamaConstants.TOOLS), OllamaConstants.TOOLS) : tools;
                ChatRequest given = in.getBody() instanceof ChatRequest chatRequest && prompt == null
                        ? chatRequest : null;
                List<ChatMessage> newMessages = given != null ? given.messages() : newMessages(exchange, prompt);
                newMessages = withImages(newMessages, images);
                conversationId = in.getHeader(OllamaConstants.CONVERSATION_ID, String.class);
                List<ChatMessage> messages;
                if (conversationId != null) {
                    List<ChatMessage> history = conversationStore().history(conversationId);
                    turn = history.isEmpty() ? withSystem(systemText, newMessages) : newMessages;
                    messages = new ArrayList<>(history.size() + turn.size());
                    messages.addAll(history);
                    messages.addAll(turn);
                } else {
                    messages = withSystem(systemText, newMessages);
                }
                model = requireModel(ManagementRequests.firstNonBlank(headerModel, given != null ? given.model() : null,
                        conf.getModel()));
                Integer top = given != null && given.topLogprobs() != null
                        ? LogprobsSetting.top(given.topLogprobs(), "The ChatRequest body's top_logprobs")
                        : requestTopLogprobs;
                request = new ChatRequest(model, messages,
                        given != null && given.tools() != null ? given.tools() : requestTools,
                        given != null && given.format() != null ? given.format() : requestFormat,
                        given != null && given.options() != null ? given.options() : requestOptions, stream,
                        given != null && given.keepAlive() != null ? given.keepAlive() : requestKeepAlive,
                        given != null && given.think() != null ? given.think() : requestThink,
                        given != null && given.truncate() != null ? given.truncate() : conf.getTruncate(),
                        given != null && given.shift() != null ? given.shift() : conf.getShift(),
                        LogprobsSetting.effective(given != null && given.logprobs() != null ? given.logprobs()
                                : requestLogprobs, top), top);
                requestOptions = ((ChatRequest) request).options();
                shift = ((ChatRequest) request).shift();
                path = "/api/chat";
            }
            case generate -> {
                GenerateRequest given = in.getBody() instanceof GenerateRequest generateRequest && prompt == null
                        ? generateRequest : null;
                String text = given != null ? given.prompt()
                        : prompt != null ? prompt
                        : textOf(exchange, in.getBody(), "generate", "a String (the prompt) or a GenerateRequest");
                List<Long> context = contextHeader(in);
                model = requireModel(ManagementRequests.firstNonBlank(headerModel, given != null ? given.model() : null,
                        conf.getModel()));
                Integer top = given != null && given.topLogprobs() != null
                        ? LogprobsSetting.top(given.topLogprobs(), "The GenerateRequest body's top_logprobs")
                        : requestTopLogprobs;
                request = new GenerateRequest(model, text,
                        given != null && given.suffix() != null ? given.suffix() : conf.getSuffix(),
                        given != null && given.images() != null ? given.images() : images,
                        given != null && given.format() != null ? given.format() : requestFormat,
                        given != null && given.options() != null ? given.options() : requestOptions,
                        given != null && given.system() != null ? given.system() : systemText,
                        given != null && given.template() != null ? given.template() : template,
                        given != null && given.context() != null ? given.context() : context, stream,
                        given != null && given.raw() != null ? given.raw() : conf.getRaw(),
                        given != null && given.keepAlive() != null ? given.keepAlive() : requestKeepAlive,
                        given != null && given.think() != null ? given.think() : requestThink,
                        given != null && given.truncate() != null ? given.truncate() : conf.getTruncate(),
                        given != null && given.shift() != null ? given.shift() : conf.getShift(),
                        LogprobsSetting.effective(given != null && given.logprobs() != null ? given.logprobs()
                                : requestLogprobs, top), top);
                requestOptions = ((GenerateRequest) request).options();
                shift = ((GenerateRequest) request).shift();
                path = "/api/generate";
            }
            default -> throw new IllegalStateException("not a generation operation: " + endpoint.getOperation());
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The request for " + path + " cannot be written as JSON: "
                                               + e.getOriginalMessage(), e);
        }
        OllamaRequest ollamaRequest = new OllamaRequest(endpoint.getBaseUri(), "POST", path, json,
                ReplyFormat.GENERATION, model, endpoint.requestHeaders(), endpoint.timeouts(), endpoint.retryPolicy())
                .withMaxReplySize(endpoint.getConfiguration().getMaxReplySize())
                .withHeadersOnRedelivery(endpoint.headersOnRedelivery());
        return new PreparedRequest(ollamaRequest, model, requestOptions, shift, conversationId, turn);
    }

    ConversationStore conversationStore() {
        ConversationStore store = endpoint.getConfiguration().getConversationStore();
        return store != null ? store : endpoint.getComponent().defaultConversationStore();
    }

    private String prompt(Exchange exchange) {
        String header = exchange.getIn().getHeader(OllamaConstants.PROMPT, String.class);
        if (header != null) {
            if (header.isBlank()) {
                throw new IllegalArgumentException(OllamaConstants.PROMPT + " is blank; give the prompt, or remove "
                                                   + "the header (to only load a model, send a GenerateRequest or "
                                                   + "ChatRequest body with an empty prompt or no messages)");
            }
            return header;
        }
        if (promptTemplate != null) {
            return promptTemplate.evaluate(exchange, String.class);
        }
        return null;
    }

    private Map<String, Object> options(Message in) {
        Object header = in.getHeader(OllamaConstants.OPTIONS);
        if (header == null) {
            return options;
        }
        if (!(header instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(OllamaConstants.OPTIONS + " must be a Map of Ollama option names to "
                                               + "values, e.g. {num_ctx=8192}; got " + header.getClass().getName());
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        if (options != null) {
            merged.putAll(options);
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            merged.put(key, ModelOptions.typedValue(key, entry.getValue(), OllamaConstants.OPTIONS + " "));
        }
        return merged;
    }

    private List<ChatMessage> newMessages(Exchange exchange, String prompt) {
        if (prompt != null) {
            return List.of(ChatMessage.user(prompt));
        }
        Object body = exchange.getIn().getBody();
        if (body instanceof ChatMessage message) {
            return List.of(message);
        }
        if (body instanceof List<?> list && list.isEmpty()) {
            throw new IllegalArgumentException("The chat operation got an empty List of messages; give at least one "
                                               + "ChatMessage (to only load a model, send a ChatRequest with no "
                                               + "messages)");
        }
        if (body instanceof List<?> list && list.stream().allMatch(ChatMessage.class::isInstance)) {
            List<ChatMessage> messages = new ArrayList<>(list.size());
            for (Object item : list) {
                messages.add((ChatMessage) item);
            }
            return messages;
        }
        return List.of(ChatMessage.user(textOf(exchange, body, "chat",
                "a String (the user message), a List<ChatMessage>, a ChatMessage or a ChatRequest")));
    }

    /** Images go with the last user message of the turn. */
    private static List<ChatMessage> withImages(List<ChatMessage> messages, List<String> images) {
        if (images == null || images.isEmpty() || messages == null) {
            return messages;
        }
        List<ChatMessage> copy = new ArrayList<>(messages);
        for (int i = copy.size() - 1; i >= 0; i--) {
            ChatMessage message = copy.get(i);
            if ("user".equals(message.role())) {
                List<String> all = new ArrayList<>();
                if (message.images() != null) {
                    all.addAll(message.images());
                }
                all.addAll(images);
                copy.set(i, new ChatMessage(message.role(), message.content(), message.thinking(), all,
                        message.toolCalls(), message.toolName()));
                return copy;
            }
        }
        throw new IllegalArgumentException(OllamaConstants.IMAGES + " is set but the chat has no user message to "
                                           + "attach the images to");
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

    private Object formatValue(Object value, Class<?> outputClass, String source) {
        if (value == null) {
            return outputClass == null ? null : JsonSchemas.forClass(outputClass);
        }
        if (value instanceof Map<?, ?>) {
            return value;
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return outputClass == null ? null : JsonSchemas.forClass(outputClass);
        }
        if ("json".equals(text)) {
            return text;
        }
        if (text.startsWith("{")) {
            try {
                return mapper.readValue(text, JSON_OBJECT);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(source + " is not a valid JSON schema (" + e.getOriginalMessage()
                                                   + "); give json, a JSON object, or resource:classpath:schema.json",
                        e);
            }
        }
        throw new IllegalArgumentException(source + " is '" + shorten(text) + "'; give json, a JSON schema object "
                                           + "({\"type\":\"object\",...}), or resource:classpath:schema.json");
    }

    private List<Object> toolsValue(Object value, String source) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return mapper.readValue(text, JSON_ARRAY);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not a JSON array of tools (" + e.getOriginalMessage()
                                               + "); give [{\"type\":\"function\",\"function\":{...}}] or "
                                               + "resource:classpath:tools.json", e);
        }
    }

    private static List<Long> contextHeader(Message in) {
        Object context = in.getHeader(OllamaConstants.CONTEXT);
        if (context == null) {
            return null;
        }
        if (context instanceof List<?> list) {
            List<Long> tokens = new ArrayList<>(list.size());
            for (Object token : list) {
                if (!(token instanceof Number number)) {
                    throw new IllegalArgumentException(OllamaConstants.CONTEXT + " must be a list of numbers (the "
                                                       + "context an earlier generate returned)");
                }
                tokens.add(number.longValue());
            }
            return tokens;
        }
        throw new IllegalArgumentException(OllamaConstants.CONTEXT + " must be a List<Long> (the context an earlier "
                                           + "generate returned); got " + context.getClass().getName());
    }

    /** The body as text, for the body types that are text by nature; anything else is refused with the fix. */
    static String textOf(Exchange exchange, Object body, String operation, String accepted) {
        if (body == null) {
            throw new IllegalArgumentException("The " + operation + " operation needs a message body: " + accepted
                                               + ". The body is empty; set it, or set the "
                                               + OllamaConstants.PROMPT + " header.");
        }
        String text;
        if (body instanceof String string) {
            text = string;
        } else if (body instanceof byte[] bytes) {
            text = TextBodies.decode(exchange, bytes, operation);
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


    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
