package dev.camelollama;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelollama.client.AggregatedReply;
import dev.camelollama.client.CallHandle;
import dev.camelollama.client.ChunkStream;
import dev.camelollama.client.DocumentReply;
import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ProgressReply;
import dev.camelollama.client.ReplyFormat;
import dev.camelollama.client.ReplyListener;

/**
 * The {@code autoPull} option: the client's calls, except that a {@link ModelNotFoundException} (404 for the model)
 * pulls that model (progress logged at INFO) and then sends the original request once more. A second "not found",
 * or a failed pull, reaches the listener as usual. Concurrent requests for the same missing model share one pull.
 * <p>
 * With {@code autoPull=false} every call goes straight to the client. A handler uses it in place of the client:
 * <pre>
 * private final AutoPull client;            // instead of OllamaClient
 * this.client = AutoPull.wrap(endpoint, client);
 * </pre>
 */
final class AutoPull {

    private static final Logger LOG = LoggerFactory.getLogger(AutoPull.class);

    private final OllamaClient client;
    private final boolean enabled;
    private static final long RECENT_PULL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private final Map<String, CompletableFuture<ProgressReply>> pulls = new ConcurrentHashMap<>();
    private final Map<String, Long> pullFinishedAt = new ConcurrentHashMap<>();

    private AutoPull(OllamaClient client, boolean enabled) {
        this.client = client;
        this.enabled = enabled;
    }

    /** The client's calls, pulling a missing model first when the endpoint has {@code autoPull=true}. */
    static AutoPull wrap(OllamaEndpoint endpoint, OllamaClient client) {
        return new AutoPull(client, endpoint.getConfiguration().isAutoPull());
    }

    /** Whether a missing model is pulled. */
    boolean enabled() {
        return enabled;
    }

    /** The client's mapper. */
    ObjectMapper mapper() {
        return client.mapper();
    }

    /** As {@link OllamaClient#aggregate}. */
    CallHandle aggregate(OllamaRequest request, ReplyListener<AggregatedReply> listener) {
        return call(request, listener, client::aggregate);
    }

    /** As {@link OllamaClient#stream}. */
    CallHandle stream(OllamaRequest request, ReplyListener<ChunkStream> listener) {
        return call(request, listener, client::stream);
    }

    /** As {@link OllamaClient#document}. */
    CallHandle document(OllamaRequest request, ReplyListener<DocumentReply> listener) {
        return call(request, listener, client::document);
    }

    private <T> CallHandle call(OllamaRequest request, ReplyListener<T> listener,
                                BiFunction<OllamaRequest, ReplyListener<T>, CallHandle> send) {
        if (!enabled || request.model() == null) {
            return send.apply(request, listener);
        }
        PullingCall<T> call = new PullingCall<>(request, listener, send);
        call.start();
        return call;
    }

    /** One request that may pull its model once and then go out again. */
    private final class PullingCall<T> implements CallHandle, ReplyListener<T> {

        private final OllamaRequest request;
        private final ReplyListener<T> listener;
        private final BiFunction<OllamaRequest, ReplyListener<T>, CallHandle> send;
        private volatile boolean pulled;
        private volatile boolean cancelled;
        private volatile CallHandle current;

        PullingCall(OllamaRequest request, ReplyListener<T> listener,
                    BiFunction<OllamaRequest, ReplyListener<T>, CallHandle> send) {
            this.request = request;
            this.listener = listener;
            this.send = send;
        }

        void start() {
            listener.started(this);
            current = send.apply(request, this);
        }

        @Override
        public void onReply(T reply) {
            listener.onReply(reply);
        }

        @Override
        public void onFailure(OllamaException failure) {
            if (pulled || cancelled || !(failure instanceof ModelNotFoundException missing)
                || missing.isRegistryMiss()) {
                listener.onFailure(failure);
                return;
            }
            pulled = true;
            String model = request.model();
            pull(request).whenComplete((done, pullFailure) -> {
                if (pullFailure != null) {
                    Throwable cause = pullFailure instanceof java.util.concurrent.CompletionException
                                      && pullFailure.getCause() != null ? pullFailure.getCause() : pullFailure;
                    listener.onFailure(cause instanceof OllamaException ollama ? ollama
                            : new OllamaException("Pulling model '" + model + "' failed: " + cause.getMessage(), 0,
                                    null, false, cause));
                } else if (cancelled) {
                    listener.onFailure(new OllamaException("The Ollama call was cancelled", 0, null, false, null));
                } else {
                    LOG.info("Pulled model '{}'; sending the {} request again", model, request.path());
                    current = send.apply(request, this);
                }
            });
        }

        @Override
        public void cancel() {
            cancel("The Ollama call was cancelled");
        }

        @Override
        public void cancel(String reason) {
            cancelled = true;
            CallHandle running = current;
            if (running != null) {
                running.cancel(reason);
            }
        }
    }

    /**
     * Pulls the model of {@code original}, or joins the pull already running for it. A pull that succeeded a moment
     * ago is joined too: a request whose 404 was on its way while that pull ran needs no second pull.
     */
    private CompletableFuture<ProgressReply> pull(OllamaRequest original) {
        String model = original.model();
        CompletableFuture<ProgressReply> mine = new CompletableFuture<>();
        CompletableFuture<ProgressReply> running = pulls.putIfAbsent(model, mine);
        if (running != null) {
            Long finished = pullFinishedAt.get(model);
            boolean stale = finished != null && System.nanoTime() - finished > RECENT_PULL_NANOS;
            if (!stale || !pulls.replace(model, running, mine)) {
                return stale ? pulls.getOrDefault(model, running) : running;
            }
            pullFinishedAt.remove(model);
        }
        mine.whenComplete((reply, failure) -> {
            if (failure != null) {
                pulls.remove(model, mine);
            } else {
                pullFinishedAt.put(model, System.nanoTime());
            }
        });
        LOG.info("Model '{}' is not on the Ollama server; pulling it (autoPull=true)", model);
        // the same server, headers, timeouts and redelivery as the request that found the model missing
        byte[] body;
        try {
            body = client.mapper().writeValueAsBytes(Map.of("model", model));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            mine.completeExceptionally(e);
            return mine;
        }
        OllamaRequest pull = new OllamaRequest(original.baseUri(), "POST", "/api/pull", body, ReplyFormat.PROGRESS,
                model, original.headers(), original.timeouts(), original.retry(), 0, original.headersOnRedelivery());
        client.progress(pull, new ProgressLog("pullModel", model), new ReplyListener<>() {
            @Override
            public void onReply(ProgressReply reply) {
                mine.complete(reply);
            }

            @Override
            public void onFailure(OllamaException failure) {
                mine.completeExceptionally(failure);
            }
        });
        return mine;
    }
}
