package dev.camelollama;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.api.Metrics;
import dev.camelollama.api.ToolCall;
import dev.camelollama.client.AggregatedReply;
import dev.camelollama.client.ChunkStream;
import dev.camelollama.client.OllamaClient;

/**
 * chat and generate: the three reply modes, structured output, conversation memory, and the checks that catch
 * Ollama's silent traps (a prompt cut to the context window, a model reloaded because load-time options changed).
 */
final class GenerationHandler implements OperationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GenerationHandler.class);

    private final OllamaEndpoint endpoint;
    private final AutoPull client;
    private final OllamaClient rawClient;
    private final InFlightCalls replyExecutor;
    private final RequestFactory requests;
    private final ObjectMapper mapper;

    GenerationHandler(OllamaEndpoint endpoint, OllamaClient client, InFlightCalls replyExecutor) {
        this.endpoint = endpoint;
        // a missing model is pulled once and the request sent again, when the endpoint asks for it (autoPull)
        this.client = AutoPull.wrap(endpoint, client);
        this.rawClient = client;
        this.replyExecutor = replyExecutor;
        this.mapper = client.mapper();
        this.requests = new RequestFactory(endpoint, mapper);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        PreparedRequest prepared;
        try {
            prepared = requests.create(exchange);
        } catch (RuntimeException badInput) {
            exchange.setException(badInput);
            callback.done(true);
            return true;
        }
        endpoint.getComponent().modelLoads().record(endpoint.getBaseUri().toString(), prepared.model(),
                prepared.options(), prepared.shift());
        if (endpoint.getConfiguration().isLearnContextWindow()
            && (prepared.options() == null || prepared.options().get("num_ctx") == null)) {
            endpoint.getComponent().contextWindows().learn(endpoint, rawClient, prepared.model());
        }
        if (endpoint.getConfiguration().getStreaming() == StreamingMode.split) {
            client.stream(prepared.request(), new ReplyContinuation<ChunkStream>(exchange, callback, replyExecutor) {
                @Override
                void apply(Exchange target, ChunkStream stream) {
                    bindStream(target, stream, prepared);
                }
            });
        } else {
            client.aggregate(prepared.request(),
                    new ReplyContinuation<AggregatedReply>(exchange, callback, replyExecutor) {
                        @Override
                        void apply(Exchange target, AggregatedReply reply) throws Exception {
                            applyReply(target.getMessage(), reply, prepared);
                        }
                    });
        }
        return false;
    }

    private void applyReply(Message message, AggregatedReply reply, PreparedRequest prepared) throws Exception {
        OllamaConfiguration conf = endpoint.getConfiguration();
        Class<?> outputClass = conf.getOutputClass();
        if (outputClass != null) {
            message.setBody(readOutput(reply.text(), outputClass));
        } else {
            message.setBody(reply.text());
        }
        ReplyHeaders.putMetrics(message, reply.model(), reply.createdAt(), reply.metrics());
        ReplyHeaders.putExtras(message, conf.isDropThinking() ? null : reply.thinking(), reply.toolCalls(),
                reply.logprobs());
        message.setHeader(OllamaConstants.CHUNK_COUNT, reply.chunkCount());
        checkContextWindow(message, reply.metrics(), prepared);
        remember(prepared, reply.text(), reply.thinking(), reply.toolCalls());
    }

    private Object readOutput(String text, Class<?> outputClass) {
        try {
            return mapper.readValue(text, outputClass);
        } catch (Exception e) {
            String sample = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            throw new IllegalArgumentException("The reply is not a " + outputClass.getName() + " (outputClass): "
                                               + e.getMessage().split("\n")[0] + ". The reply began: " + sample, e);
        }
    }

    /** Ollama cuts an over-long prompt silently (front first): when the prompt filled the window, say so. */
    private void checkContextWindow(Message message, Metrics metrics, PreparedRequest prepared) {
        if (metrics == null || metrics.promptEvalCount() == null) {
            return;
        }
        Object numCtx = prepared.options() == null ? null : prepared.options().get("num_ctx");
        Long window = numCtx instanceof Number number ? Long.valueOf(number.longValue())
                : endpoint.getComponent().contextWindows().known(endpoint.getBaseUri().toString(), prepared.model());
        if (window != null && metrics.promptEvalCount() >= window) {
            message.setHeader(OllamaConstants.PROMPT_TRUNCATED, true);
            LOG.warn("The prompt for model {} filled the whole context window ({} of {} tokens): Ollama has probably "
                     + "cut its beginning. Raise numCtx (options.num_ctx) or shorten the prompt.", prepared.model(),
                    metrics.promptEvalCount(), window);
        }
    }

    private void remember(PreparedRequest prepared, String text, String thinking, List<ToolCall> toolCalls) {
        if (prepared.conversationId() == null) {
            return;
        }
        List<ChatMessage> turn = new ArrayList<>(prepared.turn());
        turn.add(new ChatMessage("assistant", text, thinking, null, toolCalls, null));
        requests.conversationStore().append(prepared.conversationId(), turn);
    }

    private void bindStream(Exchange exchange, ChunkStream stream, PreparedRequest prepared) {
        ChunkMessageIterator.TurnListener listener = prepared.conversationId() == null ? null
                : (text, thinking, toolCalls) -> remember(prepared, text, thinking, toolCalls);
        ChunkMessageIterator chunks = new ChunkMessageIterator(exchange, stream,
                endpoint.getConfiguration().isDropThinking(), listener);
        // a safety net for routes that never iterate: the connection must not stay open past the exchange
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                chunks.close();
            }
        });
        exchange.getMessage().setBody(chunks);
    }
}
