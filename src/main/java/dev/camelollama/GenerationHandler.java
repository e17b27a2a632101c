package dev.camelollama;

import java.util.concurrent.ExecutorService;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelollama.client.AggregatedReply;
import dev.camelollama.client.ChunkStream;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaRequest;

/** chat and generate: the three reply modes. */
final class GenerationHandler implements OperationHandler {

    private final OllamaEndpoint endpoint;
    private final OllamaClient client;
    private final ExecutorService replyExecutor;
    private final RequestFactory requests;

    GenerationHandler(OllamaEndpoint endpoint, OllamaClient client, ExecutorService replyExecutor) {
        this.endpoint = endpoint;
        this.client = client;
        this.replyExecutor = replyExecutor;
        this.requests = new RequestFactory(endpoint, client.mapper());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        OllamaRequest request;
        try {
            request = requests.create(exchange);
        } catch (RuntimeException badInput) {
            exchange.setException(badInput);
            callback.done(true);
            return true;
        }
        if (endpoint.getConfiguration().getStreaming() == StreamingMode.split) {
            client.stream(request, new ReplyContinuation<ChunkStream>(exchange, callback, replyExecutor) {
                @Override
                void apply(Exchange target, ChunkStream stream) {
                    bindStream(target, stream);
                }
            });
        } else {
            client.aggregate(request, new ReplyContinuation<AggregatedReply>(exchange, callback, replyExecutor) {
                @Override
                void apply(Exchange target, AggregatedReply reply) {
                    applyReply(target.getMessage(), reply);
                }
            });
        }
        return false;
    }

    private static void applyReply(Message message, AggregatedReply reply) {
        message.setBody(reply.text());
        ReplyHeaders.putMetrics(message, reply.model(), reply.createdAt(), reply.metrics());
        ReplyHeaders.putExtras(message, reply.thinking(), reply.toolCalls());
        message.setHeader(OllamaConstants.CHUNK_COUNT, reply.chunkCount());
    }

    private static void bindStream(Exchange exchange, ChunkStream stream) {
        ChunkMessageIterator chunks = new ChunkMessageIterator(exchange, stream);
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
