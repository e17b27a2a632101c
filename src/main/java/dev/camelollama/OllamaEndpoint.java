package dev.camelollama;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import dev.camelollama.client.OllamaClient;
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
    /** Producers of this endpoint started now; the first registers the health check, the last removes it. */
    private int startedProducers;
    private HealthCheckRegistration healthCheck = HealthCheckRegistration.NONE;

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
        if (configuration.getMaxReplySize() < 0) {
            throw new IllegalArgumentException("maxReplySize is " + configuration.getMaxReplySize()
                                               + "; give 0 for no limit, or the most bytes a reply may have");
        }
        checkAuthentication();
        if (configuration.getStreaming() == null) {
            throw new IllegalArgumentException("streaming is empty; use off, aggregate or split");
        }
    }

    private void checkAuthentication() {
        boolean bearer = configuration.getBearerToken() != null && !configuration.getBearerToken().isEmpty();
        boolean basic = configuration.getUsername() != null && !configuration.getUsername().isEmpty();
        if (bearer && basic) {
            throw new IllegalArgumentException("Both bearerToken and username are set; a proxy takes one "
                                               + "Authorization header: use bearerToken or username/password");
        }
        if (!basic && configuration.getPassword() != null && !configuration.getPassword().isEmpty()) {
            throw new IllegalArgumentException("password is set but username is not; basic authentication needs both");
        }
        if (bearer) {
            checkHeaderValue("bearerToken", configuration.getBearerToken());
        }
        if (basic) {
            if (configuration.getUsername().indexOf(':') >= 0) {
                throw new IllegalArgumentException("username must not contain ':' (basic authentication separates "
                                                   + "user and password with it)");
            }
            checkHeaderValue("username", configuration.getUsername());
            checkHeaderValue("password", configuration.getPassword());
        }
    }

    private static void checkHeaderValue(String name, String value) {
        if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
            // the value itself is a secret: never part of the message
            throw new IllegalArgumentException(name + " contains a line break, which cannot be sent in an HTTP header");
        }
    }

    /**
     * The HTTP headers of every request this endpoint sends (chat, generate, embed, management, progress, blobs,
     * the pull of autoPull and the /api/show of the context-window check): Authorization from bearerToken or
     * username/password, then the headersSupplier's, which win over those of the same name. Built per request, so
     * that a supplier can rotate its token.
     */
    Map<String, String> requestHeaders() {
        Map<String, String> headers = null;
        String token = configuration.getBearerToken();
        String user = configuration.getUsername();
        if (token != null && !token.isEmpty()) {
            headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.put("Authorization", "Bearer " + token);
        } else if (user != null && !user.isEmpty()) {
            String password = configuration.getPassword() == null ? "" : configuration.getPassword();
            headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        OllamaHeadersSupplier supplier = configuration.getHeadersSupplier();
        if (supplier != null) {
            Map<String, String> supplied = supplier.headers();
            if (supplied != null) {
                for (Map.Entry<String, String> header : supplied.entrySet()) {
                    if (header.getKey() == null || header.getKey().isBlank() || header.getValue() == null) {
                        continue;
                    }
                    checkHeaderValue("The header " + header.getKey() + " from headersSupplier", header.getValue());
                    if (headers == null) {
                        headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    }
                    headers.put(header.getKey(), header.getValue());
                }
            }
        }
        return headers == null ? Map.of() : Collections.unmodifiableMap(headers);
    }

    /**
     * Where a redelivery gets its headers: asked again when a headersSupplier is set (its token may have rotated
     * while the first attempt waited), or null to send the first attempt's.
     */
    java.util.function.Supplier<Map<String, String>> headersOnRedelivery() {
        return configuration.getHeadersSupplier() == null ? null : this::requestHeaders;
    }

    /**
     * A producer of this endpoint started: the first one registers the endpoint's readiness check in Camel's
     * producers repository, unless the component's healthCheckProducerEnabled is false or camel-health is absent.
     */
    synchronized void producerStarted(OllamaClient client) {
        if (startedProducers++ > 0 || !getComponent().isHealthCheckProducerEnabled()) {
            return;
        }
        WritableHealthCheckRepository repository = HealthCheckRegistration.producersRepository(getCamelContext());
        if (repository != null) {
            healthCheck = HealthCheckRegistration.register(repository,
                    new OllamaProducerHealthCheck(getComponent().reserveHealthCheckId(this), this, client));
        }
    }

    /** A producer of this endpoint stopped: the last one removes the health check. */
    synchronized void producerStopped() {
        if (startedProducers == 0 || --startedProducers > 0) {
            return;
        }
        HealthCheckRegistration registered = healthCheck;
        healthCheck = HealthCheckRegistration.NONE;
        registered.close();
        if (registered.check() != null) {
            getComponent().releaseHealthCheckId(registered.check().getId());
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
