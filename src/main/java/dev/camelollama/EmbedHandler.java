package dev.camelollama;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;

import dev.camelollama.api.EmbedRequest;
import dev.camelollama.api.EmbedResponse;
import dev.camelollama.client.DocumentReply;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaProtocolException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;

/**
 * embed: one String (or a file's text) gives a {@code float[]}, a list of Strings gives a {@code List<float[]>} in
 * the same order. With {@code autoPull} a missing model is pulled first.
 */
final class EmbedHandler implements OperationHandler {

    private static final String ACCEPTED = "a String, a List<String>, a file (File, Path, a file consumer's file), "
                                           + "byte[], an InputStream or an EmbedRequest";

    private final OllamaEndpoint endpoint;
    private final AutoPull client;
    private final InFlightCalls replyExecutor;
    private final ManagementRequests requests;
    /** The endpoint's keepAlive and options.*, converted once when the route starts so a bad value stops it. */
    private final Object keepAlive;
    private final java.util.Map<String, Object> options;

    EmbedHandler(OllamaEndpoint endpoint, OllamaClient client, InFlightCalls replyExecutor) {
        this.endpoint = endpoint;
        this.client = AutoPull.wrap(endpoint, client);
        this.replyExecutor = replyExecutor;
        this.requests = new ManagementRequests(endpoint, client.mapper());
        OllamaConfiguration configuration = endpoint.getConfiguration();
        this.keepAlive = KeepAlive.parse(configuration.getKeepAlive(), "keepAlive");
        this.options = ModelOptions.typed(configuration.getOptions(), "options.");
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        OllamaRequest request;
        boolean single;
        try {
            EmbedRequest embed = embedRequest(exchange);
            single = !(embed.input() instanceof List<?>);
            request = requests.request("POST", "/api/embed", embed, ReplyFormat.DOCUMENT, embed.model());
        } catch (RuntimeException badInput) {
            exchange.setException(badInput);
            callback.done(true);
            return true;
        }
        client.document(request, new ReplyContinuation<DocumentReply>(exchange, callback, replyExecutor) {
            @Override
            void apply(Exchange target, DocumentReply reply) throws IOException {
                applyReply(target.getMessage(), reply, single);
            }
        });
        return false;
    }

    private EmbedRequest embedRequest(Exchange exchange) {
        Message in = exchange.getIn();
        OllamaConfiguration configuration = endpoint.getConfiguration();
        Object body = in.getBody();
        EmbedRequest given = body instanceof EmbedRequest request ? request : null;
        Object input = given != null ? given.input() : input(exchange, body);
        String model = requests.requireModel(in, given == null ? null : given.model());
        if (given != null) {
            return new EmbedRequest(model, input,
                    given.truncate() != null ? given.truncate() : configuration.getTruncate(),
                    given.dimensions() != null ? given.dimensions() : configuration.getDimensions(),
                    given.keepAlive() != null ? given.keepAlive() : keepAlive,
                    given.options() != null ? given.options() : options);
        }
        return new EmbedRequest(model, input, configuration.getTruncate(), configuration.getDimensions(), keepAlive,
                options);
    }

    /** The JSON {@code input}: a String, or a list of Strings. */
    private static Object input(Exchange exchange, Object body) {
        if (body == null) {
            throw new IllegalArgumentException("The embed operation needs a message body: " + ACCEPTED
                                               + ". The body is empty.");
        }
        if (body instanceof String text) {
            return nonBlank(text);
        }
        if (body instanceof List<?> list) {
            return inputs(list);
        }
        if (body instanceof String[] array) {
            return inputs(java.util.Arrays.asList(array));
        }
        if (body instanceof byte[] bytes) {
            return nonBlank(TextBodies.decode(exchange, bytes, "embed"));
        }
        if (body instanceof CharSequence || body instanceof byte[] || body instanceof InputStream
            || body instanceof Reader || body instanceof File || body instanceof Path
            || body instanceof WrappedFile<?>) {
            String text = exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
            if (text == null) {
                throw new IllegalArgumentException("The embed operation could not read the "
                                                   + body.getClass().getName() + " body as text");
            }
            return nonBlank(text);
        }
        throw new IllegalArgumentException("The embed operation cannot use a body of type "
                                           + body.getClass().getName() + "; give " + ACCEPTED + ".");
    }

    private static List<String> inputs(List<?> list) {
        List<String> inputs = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof CharSequence text)) {
                throw new IllegalArgumentException("The embed operation takes a List of Strings; element "
                                                   + inputs.size() + " is "
                                                   + (item == null ? "null" : "a " + item.getClass().getName())
                                                   + ". Remove it or give its text.");
            }
            if (text.toString().isBlank()) {
                // Ollama would embed the empty text, a vector that matches nothing: almost always an upstream bug
                throw new IllegalArgumentException("The embed operation got a blank text as element " + inputs.size()
                                                   + " of the List; remove blank items before embedding.");
            }
            inputs.add(text.toString());
        }
        return inputs;
    }

    private static String nonBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("The embed operation got a blank text; give " + ACCEPTED
                                               + " (an empty List only loads the model).");
        }
        return text;
    }

    private void applyReply(Message message, DocumentReply reply, boolean single) throws IOException {
        EmbedResponse response;
        try {
            response = requests.mapper().readValue(reply.body(), EmbedResponse.class);
        } catch (IOException e) {
            throw new OllamaProtocolException("the /api/embed reply is not the expected JSON ("
                                              + e.getMessage().lines().findFirst().orElse("") + ")", 1, null, e);
        }
        List<float[]> vectors = response.embeddings();
        message.setBody(single ? (vectors.isEmpty() ? null : vectors.get(0)) : vectors);
        putIfPresent(message, OllamaConstants.MODEL, response.model());
        putIfPresent(message, OllamaConstants.TOTAL_DURATION, response.totalDuration());
        putIfPresent(message, OllamaConstants.LOAD_DURATION, response.loadDuration());
        putIfPresent(message, OllamaConstants.PROMPT_EVAL_COUNT, response.promptEvalCount());
    }

    static void putIfPresent(Message message, String header, Object value) {
        if (value != null) {
            message.setHeader(header, value);
        }
    }
}
