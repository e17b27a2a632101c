package dev.camelollama;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import javax.net.ssl.SSLContext;

import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.jsse.SSLContextParameters;

import dev.camelollama.client.ClientSettings;
import dev.camelollama.client.OllamaClient;

/**
 * The {@code ollama:} component. It owns the one connection pool that all its endpoints share, so that sequential
 * requests to a server reuse one connection, and the small thread pool that continues routes once a reply is in
 * (the HTTP client's I/O threads never run route code). As a {@link HealthCheckComponent} it has Camel's
 * {@code healthCheckProducerEnabled} option: each started endpoint reports whether its server is reachable (see
 * {@link OllamaProducerHealthCheck}).
 */
@Component("ollama")
public class OllamaComponent extends HealthCheckComponent implements SSLContextParametersAware {

    @Metadata(description = "The defaults every endpoint of this component starts from.")
    private OllamaConfiguration configuration = new OllamaConfiguration();

    @Metadata(label = "advanced", defaultValue = "200",
              description = "The size of the connection pool shared by all endpoints of this component.")
    private int maxTotalConnections = ClientSettings.DEFAULT.maxTotalConnections();

    @Metadata(label = "advanced", defaultValue = "20",
              description = "The most connections open to one Ollama server at once; further requests wait for a "
                            + "free connection.")
    private int connectionsPerRoute = ClientSettings.DEFAULT.connectionsPerRoute();

    @Metadata(label = "security",
              description = "TLS for https base URLs: the trust store (and key store, for client certificates) the "
                            + "component's connections use, e.g. to trust a proxy's self-signed or private-CA "
                            + "certificate. Without it, https uses the JVM's default trust (cacerts, or "
                            + "javax.net.ssl.trustStore).")
    private SSLContextParameters sslContextParameters;

    @Metadata(label = "security", defaultValue = "false",
              description = "Use the CamelContext's global SSLContextParameters when sslContextParameters is not set.")
    private boolean useGlobalSslContextParameters;

    private OllamaClient client;
    private final ConversationStore defaultConversationStore = new InMemoryConversationStore();
    private final ModelLoadTracker modelLoads = new ModelLoadTracker();
    private final ContextWindows contextWindows = new ContextWindows();
    private ExecutorService replyExecutor;
    /** The ids of the health checks registered now, so that two endpoints never share one. */
    private final Set<String> healthCheckIds = new HashSet<>();

    public OllamaComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        OllamaOperation operation = parseOperation(remaining);
        OllamaEndpoint endpoint = new OllamaEndpoint(uri, this, operation, configuration.copy());
        OptionBindingErrors.check(parameters, "ollama:" + remaining, getCamelContext());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    private static OllamaOperation parseOperation(String remaining) {
        for (OllamaOperation operation : OllamaOperation.values()) {
            if (operation.name().equalsIgnoreCase(remaining)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("Unknown Ollama operation '" + remaining + "' in ollama:" + remaining
                                           + "; use one of " + java.util.Arrays.toString(OllamaOperation.values())
                                           + ", e.g. ollama:chat?model=llama3.2");
    }

    /** The shared client, created when the first endpoint starts. */
    synchronized OllamaClient client() {
        if (client == null) {
            client = new OllamaClient(new ClientSettings(maxTotalConnections, connectionsPerRoute,
                    ClientSettings.DEFAULT.maxLineBytes()), sslContext());
        }
        return client;
    }

    /** The SSLContext of sslContextParameters (or the global ones), or null for the JVM's default. */
    private SSLContext sslContext() {
        SSLContextParameters parameters = sslContextParameters;
        if (parameters == null && useGlobalSslContextParameters) {
            parameters = retrieveGlobalSslContextParameters();
        }
        if (parameters == null) {
            return null;
        }
        try {
            return parameters.createSSLContext(getCamelContext());
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("The ollama component's sslContextParameters cannot be used: "
                                               + e.getMessage(), e);
        }
    }

    /** The conversations of endpoints that name no store of their own. */
    ConversationStore defaultConversationStore() {
        return defaultConversationStore;
    }

    /** Remembers each model's load-time options, to warn when a request will make Ollama reload it. */
    ModelLoadTracker modelLoads() {
        return modelLoads;
    }

    /** The context windows learnt from /api/show, per server and model. */
    ContextWindows contextWindows() {
        return contextWindows;
    }

    /** Where routes continue once a reply (or the first chunk's stream) is in. */
    synchronized ExecutorService replyExecutor() {
        if (replyExecutor == null) {
            replyExecutor = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "OllamaReply");
        }
        return replyExecutor;
    }

    /**
     * A readable, unique and secret-free id for the health check of this endpoint:
     * {@code producer:ollama-<operation>-<host>:<port>[-<model>]}, with {@code -2}, {@code -3}... when another
     * endpoint (other options, other credentials) already has that id.
     */
    synchronized String reserveHealthCheckId(OllamaEndpoint endpoint) {
        URI server = endpoint.getBaseUri();
        int port = server.getPort() >= 0 ? server.getPort() : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
        String model = OllamaProducerHealthCheck.modelToCheck(endpoint);
        String base = "producer:ollama-" + endpoint.getOperation() + "-" + server.getHost() + ":" + port
                      + (model == null ? "" : "-" + model);
        String id = base;
        for (int n = 2; !healthCheckIds.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    synchronized void releaseHealthCheckId(String id) {
        healthCheckIds.remove(id);
    }

    @Override
    protected void doStop() throws Exception {
        OllamaClient closing;
        ExecutorService executor;
        synchronized (this) {
            closing = client;
            client = null;
            executor = replyExecutor;
            replyExecutor = null;
        }
        if (closing != null) {
            closing.close();
        }
        if (executor != null) {
            getCamelContext().getExecutorServiceManager().shutdown(executor);
        }
        super.doStop();
    }

    public OllamaConfiguration getConfiguration() {
        return configuration;
    }

    /** The defaults every endpoint of this component starts from. */
    public void setConfiguration(OllamaConfiguration configuration) {
        this.configuration = configuration;
    }

    public int getMaxTotalConnections() {
        return maxTotalConnections;
    }

    /** The size of the connection pool shared by all endpoints of this component. */
    public void setMaxTotalConnections(int maxTotalConnections) {
        this.maxTotalConnections = maxTotalConnections;
    }

    public int getConnectionsPerRoute() {
        return connectionsPerRoute;
    }

    /** The most connections open to one Ollama server at once. */
    public void setConnectionsPerRoute(int connectionsPerRoute) {
        this.connectionsPerRoute = connectionsPerRoute;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** TLS for https base URLs (trust store, key store); without it the JVM's default trust. */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the CamelContext's global SSLContextParameters when sslContextParameters is not set. */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    /** The pool's counters, for tests and health checks: leased, available, pending. */
    public org.apache.hc.core5.pool.PoolStats poolStats() {
        return client().poolStats();
    }
}
