package dev.camelollama;

import java.net.URI;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import dev.camelollama.client.OllamaHost;
import dev.camelollama.client.RetryPolicy;
import dev.camelollama.client.Timeouts;

/**
 * Calls an Ollama server's native API: chat and generate, with the reply whole or streamed into the route chunk
 * by chunk; embeddings; and model management (list, show, pull, push, create, copy, delete, blobs).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "ollama", title = "Ollama", syntax = "ollama:operation",
             producerOnly = true, category = { Category.AI }, headersClass = OllamaConstants.class)
public class OllamaEndpoint extends DefaultEndpoint {

    @UriPath(description = "The operation: chat, generate, embed, listModels, showModel, runningModels, version, "
                           + "pullModel, pushModel, createModel, copyModel, deleteModel, blobExists or pushBlob.")
    @Metadata(required = true)
    private OllamaOperation operation;

    @UriParam
    private OllamaConfiguration configuration;

    private URI baseUri;
    private Timeouts timeouts;
    private RetryPolicy retryPolicy;

    public OllamaEndpoint(String uri, OllamaComponent component, OllamaOperation operation,
                          OllamaConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public OllamaComponent getComponent() {
        return (OllamaComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new OllamaProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("The ollama: component only sends (use it in to(), not from())");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // bad settings fail the route at start-up, before any request
        baseUri = OllamaHost.resolve(configuration.getBaseUrl(), System.getenv("OLLAMA_HOST"));
        timeouts = configuration.timeouts();
        retryPolicy = configuration.retryPolicy();
        if (configuration.getStreaming() == null) {
            throw new IllegalArgumentException("streaming is empty; use off, aggregate or split");
        }
    }

    public OllamaOperation getOperation() {
        return operation;
    }

    /** The operation, e.g. chat, generate, embed or pullModel. */
    public void setOperation(OllamaOperation operation) {
        this.operation = operation;
    }

    public OllamaConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(OllamaConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The server this endpoint talks to, resolved from baseUrl or OLLAMA_HOST. */
    public URI getBaseUri() {
        return baseUri;
    }

    Timeouts timeouts() {
        return timeouts;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }
}
