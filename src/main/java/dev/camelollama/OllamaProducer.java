package dev.camelollama;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelollama.client.AggregatedReply;
import dev.camelollama.client.ChunkStream;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyListener;

/**
 * Sends an exchange to Ollama without holding a thread while the reply is generated. The client's I/O thread
 * decodes the reply; the route then continues on the component's reply pool, never on an I/O thread (a route that
 * blocked there would stall every other connection). Every path completes the callback exactly once.
 */
public class OllamaProducer extends DefaultAsyncProducer {

    private RequestFactory requests;
    private OllamaClient client;
    private ExecutorService replyExecutor;

    public OllamaProducer(OllamaEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public OllamaEndpoint getEndpoint() {
        return (OllamaEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = getEndpoint().getComponent().client();
        replyExecutor = getEndpoint().getComponent().replyExecutor();
        requests = new RequestFactory(getEndpoint(), client.mapper());
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
        try {
            if (getEndpoint().getConfiguration().getStreaming() == StreamingMode.split) {
                client.stream(request, new Continuation<>(exchange, callback) {
                    @Override
                    void apply(ChunkStream stream) {
                        bindStream(exchange, stream);
                    }
                });
            } else {
                client.aggregate(request, new Continuation<>(exchange, callback) {
                    @Override
                    void apply(AggregatedReply reply) {
                        applyReply(exchange.getMessage(), reply);
                    }
                });
            }
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
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

    /** Moves the outcome from the I/O thread to the reply pool and completes the callback there, once. */
    private abstract class Continuation<T> implements ReplyListener<T> {

        private final Exchange exchange;
        private final AsyncCallback callback;

        Continuation(Exchange exchange, AsyncCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
        }

        abstract void apply(T reply);

        @Override
        public void onReply(T reply) {
            continueOnReplyPool(() -> {
                try {
                    apply(reply);
                } catch (RuntimeException e) {
                    exchange.setException(e);
                }
            }, reply);
        }

        @Override
        public void onFailure(OllamaException failure) {
            continueOnReplyPool(() -> exchange.setException(failure), null);
        }

        private void continueOnReplyPool(Runnable outcome, T reply) {
            Runnable task = () -> {
                outcome.run();
                callback.done(false);
            };
            try {
                replyExecutor.execute(task);
            } catch (RejectedExecutionException stopping) {
                if (reply instanceof ChunkStream stream) {
                    stream.close();
                }
                exchange.setException(new OllamaException("The ollama component is stopping; the reply was dropped",
                        0, null, true, stopping));
                callback.done(false);
            }
        }
    }
}
