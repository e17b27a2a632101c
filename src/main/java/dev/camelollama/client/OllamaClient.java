package dev.camelollama.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducerWrapper;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.FileEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelollama.api.Metrics;
import dev.camelollama.api.TokenLogprob;
import dev.camelollama.api.ToolCall;

/**
 * The one place that speaks HTTP to Ollama. One pooled asynchronous Apache HttpClient 5: a call in flight holds a
 * socket, not a thread. Replies are decoded line by line on the I/O thread as bytes arrive, never buffered whole.
 * <p>
 * Retries follow one rule: a call is sent again only while nothing of its reply has arrived (refused or reset
 * connections, the retryable statuses, connect timeouts, and first-byte timeouts when asked for). Once text has
 * arrived, a failure ends the call with the partial text, because Ollama would generate the whole reply again.
 */
public final class OllamaClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OllamaClient.class);
    private static final String EXEC_RUNTIME = "dev.camelollama.execRuntime";
    private static final int ERROR_BODY_LIMIT = 16 * 1024;
    private static final int SPLIT_CREDIT_THRESHOLD = 16 * 1024;
    private static final int UPLOAD_BUFFER_BYTES = 64 * 1024;

    private final ObjectMapper mapper;
    private final ChunkDecoder decoder;
    private final ProgressDecoder progressDecoder;
    private final ClientSettings settings;
    private final PoolingAsyncClientConnectionManager connectionManager;
    private final CloseableHttpAsyncClient http;
    private final ScheduledThreadPoolExecutor timer;
    /** Attempts with a running budget; one periodic sweep checks them all (no timer task per request). */
    private final java.util.Set<Attempt> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Checks of the layer above that ride on the same sweep, see {@link #onEverySweep}. */
    private final java.util.Set<Runnable> sweepChecks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final long SWEEP_MILLIS = 20;

    public OllamaClient(ClientSettings settings) {
        this(settings, null);
    }

    /**
     * @param sslContext the TLS context of https connections (trust and key material), or null for the JVM's
     *                   default (cacerts, or the javax.net.ssl system properties)
     */
    public OllamaClient(ClientSettings settings, javax.net.ssl.SSLContext sslContext) {
        this.settings = settings;
        this.mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.decoder = new ChunkDecoder(mapper);
        this.progressDecoder = new ProgressDecoder(mapper.getFactory());
        this.connectionManager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxTotalConnections())
                .setMaxConnPerRoute(settings.connectionsPerRoute())
                .setTlsStrategy(sslContext != null
                        ? org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder.create().setSslContext(sslContext)
                                .buildAsync()
                        : org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy.createSystemDefault())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(10))
                        // our own watchdog enforces first-byte, idle and total budgets; a socket timeout would cut
                        // a model load short
                        .setSocketTimeout(Timeout.DISABLED)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build();
        this.http = HttpAsyncClients.custom()
                .setConnectionManager(connectionManager)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setSoTimeout(Timeout.DISABLED)
                        .setTcpNoDelay(true)
                        .build())
                // keeps each exchange's runtime in its context, so that an abort can close the connection even
                // before a reply arrived (cancelling the future alone does not)
                .addExecInterceptorFirst("ollama-abort", (request, entity, scope, chain, callback) -> {
                    scope.clientContext.setAttribute(EXEC_RUNTIME, scope.execRuntime);
                    chain.proceed(request, entity, scope, callback);
                })
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .setUserAgent("camel-ollama")
                .build();
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ollama-client-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        // timeouts are minutes in practice; a 20 ms sweep keeps them precise enough without waking a timer for
        // every request
        this.timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        this.http.start();
    }

    /** The mapper the client decodes with; the Camel layer encodes requests with it too. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Sends a request and hands over the whole reply once it has ended: all chunk text concatenated, the final
     * chunk's metrics. Works for streamed and non-streamed generation alike.
     */
    public CallHandle aggregate(OllamaRequest request, ReplyListener<AggregatedReply> listener) {
        Call<AggregatedReply> call = new Call<>(request, listener, false);
        call.start();
        return call;
    }

    /**
     * Sends a request whose reply is read whole ({@link ReplyFormat#DOCUMENT}: model management, embeddings, blob
     * checks) and hands over its status and bytes. Error statuses fail the call as for every other request, except
     * the 404 of a {@code HEAD} request, which is a reply ("does not exist").
     */
    public CallHandle document(OllamaRequest request, ReplyListener<DocumentReply> listener) {
        Call<DocumentReply> call = new Call<>(checkFormat(request, ReplyFormat.DOCUMENT), listener, false);
        call.start();
        return call;
    }

    /**
     * Uploads a file as the raw request body ({@code POST /api/blobs/sha256:...}), streamed from disk without
     * loading it into memory, and hands over the reply as {@link #document} does. While the file is being sent, a
     * pause longer than the idle timeout fails the call; the first-byte timeout counts from the end of the upload.
     */
    public CallHandle upload(OllamaRequest request, Path file, ReplyListener<DocumentReply> listener) {
        Call<DocumentReply> call = new Call<>(checkFormat(request, ReplyFormat.DOCUMENT), listener, false);
        call.upload = file;
        call.start();
        return call;
    }

    /**
     * Sends a pull, push or create request ({@link ReplyFormat#PROGRESS}) and hands over the outcome once the
     * {@code success} line arrived. Each progress line is shown to {@code observer} on the I/O thread as it
     * arrives (it must be quick; null for none). An {@code {"error"}} line fails the call.
     */
    public CallHandle progress(OllamaRequest request, java.util.function.Consumer<ProgressChunk> observer,
                               ReplyListener<ProgressReply> listener) {
        Call<ProgressReply> call = new Call<>(checkFormat(request, ReplyFormat.PROGRESS), listener, false);
        call.progressObserver = observer;
        call.start();
        return call;
    }

    /**
     * Sends a pull, push or create request and hands over a {@link ProgressStream} as soon as the reply headers
     * arrive; its reader receives each progress line as it arrives.
     */
    public CallHandle progressStream(OllamaRequest request, ReplyListener<ProgressStream> listener) {
        Call<ProgressStream> call = new Call<>(checkFormat(request, ReplyFormat.PROGRESS), listener, true);
        call.start();
        return call;
    }

    private static OllamaRequest checkFormat(OllamaRequest request, ReplyFormat expected) {
        if (request.format() != expected) {
            throw new IllegalArgumentException("this call reads " + expected + " replies; the request for "
                                               + request.path() + " says " + request.format());
        }
        return request;
    }

    /**
     * Sends a request and hands over a {@link ChunkStream} as soon as Ollama's reply headers arrive, before any
     * chunk. The stream's reader receives each chunk as it arrives.
     */
    public CallHandle stream(OllamaRequest request, ReplyListener<ChunkStream> listener) {
        Call<ChunkStream> call = new Call<>(request, listener, true);
        call.start();
        return call;
    }

    /**
     * Runs {@code check} on the client's timer at every sweep (each {@value #SWEEP_MILLIS} ms) until the returned
     * handle is closed: for the layer above to watch its calls without a thread of its own. The check must be quick
     * and must not block, as the calls' timeouts are checked on the same thread.
     */
    public AutoCloseable onEverySweep(Runnable check) {
        sweepChecks.add(check);
        return () -> sweepChecks.remove(check);
    }

    private void sweep() {
        for (Runnable check : sweepChecks) {
            try {
                check.run();
            } catch (RuntimeException e) {
                LOG.warn("A periodic check of the Ollama calls failed", e);
            }
        }
        if (watched.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Attempt attempt : watched) {
            try {
                attempt.checkTimeouts(now);
            } catch (RuntimeException e) {
                LOG.warn("Checking an Ollama call's timeouts failed", e);
            }
        }
    }

    /** The pool's counters: leased, available and pending connections. */
    public PoolStats poolStats() {
        return connectionManager.getTotalStats();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        // GRACEFUL: IMMEDIATE races the reactor's own channel cleanup and logs ClosedSelectorException
        http.close(CloseMode.GRACEFUL);
    }

    /** One logical call, made of one or more attempts. */
    private final class Call<T> implements CallHandle {

        final OllamaRequest request;
        final ReplyListener<T> listener;
        final boolean split;
        /** A file sent as the raw body instead of {@code request.body()}, or null. */
        Path upload;
        /** Sees each progress line of an aggregated progress call, or null. */
        java.util.function.Consumer<ProgressChunk> progressObserver;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile boolean cancelled;
        volatile Attempt current;
        volatile ScheduledFuture<?> pendingRetry;
        int redeliveries;

        Call(OllamaRequest request, ReplyListener<T> listener, boolean split) {
            this.request = request;
            this.listener = listener;
            this.split = split;
            listener.started(this);
        }

        void start() {
            if (cancelled) {
                return;
            }
            Map<String, String> headers;
            try {
                headers = request.headersForAttempt(redeliveries);
            } catch (RuntimeException e) {
                // the message of a header check never holds the value (a credential)
                fail(new OllamaException("The request headers could not be built for redelivery " + redeliveries
                                         + ": " + e.getMessage() + "; check the headersSupplier bean", 0, null,
                        false, e));
                return;
            }
            Attempt attempt = new Attempt(this);
            current = attempt;
            attempt.send(headers == null ? Map.of() : headers);
        }

        void attemptFailed(OllamaException failure, long retryAfterMillis, boolean textArrived) {
            RetryPolicy policy = request.retry();
            if (!cancelled && !textArrived && shouldRetry(failure) && redeliveries < policy.maximumRedeliveries()) {
                redeliveries++;
                long delay = policy.delayBefore(redeliveries, retryAfterMillis);
                LOG.warn("Ollama {} {} failed ({}); redelivery {} of {} in {} ms", request.method(), request.path(),
                        failure.getMessage(), redeliveries, policy.maximumRedeliveries(), delay);
                try {
                    pendingRetry = timer.schedule(this::start, delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    fail(failure);
                }
                return;
            }
            fail(failure);
        }

        private boolean shouldRetry(OllamaException failure) {
            if (failure instanceof OllamaTimeoutException timeout) {
                return timeout.getKind() == TimeoutKind.CONNECT
                       || timeout.getKind() == TimeoutKind.FIRST_BYTE && request.retry().retryReadTimeouts();
            }
            if (failure instanceof OllamaServerException server) {
                return server.getStatusCode() != 200 && request.retry().isRetryableStatus(server.getStatusCode());
            }
            return failure instanceof OllamaConnectionException && failure.isRetryable();
        }

        @SuppressWarnings("unchecked")
        void succeed(Object reply) {
            if (finished.compareAndSet(false, true)) {
                try {
                    listener.onReply((T) reply);
                } catch (RuntimeException e) {
                    LOG.error("The reply listener failed", e);
                }
            }
        }

        void fail(OllamaException failure) {
            if (finished.compareAndSet(false, true)) {
                try {
                    listener.onFailure(failure);
                } catch (RuntimeException e) {
                    LOG.error("The reply listener failed", e);
                }
            }
        }

        @Override
        public void cancel() {
            cancel("The Ollama call was cancelled");
        }

        @Override
        public void cancel(String reason) {
            cancelled = true;
            ScheduledFuture<?> retry = pendingRetry;
            if (retry != null) {
                retry.cancel(false);
            }
            Attempt attempt = current;
            if (attempt != null) {
                attempt.abort(new OllamaException(reason, 0, null, false, null));
            }
            fail(new OllamaException(reason, 0, null, false, null));
        }
    }

    /** One HTTP exchange: sends the request and decodes the reply as it arrives. */
    private final class Attempt implements AsyncResponseConsumer<Void>, FutureCallback<Void>, LineSplitter.LineSink {

        final Call<?> call;
        final long startNanos = System.nanoTime();
        final AtomicBoolean concluded = new AtomicBoolean();
        final LineSplitter splitter = new LineSplitter(settings.maxLineBytes());
        volatile long lastActivityNanos = startNanos;
        volatile boolean firstByte;
        volatile Future<Void> future;
        volatile boolean abortRequested;
        volatile HttpClientContext context;
        volatile CapacityChannel capacity;

        final ReplyFormat format;
        int status;
        long retryAfterMillis;
        ByteArrayOutputStream errorBody;
        /** The body of a DOCUMENT reply, filled as it arrives. */
        ByteArrayOutputStream document;
        /** A {@link ChunkStream} (generation) or a {@link ProgressStream} (progress), in split mode. */
        volatile ReplyStream<Object> stream;
        final List<Object> batch = new ArrayList<>();
        StringBuilder text;
        StringBuilder thinking;
        List<ToolCall> toolCalls;
        List<TokenLogprob> logprobs;
        StreamChunk lastChunk;
        ProgressChunk lastProgress;
        long chunks;
        boolean doneSeen;
        /** Decoded body bytes read so far, against the request's maxReplySize. */
        long bodyBytes;
        /** Bytes of the unfinished line already credited to the connection in split mode (see advanceCredit). */
        int creditedPartialLine;
        FutureCallback<Void> resultCallback;
        /** An AggregatedReply, ProgressReply or DocumentReply, handed over in releaseResources(). */
        Object finalReply;
        Object heldFinalChunk;
        boolean finalChunkReady;
        /** While a file upload is being sent: the first-byte budget starts when it ends. */
        volatile boolean uploading;
        volatile long uploadActivityNanos = startNanos;
        volatile long uploadEndNanos;

        Attempt(Call<?> call) {
            this.call = call;
            this.format = call.request.format();
        }

        void send(Map<String, String> headers) {
            OllamaRequest request = call.request;
            AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method()).setUri(request.uri());
            builder.addHeader("Accept", request.format() == ReplyFormat.DOCUMENT
                    ? "application/json" : "application/x-ndjson, application/json");
            for (Map.Entry<String, String> header : headers.entrySet()) {
                // masked: HttpClient logs request headers at DEBUG, and these carry credentials
                builder.addHeader(new MaskedHeader(header.getKey(), header.getValue()));
            }
            if (call.upload != null) {
                uploading = true;
                builder.setEntity(new UploadProducer(new FileEntityProducer(call.upload.toFile(), UPLOAD_BUFFER_BYTES,
                        ContentType.APPLICATION_OCTET_STREAM, false)));
            } else if (request.body() != null) {
                builder.setEntity(AsyncEntityProducers.create(request.body(), request.format() == ReplyFormat.DOCUMENT
                        && request.path().startsWith("/api/blobs/")
                        ? ContentType.APPLICATION_OCTET_STREAM : ContentType.APPLICATION_JSON));
            }
            AsyncRequestProducer producer = builder.build();
            HttpClientContext context = HttpClientContext.create();
            context.setRequestConfig(requestConfig(request.timeouts()));
            this.context = context;
            scheduleWatchdog();
            try {
                future = http.execute(producer, this, null, context, this);
            } catch (RuntimeException e) {
                conclude(new OllamaConnectionException("Could not send the request to Ollama at " + request.uri()
                                                       + ": " + e.getMessage(), e), false);
                return;
            }
            if (abortRequested) {
                future.cancel(true);
            }
        }

        @SuppressWarnings("deprecation")
        private RequestConfig requestConfig(Timeouts timeouts) {
            return RequestConfig.custom()
                    .setConnectTimeout(timeouts.connect() > 0 ? Timeout.ofMilliseconds(timeouts.connect()) : Timeout.DISABLED)
                    .setResponseTimeout(Timeout.DISABLED)
                    .setConnectionRequestTimeout(Timeout.DISABLED)
                    .build();
        }

        // ---- AsyncResponseConsumer: called on the I/O thread ----

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context,
                                    FutureCallback<Void> resultCallback) throws HttpException, IOException {
            this.resultCallback = resultCallback;
            firstByte = true;
            lastActivityNanos = System.nanoTime();
            status = response.getCode();
            boolean headNotFound = status == 404 && "HEAD".equals(call.request.method())
                                   && format == ReplyFormat.DOCUMENT;
            if ((status < 200 || status >= 300) && !headNotFound) {
                errorBody = new ByteArrayOutputStream();
                Header retryAfter = response.getFirstHeader("Retry-After");
                retryAfterMillis = retryAfter == null ? 0 : parseRetryAfter(retryAfter.getValue());
                if (entityDetails == null) {
                    concludeWithError();
                }
                return;
            }
            if (format == ReplyFormat.DOCUMENT) {
                document = new ByteArrayOutputStream(entityDetails == null || entityDetails.getContentLength() <= 0
                        ? 256 : (int) Math.min(entityDetails.getContentLength(), settings.maxLineBytes()));
            } else if (call.split) {
                stream = newStream();
                call.succeed(stream);
            }
            if (entityDetails == null) {
                finishBody();
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private ReplyStream<Object> newStream() {
            ReplyStream<?> created = format == ReplyFormat.PROGRESS
                    ? new ProgressStream(SPLIT_CREDIT_THRESHOLD, this::closedByReader)
                    : new ChunkStream(SPLIT_CREDIT_THRESHOLD, this::closedByReader);
            return (ReplyStream) created;
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
            // 1xx: nothing to do
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            capacity = capacityChannel;
            if (stream != null) {
                stream.attachCapacity(capacityChannel);
                // the window ran out in the middle of a line: the reader cannot take it before it ends
                creditPartialLine();
            } else {
                capacityChannel.update(Integer.MAX_VALUE);
            }
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            consumeBody(src);
            if (abortRequested) {
                // this buffer ended the attempt (malformed or error line, too large): fail the exchange so that
                // HttpCore closes the connection even when the body's end arrived in the same read, instead of
                // returning a connection to the pool that its reply was abandoned on
                throw new IOException("the reply was abandoned");
            }
        }

        private void consumeBody(ByteBuffer src) throws IOException {
            if (abortRequested) {
                // failing here makes HttpCore close the connection, so Ollama sees its client leave
                throw new IOException("the reply was abandoned by its reader");
            }
            lastActivityNanos = System.nanoTime();
            if (concluded.get()) {
                src.position(src.limit());
                return;
            }
            if (errorBody != null) {
                int room = ERROR_BODY_LIMIT - errorBody.size();
                int take = Math.min(room, src.remaining());
                for (int i = 0; i < take; i++) {
                    errorBody.write(src.get());
                }
                src.position(src.limit());
                return;
            }
            if (overReplyLimit(src)) {
                return;
            }
            if (document != null) {
                int length = src.remaining();
                if (document.size() + (long) length > settings.maxLineBytes()) {
                    src.position(src.limit());
                    conclude(new OllamaProtocolException("the reply is larger than " + settings.maxLineBytes()
                                                         + " bytes", 1, null, null), true);
                    return;
                }
                if (src.hasArray()) {
                    document.write(src.array(), src.arrayOffset() + src.position(), length);
                    src.position(src.limit());
                } else {
                    byte[] bytes = new byte[length];
                    src.get(bytes);
                    document.write(bytes, 0, length);
                }
                return;
            }
            try {
                splitter.feed(src, this);
            } catch (OllamaException e) {
                flushBatch();
                conclude(midStream(e), true);
                return;
            }
            flushBatch();
            creditPartialLine();
        }

        /**
         * In split mode the window only reopens as the reader takes whole lines, so a line longer than the window
         * would never complete (the reader waits for it, the connection for the reader): credit the bytes of the
         * line still arriving as they come.
         */
        private void creditPartialLine() throws IOException {
            ReplyStream<Object> reading = stream;
            if (reading == null) {
                return;
            }
            int pending = splitter.pendingBytes();
            if (pending == 0) {
                creditedPartialLine = 0;
            } else if (pending > creditedPartialLine && reading.advanceCredit(pending - creditedPartialLine)) {
                creditedPartialLine = pending;
            }
        }

        /**
         * Counts the body against {@code maxReplySize}. When this buffer crosses it, decodes the part within the
         * limit (for the partial text), fails the attempt and aborts the connection; answers whether it did.
         */
        private boolean overReplyLimit(ByteBuffer src) {
            long limit = call.request.maxReplySize();
            if (limit <= 0) {
                return false;
            }
            if (bodyBytes + src.remaining() <= limit) {
                bodyBytes += src.remaining();
                return false;
            }
            ByteBuffer within = src.duplicate();
            within.limit(within.position() + (int) (limit - bodyBytes));
            bodyBytes = limit;
            src.position(src.limit());
            if (document == null) {
                try {
                    splitter.feed(within, this);
                } catch (OllamaException lineTooLong) {
                    // the limit is the better report
                }
                flushBatch();
            }
            if (!concluded.get() && !doneSeen) {
                conclude(new OllamaReplyTooLargeException(limit, partial()), true);
            }
            return true;
        }

        /** In aggregate mode a failure after text arrived carries that text; split mode does it in the stream. */
        private OllamaException midStream(OllamaException failure) {
            if (chunks > 0 && stream == null && !(failure instanceof OllamaStreamInterruptedException)
                && !(failure instanceof OllamaTimeoutException)) {
                return new OllamaStreamInterruptedException(failure.getMessage(), partial(), chunks, failure);
            }
            return failure;
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            if (errorBody != null) {
                concludeWithError();
                return;
            }
            finishBody();
        }

        private void finishBody() {
            if (concluded.get()) {
                completeExchange();
                return;
            }
            if (format == ReplyFormat.DOCUMENT) {
                if (concluded.compareAndSet(false, true)) {
                    cancelWatchdog();
                    ByteArrayOutputStream body = document;
                    synchronized (this) {
                        // handed over in releaseResources(), after the connection went back to the pool
                        finalReply = new DocumentReply(status, body == null ? new byte[0] : body.toByteArray());
                    }
                }
                completeExchange();
                return;
            }
            try {
                splitter.finish(this);
            } catch (OllamaException e) {
                flushBatch();
                conclude(midStream(e), true);
                completeExchange();
                return;
            }
            flushBatch();
            if (concluded.get()) {
                completeExchange();
                return;
            }
            if (doneSeen) {
                if (concluded.compareAndSet(false, true)) {
                    cancelWatchdog();
                    // both are handed over in releaseResources(), after the connection went back to the pool
                    synchronized (this) {
                        if (stream != null) {
                            finalChunkReady = true;
                        } else if (format == ReplyFormat.PROGRESS) {
                            finalReply = new ProgressReply(lastProgress.status(), chunks);
                        } else {
                            finalReply = aggregatedReply();
                        }
                    }
                }
            } else if (stream != null) {
                // the stream reports the missing done line itself, with the text its reader took
                if (concluded.compareAndSet(false, true)) {
                    cancelWatchdog();
                    stream.end();
                }
            } else if (chunks == 0) {
                conclude(new OllamaProtocolException("the reply was empty; expected JSON lines", 1, "", null), false);
            } else if (format == ReplyFormat.PROGRESS) {
                conclude(new OllamaStreamInterruptedException("the progress stream ended before its success line"
                                                              + (lastProgress == null ? ""
                                                                      : " (last status: " + lastProgress.status() + ")"),
                        "", chunks, null), false);
            } else {
                conclude(new OllamaStreamInterruptedException("the stream ended without its final (done) line",
                        partial(), chunks, null), false);
            }
            completeExchange();
        }

        private void completeExchange() {
            FutureCallback<Void> callback = resultCallback;
            if (callback != null) {
                callback.completed(null);
            }
        }

        @Override
        public void failed(Exception cause) {
            onFailure(cause);
        }

        @Override
        public void releaseResources() {
            // HttpClient calls this after it returned the connection to the pool: handing the reply over now lets
            // the route's next request reuse that connection instead of racing it and opening another
            handOverFinalReply();
        }

        // ---- LineSink: one decoded line ----

        @Override
        public void onLine(byte[] buffer, int offset, int length, long lineNumber) {
            creditedPartialLine = 0;
            if (doneSeen || concluded.get()) {
                return;
            }
            if (format == ReplyFormat.PROGRESS) {
                onProgressLine(buffer, offset, length, lineNumber);
                return;
            }
            ChunkDecoder.Decoded decoded = decoder.decode(buffer, offset, length, lineNumber, chunks);
            if (decoded.error() != null) {
                OllamaServerException inStream = new OllamaServerException(200, decoded.error(), null, false);
                flushBatch();
                conclude(midStream(inStream), true);
                return;
            }
            StreamChunk chunk = decoded.chunk();
            chunks++;
            if (chunk.done()) {
                doneSeen = true;
            }
            if (stream == null) {
                accumulate(chunk);
            } else if (chunk.done()) {
                // handed to the reader in releaseResources(), once the connection is back in the pool, so that
                // the route's next request reuses it
                heldFinalChunk = chunk;
            } else {
                batch.add(chunk);
            }
        }

        private void onProgressLine(byte[] buffer, int offset, int length, long lineNumber) {
            ProgressDecoder.Decoded decoded = progressDecoder.decode(buffer, offset, length, lineNumber, chunks);
            if (decoded.error() != null) {
                flushBatch();
                conclude(progressError(decoded.error(), 200), true);
                return;
            }
            ProgressChunk chunk = decoded.chunk();
            chunks++;
            if (chunk.success()) {
                doneSeen = true;
            }
            if (stream == null) {
                lastProgress = chunk;
                java.util.function.Consumer<ProgressChunk> observer = call.progressObserver;
                if (observer != null) {
                    try {
                        observer.accept(chunk);
                    } catch (RuntimeException e) {
                        LOG.debug("A progress observer failed", e);
                    }
                }
            } else if (chunk.success()) {
                heldFinalChunk = chunk;
            } else {
                batch.add(chunk);
            }
        }

        /**
         * A failed pull, push or create. A pull of a model the registry does not have is a
         * {@link ModelNotFoundException}; anything else keeps the server's words.
         */
        private OllamaException progressError(String message, int statusCode) {
            OllamaRequest request = call.request;
            if ("/api/pull".equals(request.path()) && request.model() != null && message != null
                && (message.contains("file does not exist") || message.contains("not found"))) {
                return new ModelNotFoundException(request.model(), message, true);
            }
            return new OllamaServerException(statusCode, message, null, false);
        }

        private void flushBatch() {
            if (stream != null && !batch.isEmpty()) {
                stream.publish(batch);
                batch.clear();
            }
        }

        // synchronized with partial(): a timeout reads the text from the timer thread
        private synchronized void accumulate(StreamChunk chunk) {
            if (text == null) {
                text = new StringBuilder(chunk.text().length() * 8 + 16);
            }
            text.append(chunk.text());
            if (chunk.thinking() != null) {
                if (thinking == null) {
                    thinking = new StringBuilder();
                }
                thinking.append(chunk.thinking());
            }
            if (chunk.toolCalls() != null && !chunk.toolCalls().isEmpty()) {
                if (toolCalls == null) {
                    toolCalls = new ArrayList<>();
                }
                toolCalls.addAll(chunk.toolCalls());
            }
            if (chunk.logprobs() != null) {
                if (logprobs == null) {
                    logprobs = new ArrayList<>();
                }
                logprobs.addAll(chunk.logprobs());
            }
            lastChunk = chunk;
        }

        private AggregatedReply aggregatedReply() {
            StreamChunk last = lastChunk;
            Metrics metrics = last != null && last.metrics() != null ? last.metrics() : Metrics.NONE;
            return new AggregatedReply(text == null ? "" : text.toString(),
                    thinking == null ? null : thinking.toString(),
                    toolCalls == null ? null : List.copyOf(toolCalls),
                    logprobs == null ? null : List.copyOf(logprobs), metrics,
                    last == null ? null : last.model(), last == null ? null : last.createdAt(), chunks);
        }

        private synchronized String partial() {
            return text == null ? "" : text.toString();
        }

        // ---- FutureCallback of the whole exchange ----

        @Override
        public void completed(Void result) {
            // the reply is handed over in releaseResources(), once the connection is back in the pool
        }

        private void handOverFinalReply() {
            Object reply;
            Object last = null;
            synchronized (this) {
                reply = finalReply;
                finalReply = null;
                if (finalChunkReady) {
                    finalChunkReady = false;
                    last = heldFinalChunk;
                }
            }
            if (reply != null) {
                call.succeed(reply);
            }
            if (last != null) {
                stream.publish(List.of(last));
                stream.end();
            }
        }

        @Override
        public void cancelled() {
            conclude(new OllamaException("The Ollama call was cancelled", 0, null, false, null), false);
        }

        private void onFailure(Exception cause) {
            if (concluded.get()) {
                return;
            }
            if (errorBody != null) {
                concludeWithError();
                return;
            }
            OllamaRequest request = call.request;
            if (!firstByte) {
                conclude(connectionFailure(request, cause), false);
            } else {
                conclude(midStream(new OllamaConnectionException("the connection broke: " + describe(cause), cause,
                        false)), false);
            }
        }

        private OllamaException connectionFailure(OllamaRequest request, Exception cause) {
            if (cause instanceof ConnectTimeoutException || cause instanceof SocketTimeoutException) {
                return new OllamaTimeoutException(TimeoutKind.CONNECT, request.timeouts().connect(), "");
            }
            javax.net.ssl.SSLException tls = tlsFailure(cause);
            if (tls != null) {
                // a handshake fails the same way every time: no redelivery
                return new OllamaConnectionException("TLS handshake with Ollama at " + request.baseUri()
                                                     + " failed (" + describe(tls) + "): the server's certificate "
                                                     + "is not trusted, does not match the host, or the server does "
                                                     + "not speak https there. To trust a private or self-signed "
                                                     + "certificate, set sslContextParameters on the ollama "
                                                     + "component (or useGlobalSslContextParameters=true) with a "
                                                     + "trust store that holds it or its CA", tls, false);
            }
            if (cause instanceof UnknownHostException) {
                return new OllamaConnectionException("Cannot resolve the Ollama host of " + request.baseUri()
                                                     + "; check baseUrl or OLLAMA_HOST", cause, false);
            }
            if (cause instanceof ConnectException) {
                return new OllamaConnectionException("Cannot connect to Ollama at " + request.baseUri() + " ("
                                                     + describe(cause) + "); is Ollama running there? Start it with "
                                                     + "'ollama serve', or set baseUrl or OLLAMA_HOST", cause);
            }
            return new OllamaConnectionException("The connection to Ollama at " + request.baseUri()
                                                 + " broke before a reply arrived: " + describe(cause), cause);
        }

        private javax.net.ssl.SSLException tlsFailure(Throwable cause) {
            for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof javax.net.ssl.SSLException ssl) {
                    return ssl;
                }
            }
            return null;
        }

        private void concludeWithError() {
            if (concluded.get()) {
                completeExchange();
                return;
            }
            String body = errorBody == null ? "" : errorBody.toString(StandardCharsets.UTF_8);
            String message = serverMessage(body);
            OllamaRequest request = call.request;
            OllamaException failure;
            if (status == 404 && message != null && message.contains("not found")
                && request.model() != null && !message.startsWith("blob")) {
                failure = new ModelNotFoundException(request.model(), message);
            } else if (format == ReplyFormat.PROGRESS && status == 500 && message != null
                       && "/api/pull".equals(request.path()) && message.contains("file does not exist")) {
                // stream:false reports a failed pull as 500: an unknown model is not worth a redelivery
                failure = progressError(message, status);
            } else if (status == 400) {
                failure = new OllamaBadRequestException(message != null ? message : body);
            } else if (status == 404) {
                failure = new OllamaServerException(404, message, body + " (no such endpoint at " + request.uri()
                                                                 + "; check that baseUrl points at an Ollama server)",
                        false);
            } else {
                failure = new OllamaServerException(status, message, body, request.retry().isRetryableStatus(status));
            }
            conclude(failure, false);
            completeExchange();
        }

        private String serverMessage(String body) {
            if (body.isEmpty() || body.charAt(0) != '{') {
                return null;
            }
            try {
                JsonNode node = mapper.readTree(body);
                JsonNode error = node.get("error");
                return error == null || error.isNull() ? null : error.isTextual() ? error.asText() : error.toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * Ends this attempt once. A failure before any reply goes back to the call, which may retry; a failure
         * after a stream was handed over goes into that stream.
         */
        private void conclude(OllamaException failure, boolean abortConnection) {
            if (!concluded.compareAndSet(false, true)) {
                return;
            }
            cancelWatchdog();
            if (abortConnection) {
                abortHttp();
            }
            if (stream != null) {
                Object last = heldFinalChunk;
                if (last != null) {
                    // the final line had arrived whole: what broke afterwards was only the end of the HTTP body
                    stream.publish(List.of(last));
                    stream.end();
                } else {
                    stream.fail(failure);
                }
            } else {
                call.attemptFailed(failure, retryAfterMillis, chunks > 0);
            }
        }

        void abort(OllamaException reason) {
            conclude(reason, true);
            abortHttp();
        }

        private void abortHttp() {
            abortRequested = true;
            Future<Void> running = future;
            if (running != null) {
                running.cancel(true);
            }
            HttpClientContext exchange = context;
            if (exchange != null
                && exchange.getAttribute(EXEC_RUNTIME) instanceof org.apache.hc.client5.http.async.AsyncExecRuntime runtime) {
                // closes the socket now: Ollama sees its client leave even while it is still loading or thinking
                runtime.discardEndpoint();
            }
            // a paused split stream reads nothing, so cancel alone might never reach the socket: open the window
            // and let the next consume() fail the connection
            CapacityChannel channel = capacity;
            if (channel != null) {
                try {
                    channel.update(Integer.MAX_VALUE);
                } catch (IOException | RuntimeException closed) {
                    // already closed: nothing left to abort
                }
            }
        }

        /** The reader closed the stream before its end: abort so that Ollama stops generating. */
        private void closedByReader() {
            if (concluded.compareAndSet(false, true)) {
                cancelWatchdog();
                abortHttp();
            }
        }

        // ---- timeouts ----

        private void scheduleWatchdog() {
            Timeouts timeouts = call.request.timeouts();
            if (timeouts.firstByte() == 0 && timeouts.idle() == 0 && timeouts.total() == 0) {
                return;
            }
            watched.add(this);
        }

        private long lastSeen() {
            ReplyStream<Object> reading = stream;
            return reading == null ? lastActivityNanos : Math.max(lastActivityNanos, reading.lastTakeNanos());
        }

        /** Called by the sweep: ends the attempt when one of its budgets ran out. */
        void checkTimeouts(long now) {
            if (concluded.get()) {
                watched.remove(this);
                return;
            }
            Timeouts timeouts = call.request.timeouts();
            if (timeouts.total() > 0 && elapsedMillis(startNanos, now) >= timeouts.total()) {
                timedOut(TimeoutKind.TOTAL, timeouts.total());
            } else if (!firstByte) {
                if (uploading) {
                    // the file is still being sent: only a stalled upload counts, against the idle budget
                    if (timeouts.idle() > 0 && elapsedMillis(uploadActivityNanos, now) >= timeouts.idle()) {
                        timedOut(TimeoutKind.IDLE, timeouts.idle());
                    }
                } else if (timeouts.firstByte() > 0
                           && elapsedMillis(uploadEndNanos != 0 ? uploadEndNanos : startNanos, now)
                              >= timeouts.firstByte()) {
                    timedOut(TimeoutKind.FIRST_BYTE, timeouts.firstByte());
                }
            } else if (timeouts.idle() > 0 && elapsedMillis(lastSeen(), now) >= timeouts.idle()
                       && (stream == null || stream.isStarved())) {
                timedOut(TimeoutKind.IDLE, timeouts.idle());
            }
        }

        private void timedOut(TimeoutKind kind, long millis) {
            conclude(new OllamaTimeoutException(kind, millis, partial()), true);
        }

        private void cancelWatchdog() {
            watched.remove(this);
        }

        /** Sends a file and tells the watchdog how the upload goes. */
        private final class UploadProducer extends AsyncEntityProducerWrapper {

            private final EndWatchingChannel channel = new EndWatchingChannel();

            UploadProducer(AsyncEntityProducer file) {
                super(file);
            }

            @Override
            public void produce(DataStreamChannel target) throws IOException {
                uploadActivityNanos = System.nanoTime();
                channel.target = target;
                super.produce(channel);
            }
        }

        /** Passes everything through and notes the end of the request body. */
        private final class EndWatchingChannel implements DataStreamChannel {

            DataStreamChannel target;

            @Override
            public void requestOutput() {
                target.requestOutput();
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return target.write(src);
            }

            @Override
            public void endStream() throws IOException {
                uploaded();
                target.endStream();
            }

            @Override
            public void endStream(List<? extends Header> trailers) throws IOException {
                uploaded();
                target.endStream(trailers);
            }

            private void uploaded() {
                uploadEndNanos = System.nanoTime();
                uploading = false;
            }
        }
    }

    private static long elapsedMillis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** {@code Retry-After} is either seconds or an HTTP date. */
    static long parseRetryAfter(String value) {
        String text = value.trim();
        try {
            return Math.max(0, (long) (Double.parseDouble(text) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, when.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException notADate) {
                return 0;
            }
        }
    }
}
