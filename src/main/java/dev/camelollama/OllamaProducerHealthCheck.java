package dev.camelollama;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.hc.core5.pool.PoolStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelollama.client.CallHandle;
import dev.camelollama.client.DocumentReply;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaConnectionException;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.client.OllamaTimeoutException;
import dev.camelollama.client.ReplyFormat;
import dev.camelollama.client.ReplyListener;
import dev.camelollama.client.RetryPolicy;
import dev.camelollama.client.TimeoutKind;
import dev.camelollama.client.Timeouts;

/**
 * The readiness of one started ollama endpoint: can its Ollama server be reached, and, for chat, generate and embed
 * with a fixed {@code model}, is that model there. One {@code GET} per call ({@code /api/tags} when a model is
 * checked, else {@code /api/version}) through the component's shared client, so with the endpoint's TLS settings
 * and its authentication headers, but with its own short budget ({@link #PROBE_TIMEOUTS}) and no redelivery: a
 * readiness probe must answer in seconds, not after the endpoint's five-minute first-byte timeout.
 * <p>
 * DOWN when the server cannot be reached (refused, unknown host, TLS failure, timeout), when it answers an error
 * status (5xx, or 401/403 from a proxy: every call would fail the same way), or when the checked model is missing
 * and {@code autoPull=false}. A missing model with {@code autoPull=true} is UP: the first call pulls it. The details
 * carry the base URL without user info; no message or detail carries a credential.
 * <p>
 * Readiness only: a server that is down is not cured by restarting this application.
 */
final class OllamaProducerHealthCheck implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OllamaProducerHealthCheck.class);

    /** The group of Camel's own producer checks (e.g. {@code producer:kafka-...}). */
    static final String GROUP = "camel";
    /** Connect within 2 s, the whole answer within 3 s. */
    static final Timeouts PROBE_TIMEOUTS = new Timeouts(2_000, 3_000, 3_000, 3_000);
    /** A model list is a few hundred bytes per model; anything beyond this is not an Ollama answer. */
    private static final long PROBE_MAX_REPLY_BYTES = 4L * 1024 * 1024;
    private static final int MESSAGE_LIMIT = 1_000;

    static final String DETAIL_BASE_URL = "base.url";
    static final String DETAIL_OPERATION = "operation";
    static final String DETAIL_MODEL = "model";
    static final String DETAIL_MODEL_PRESENT = "model.present";
    static final String DETAIL_AUTO_PULL = "auto.pull";
    static final String DETAIL_REASON = "failure.reason";
    static final String DETAIL_VERSION = "ollama.version";
    static final String DETAIL_POOL_LEASED = "pool.leased";
    static final String DETAIL_POOL_PENDING = "pool.pending";

    private final String id;
    private final OllamaEndpoint endpoint;
    private final OllamaClient client;
    private final String model;
    private final Map<String, Object> meta;
    private volatile boolean enabled = true;

    OllamaProducerHealthCheck(String id, OllamaEndpoint endpoint, OllamaClient client) {
        this.id = id;
        this.endpoint = endpoint;
        this.client = client;
        this.model = modelToCheck(endpoint);
        this.meta = Map.of(CHECK_ID, id, CHECK_GROUP, GROUP);
    }

    /** The model whose presence is checked: the fixed model of chat, generate and embed endpoints, else null. */
    static String modelToCheck(OllamaEndpoint endpoint) {
        String model = endpoint.getConfiguration().getModel();
        if (model == null || model.isBlank()) {
            return null;
        }
        return switch (endpoint.getOperation()) {
            case chat, generate, embed -> model.trim();
            default -> null;
        };
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getGroup() {
        return GROUP;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public Map<String, Object> getMetaData() {
        return meta;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        builder.detail(CHECK_ID, id).detail(CHECK_GROUP, GROUP).detail(CHECK_KIND, Kind.READINESS);
        if (!enabled) {
            return builder.message("Disabled").detail(CHECK_ENABLED, false).unknown().build();
        }
        URI server = endpoint.getBaseUri();
        String url = displayUrl(server);
        builder.detail(DETAIL_BASE_URL, url).detail(DETAIL_OPERATION, endpoint.getOperation().name());
        if (model != null) {
            builder.detail(DETAIL_MODEL, model).detail(DETAIL_AUTO_PULL, endpoint.getConfiguration().isAutoPull());
        }
        Map<String, String> headers;
        try {
            headers = endpoint.requestHeaders();
        } catch (RuntimeException e) {
            // the header checks name the header, never its value; a supplier's own failure is named by its type
            String why = e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getName();
            return builder.down().detail(DETAIL_REASON, "headers")
                    .message("The request headers for Ollama at " + url + " could not be built: " + why).build();
        }
        try {
            DocumentReply reply = probe(server, headers);
            judge(builder, reply, url);
        } catch (OllamaException failure) {
            describeFailure(builder, failure, url, server, headers);
        } catch (RuntimeException unexpected) {
            LOG.debug("The health check {} failed", id, unexpected);
            builder.down().detail(DETAIL_REASON, "error")
                    .message(redact("The health check of Ollama at " + url + " failed: "
                                    + unexpected.getClass().getSimpleName(), server, headers));
        }
        return builder.build();
    }

    /** One GET with the probe's own budget and no redelivery, waited for at most a little beyond that budget. */
    private DocumentReply probe(URI server, Map<String, String> headers) {
        String path = model != null ? "/api/tags" : "/api/version";
        OllamaRequest request = new OllamaRequest(server, "GET", path, null, ReplyFormat.DOCUMENT, null, headers,
                PROBE_TIMEOUTS, RetryPolicy.NONE, PROBE_MAX_REPLY_BYTES);
        CompletableFuture<DocumentReply> outcome = new CompletableFuture<>();
        AtomicReference<CallHandle> handle = new AtomicReference<>();
        client.document(request, new ReplyListener<>() {
            @Override
            public void started(CallHandle call) {
                handle.set(call);
            }

            @Override
            public void onReply(DocumentReply reply) {
                outcome.complete(reply);
            }

            @Override
            public void onFailure(OllamaException failure) {
                outcome.completeExceptionally(failure);
            }
        });
        long waitMillis = PROBE_TIMEOUTS.total() + 1_000;
        try {
            return outcome.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof OllamaException ollama ? ollama
                    : new OllamaException(String.valueOf(e.getCause()), 0, null, false, e.getCause());
        } catch (TimeoutException e) {
            cancel(handle.get());
            throw new OllamaTimeoutException(TimeoutKind.TOTAL, waitMillis, "");
        } catch (InterruptedException e) {
            cancel(handle.get());
            Thread.currentThread().interrupt();
            throw new OllamaException("The health check was interrupted", 0, null, false, e);
        }
    }

    private static void cancel(CallHandle call) {
        if (call != null) {
            call.cancel("The health check gave up waiting");
        }
    }

    private void judge(HealthCheckResultBuilder builder, DocumentReply reply, String url) {
        JsonNode body = parse(reply);
        if (model == null) {
            if (body != null && body.hasNonNull("version")) {
                builder.detail(DETAIL_VERSION, body.get("version").asText());
            }
            builder.up();
            return;
        }
        if (body == null || !body.path("models").isArray()) {
            builder.down().detail(DETAIL_REASON, "protocol")
                    .message("Ollama at " + url + " answered GET /api/tags without a model list; check that "
                             + "baseUrl points at an Ollama server");
            return;
        }
        boolean present = hasModel(body.get("models"), model);
        builder.detail(DETAIL_MODEL_PRESENT, present);
        if (present) {
            builder.up();
        } else if (endpoint.getConfiguration().isAutoPull()) {
            builder.up().message("Model '" + model + "' is not on Ollama at " + url
                                 + " yet; the first call pulls it (autoPull=true)");
        } else {
            builder.down().detail(DETAIL_REASON, "model-missing")
                    .message("Model '" + model + "' is not on Ollama at " + url + ": every call will fail with "
                             + "ModelNotFoundException. Pull it (ollama pull " + model + ") or set autoPull=true");
        }
    }

    private JsonNode parse(DocumentReply reply) {
        try {
            return reply.body().length == 0 ? null : client.mapper().readTree(reply.body());
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

    /** Whether {@code /api/tags} lists the model; a name without a tag means {@code :latest}, as in Ollama. */
    static boolean hasModel(JsonNode models, String wanted) {
        String key = matchingKey(wanted);
        for (JsonNode entry : models) {
            for (String field : new String[] {"name", "model"}) {
                JsonNode name = entry.get(field);
                if (name != null && name.isTextual() && matchingKey(name.asText()).equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String matchingKey(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        int slash = key.lastIndexOf('/');
        return key.indexOf(':', slash + 1) >= 0 ? key : key + ":latest";
    }

    private void describeFailure(HealthCheckResultBuilder builder, OllamaException failure, String url, URI server,
                                 Map<String, String> headers) {
        builder.down();
        String reason;
        String message;
        if (failure instanceof OllamaServerException http) {
            int status = http.getStatusCode();
            builder.detail(HTTP_RESPONSE_CODE, status);
            if (status == 401 || status == 403) {
                reason = "auth";
                message = "Ollama at " + url + " (or its proxy) refused the request with " + status
                          + ": check bearerToken, username/password or the headersSupplier";
            } else {
                reason = "http-" + status;
                message = "Ollama at " + url + " answered " + status
                          + (http.getServerMessage() == null ? "" : ": " + http.getServerMessage());
            }
        } else if (failure instanceof OllamaTimeoutException timeout) {
            reason = "timeout";
            message = "Ollama at " + url + " did not answer the health check within " + timeout.timeoutMillis()
                      + " ms";
            // the probe shares the component's pool: say so when it had to queue for a connection
            PoolStats pool = client.poolStats();
            builder.detail(DETAIL_POOL_LEASED, pool.getLeased()).detail(DETAIL_POOL_PENDING, pool.getPending());
            if (pool.getPending() > 0) {
                message += " (requests were waiting for a pooled connection: " + pool.getLeased()
                           + " in use; see maxTotalConnections and connectionsPerRoute)";
            }
        } else if (failure instanceof OllamaConnectionException) {
            reason = failure.getMessage() != null && failure.getMessage().startsWith("TLS") ? "tls" : "connection";
            message = failure.getMessage();
        } else {
            reason = "error";
            message = "The health check of Ollama at " + url + " failed: " + failure.getMessage();
        }
        builder.detail(DETAIL_REASON, reason).message(redact(message, server, headers));
    }

    /** {@code scheme://host:port/path} of the server: no user info, query or fragment. */
    static String displayUrl(URI server) {
        StringBuilder url = new StringBuilder().append(server.getScheme()).append("://").append(server.getHost());
        if (server.getPort() >= 0) {
            url.append(':').append(server.getPort());
        }
        String path = server.getRawPath();
        if (path != null && !path.isEmpty() && !"/".equals(path)) {
            url.append(path);
        }
        return url.toString();
    }

    /**
     * The message without any credential: the raw server address (which may hold user info) becomes the display
     * URL, and every header value, or its token after {@code Bearer }/{@code Basic }, becomes {@code ***}, should a
     * proxy's error body echo it. Capped in length.
     */
    private String redact(String message, URI server, Map<String, String> headers) {
        if (message == null) {
            return null;
        }
        String text = message.replace(server.toString(), displayUrl(server));
        List<String> secrets = new ArrayList<>();
        for (String value : headers.values()) {
            secrets.add(value);
            int space = value.indexOf(' ');
            if (space > 0) {
                secrets.add(value.substring(space + 1).trim());
            }
        }
        OllamaConfiguration configuration = endpoint.getConfiguration();
        secrets.add(configuration.getBearerToken());
        secrets.add(configuration.getPassword());
        if (server.getRawUserInfo() != null) {
            secrets.add(server.getRawUserInfo());
        }
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                text = text.replace(secret, "***");
            }
        }
        return text.length() <= MESSAGE_LIMIT ? text : text.substring(0, MESSAGE_LIMIT) + "...";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OllamaProducerHealthCheck that && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "OllamaProducerHealthCheck[" + id + "]";
    }
}
