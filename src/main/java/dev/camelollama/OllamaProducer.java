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
    private InFlightCalls inFlight;
    private AutoCloseable stoppedExchangeWatch;
    private boolean endpointToldOfStart;

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
        inFlight = new InFlightCalls(endpoint.getComponent().replyExecutor());
        // rides on the client's timeout sweep: no thread of its own, a few field reads per call in flight
        stoppedExchangeWatch = client.onEverySweep(inFlight::abortCallsOfStoppedExchanges);
        handler = switch (endpoint.getOperation()) {
            case chat, generate -> new GenerationHandler(endpoint, client, inFlight);
            case embed -> new EmbedHandler(endpoint, client, inFlight);
            case pullModel, pushModel, createModel ->
                new ProgressHandler(endpoint, client, inFlight);
            case listModels, showModel, runningModels, version, copyModel, deleteModel, blobExists, pushBlob ->
                new ModelHandler(endpoint, client, inFlight);
        };
        endpoint.producerStarted(client);
        endpointToldOfStart = true;
    }

    @Override
    protected void doStop() throws Exception {
        if (endpointToldOfStart) {
            endpointToldOfStart = false;
            getEndpoint().producerStopped();
        }
        // Camel stops a producer after its graceful shutdown timeout: whatever still waits for Ollama is aborted
        // (Ollama stops generating) and its exchange fails with this reason rather than vanishing
        if (stoppedExchangeWatch != null) {
            stoppedExchangeWatch.close();
            stoppedExchangeWatch = null;
        }
        if (inFlight != null) {
            inFlight.abortAll("The Ollama call was aborted because its route or the CamelContext is stopping; the "
                              + "exchange failed so that it can be retried");
        }
        super.doStop();
    }

    /** How many calls of this producer wait for Ollama now. */
    public int inFlightCalls() {
        return inFlight == null ? 0 : inFlight.size();
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
