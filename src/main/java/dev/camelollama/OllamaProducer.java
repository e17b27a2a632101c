package dev.camelollama;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

import dev.camelollama.client.OllamaClient;

/**
 * Sends an exchange to Ollama without holding a thread while the reply is generated. The work is done by the
 * endpoint operation's {@link OperationHandler}; every path completes the callback exactly once.
 */
public class OllamaProducer extends DefaultAsyncProducer {

    private OperationHandler handler;

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
        OllamaEndpoint endpoint = getEndpoint();
        OllamaClient client = endpoint.getComponent().client();
        handler = switch (endpoint.getOperation()) {
            case chat, generate -> new GenerationHandler(endpoint, client, endpoint.getComponent().replyExecutor());
            case embed -> new EmbedHandler(endpoint, client, endpoint.getComponent().replyExecutor());
            case pullModel, pushModel, createModel ->
                new ProgressHandler(endpoint, client, endpoint.getComponent().replyExecutor());
            case listModels, showModel, runningModels, version, copyModel, deleteModel, blobExists, pushBlob ->
                new ModelHandler(endpoint, client, endpoint.getComponent().replyExecutor());
        };
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            return handler.process(exchange, callback);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }
}
