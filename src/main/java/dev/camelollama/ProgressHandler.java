package dev.camelollama;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelollama.api.CreateModelRequest;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ProgressChunk;
import dev.camelollama.client.ProgressReply;
import dev.camelollama.client.ProgressStream;
import dev.camelollama.client.ReplyFormat;

/**
 * pullModel, pushModel and createModel: progress streams. In split mode the body is a lazy iterator of one message
 * per progress line; otherwise the body is the final status ({@code success}) and the progress is logged at INFO
 * (off mode asks Ollama with {@code stream:false}, so there is nothing to log until the end).
 */
final class ProgressHandler implements OperationHandler {

    private final OllamaEndpoint endpoint;
    private final OllamaClient client;
    private final InFlightCalls replyExecutor;
    private final ManagementRequests requests;

    ProgressHandler(OllamaEndpoint endpoint, OllamaClient client, InFlightCalls replyExecutor) {
        this.endpoint = endpoint;
        this.client = client;
        this.replyExecutor = replyExecutor;
        this.requests = new ManagementRequests(endpoint, client.mapper());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        OllamaRequest request;
        try {
            request = create(exchange);
        } catch (RuntimeException badInput) {
            exchange.setException(badInput);
            callback.done(true);
            return true;
        }
        if (endpoint.getConfiguration().getStreaming() == StreamingMode.split) {
            client.progressStream(request, new ReplyContinuation<ProgressStream>(exchange, callback, replyExecutor) {
                @Override
                void apply(Exchange target, ProgressStream stream) {
                    bindStream(target, stream);
                }
            });
        } else {
            ProgressLog log = new ProgressLog(endpoint.getOperation().name(), request.model());
            client.progress(request, log, new ReplyContinuation<ProgressReply>(exchange, callback, replyExecutor) {
                @Override
                void apply(Exchange target, ProgressReply reply) {
                    Message message = target.getMessage();
                    message.setBody(reply.status());
                    message.setHeader(OllamaConstants.STATUS, reply.status());
                    message.setHeader(OllamaConstants.CHUNK_COUNT, reply.lineCount());
                    message.setHeader(OllamaConstants.MODEL, request.model());
                }
            });
        }
        return false;
    }

    private OllamaRequest create(Exchange exchange) {
        Message in = exchange.getIn();
        OllamaConfiguration configuration = endpoint.getConfiguration();
        boolean stream = configuration.getStreaming() != StreamingMode.off;
        switch (endpoint.getOperation()) {
            case pullModel, pushModel -> {
                String model = requests.requireModel(in, null);
                Map<String, Object> body = ManagementRequests.object("model", model,
                        "insecure", configuration.isInsecure() ? Boolean.TRUE : null,
                        "stream", stream ? null : Boolean.FALSE);
                String path = endpoint.getOperation() == OllamaOperation.pullModel ? "/api/pull" : "/api/push";
                return requests.request("POST", path, body, ReplyFormat.PROGRESS, model);
            }
            case createModel -> {
                Object body = in.getBody();
                if (body instanceof CreateModelRequest given) {
                    String model = requests.requireModel(in, given.model());
                    return requests.request("POST", "/api/create", given.withModel(model).withStream(stream),
                            ReplyFormat.PROGRESS, model);
                }
                if (body instanceof Map<?, ?> map) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    map.forEach((name, value) -> copy.put(String.valueOf(name), value));
                    Object named = copy.get("model");
                    String model = requests.requireModel(in, named == null ? null : named.toString());
                    copy.put("model", model);
                    copy.put("stream", stream);
                    return requests.request("POST", "/api/create", copy, ReplyFormat.PROGRESS, model);
                }
                throw new IllegalArgumentException("The createModel operation needs a CreateModelRequest or a Map with "
                                                   + "Ollama's create fields (from, files, system, quantize, ...) as "
                                                   + "the body; it got "
                                                   + (body == null ? "an empty body" : "a " + body.getClass().getName()));
            }
            default -> throw new IllegalStateException("operation " + endpoint.getOperation());
        }
    }

    private static void bindStream(Exchange exchange, ProgressStream stream) {
        ProgressMessageIterator messages = new ProgressMessageIterator(exchange, stream);
        // a safety net for routes that never iterate: the connection must not stay open past the exchange
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                messages.close();
            }
        });
        exchange.getMessage().setBody(messages);
    }

    /** The progress headers of one line; a figure the line does not have is removed, not inherited. */
    static void putProgress(Message message, ProgressChunk chunk) {
        message.setHeader(OllamaConstants.STATUS, chunk.status());
        set(message, OllamaConstants.DIGEST, chunk.digest());
        set(message, OllamaConstants.TOTAL, chunk.total());
        set(message, OllamaConstants.COMPLETED, chunk.completed());
        set(message, OllamaConstants.PERCENT, chunk.percent());
    }

    private static void set(Message message, String header, Object value) {
        if (value == null) {
            message.removeHeader(header);
        } else {
            message.setHeader(header, value);
        }
    }
}
