package dev.camelollama.simulator;

import dev.camelollama.simulator.ServedResponse.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An Ollama-protocol HTTP/1.1 server on 127.0.0.1 for tests, demos and users' own route tests, in the spirit of
 * OkHttp's MockWebServer. It runs on a raw socket so tests can observe and break connections: keep-alive reuse,
 * clients that leave mid-stream, resets, stalls.
 *
 * <p>Without a script it answers {@code /api/generate} and {@code /api/chat} deterministically (see
 * {@link #expectedReply}), {@code /api/embed} with deterministic unit vectors (see {@link #expectedEmbedding}),
 * and every model-management endpoint as a small stateful server would: {@code /api/tags}, {@code /api/show},
 * {@code /api/ps}, {@code /api/pull} (progress stream; an unknown model fails as Ollama fails), {@code /api/push},
 * {@code /api/create}, {@code /api/copy}, {@code /api/delete}, {@code HEAD}/{@code POST /api/blobs/:digest}
 * (the digest of the upload is checked), plus {@code /} and {@code /api/version}. Pulls, creates and copies add
 * models, deletes remove them. A queued {@link ScriptedReply} replaces the default for the next request on any
 * path but the health and info paths; {@link #enqueueFor} scripts one path, those included. Every request is
 * recorded ({@link #takeRequest()}) and every response's end is counted ({@link #servedResponses()}).
 *
 * <pre>{@code
 * try (OllamaSimulator sim = OllamaSimulator.start()) {
 *     sim.enqueue(ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));
 *     // point the client at sim.baseUrl(), call it twice: 503 then the default 200
 *     RecordedRequest first = sim.takeRequest();
 * }
 * }</pre>
 *
 * <p>Thread-safe: configure, enqueue and inspect from any thread while requests are served.
 */
public final class OllamaSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OllamaSimulator.class.getName());
    private static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** A long-running demo must not grow without bound; tests never come near this many. */
    private static final int MAX_HISTORY = 10_000;

    private final ServerSocket serverSocket;
    private final ExecutorService connectionThreads;
    private final Thread acceptThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<SimulatorConnection> connections = ConcurrentHashMap.newKeySet();

    private volatile SimulatorSettings settings = SimulatorSettings.DEFAULT;
    private final Queue<ScriptedReply> script = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<ScriptedReply>> pathScripts = new ConcurrentHashMap<>();
    private final List<Map.Entry<Predicate<RecordedRequest>, ScriptedReply>> standingRules =
            new CopyOnWriteArrayList<>();
    /** Digests ({@code sha256:<hex>}) of the blobs uploaded so far. */
    private final Set<String> blobs = ConcurrentHashMap.newKeySet();
    /** Loaded models (matching key) to the time they would be unloaded, for {@code /api/ps}. */
    private final Map<String, Instant> loaded = new ConcurrentHashMap<>();
    private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final Deque<ServedResponse> served = new ArrayDeque<>();

    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger requestsServed = new AtomicInteger();
    private final AtomicInteger abandonedStreams = new AtomicInteger();

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();

    private final boolean tls;

    private OllamaSimulator(javax.net.ssl.SSLContext sslContext) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        tls = sslContext != null;
        serverSocket = tls ? sslContext.getServerSocketFactory().createServerSocket(0, 50, loopback)
                : new ServerSocket(0, 50, loopback);
        int instance = INSTANCES.incrementAndGet();
        connectionThreads = Executors.newCachedThreadPool(daemonThreads("ollama-simulator-" + instance + "-conn-"));
        acceptThread = new Thread(this::acceptConnections, "ollama-simulator-" + instance + "-accept");
        acceptThread.setDaemon(true);
    }

    /**
     * Starts a simulator on an ephemeral port of 127.0.0.1, so parallel tests never collide on a port.
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static OllamaSimulator start() {
        return start(null);
    }

    /**
     * Starts a simulator that speaks https with the key of {@code sslContext} (everything else as {@link #start()});
     * {@link #baseUrl()} then begins with {@code https://}. The TLS handshake runs on the connection's thread, so
     * a client that refuses the certificate only ends that connection.
     */
    public static OllamaSimulator startTls(javax.net.ssl.SSLContext sslContext) {
        return start(java.util.Objects.requireNonNull(sslContext, "sslContext"));
    }

    private static OllamaSimulator start(javax.net.ssl.SSLContext sslContext) {
        try {
            OllamaSimulator simulator = new OllamaSimulator(sslContext);
            simulator.acceptThread.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Ollama simulator", e);
        }
    }

    /**
     * The full text of a default generate/chat reply, so a test can assert without restating the rule: chunk
     * {@code i} is word {@code i % n} of the prompt's {@code n} whitespace-separated words, preceded by a space
     * except for the first chunk; a prompt without words counts as {@code ok}.
     */
    public static String expectedReply(String prompt, int chunkCount) {
        if (chunkCount < 0) {
            throw new IllegalArgumentException("chunkCount must be >= 0");
        }
        return DeterministicReply.fullText(prompt, chunkCount);
    }

    /**
     * The {@code logprob} the default generate/chat reply gives chunk {@code chunkIndex} when the request asked for
     * {@code logprobs}: -0.125 times (1 + the position of the chunk's word among the prompt's words). Each entry's
     * {@code token} is the chunk's text and {@code bytes} its UTF-8 bytes; with {@code top_logprobs=k} the entry
     * lists k alternatives: the chunk's own token first, then {@code alt1}, {@code alt2}, ... each 1.0 lower.
     */
    public static double expectedLogprob(String prompt, int chunkIndex) {
        if (chunkIndex < 0) {
            throw new IllegalArgumentException("chunkIndex must be >= 0");
        }
        return DeterministicReply.logprob(DeterministicReply.words(prompt), chunkIndex);
    }

    // ---- where it listens

    /** {@code http://127.0.0.1:<port>} ({@code https://} when started with TLS), a client's base URL. */
    public String baseUrl() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** {@link #baseUrl()} plus a path such as {@code /api/chat}, for clients that take full URLs. */
    public String url(String path) {
        return baseUrl() + (path.startsWith("/") ? path : "/" + path);
    }

    /** The ephemeral port, for raw-socket tests. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    // ---- default behaviour

    /** How many text chunks a default reply has (default 5); large values exercise throughput. */
    public OllamaSimulator chunkCount(int chunkCount) {
        if (chunkCount < 0) {
            throw new IllegalArgumentException("chunkCount must be >= 0");
        }
        updateSettings(current -> current.withChunkCount(chunkCount));
        return this;
    }

    /** Delay before the status line of a default generate/chat reply, as while Ollama loads a model. */
    public OllamaSimulator firstByteDelay(Duration delay) {
        Duration checked = checkDelay(delay);
        updateSettings(current -> current.withFirstByteDelay(checked));
        return this;
    }

    /** Delay before each line of a default stream, to exercise idle-gap timeouts and progressive delivery. */
    public OllamaSimulator chunkDelay(Duration delay) {
        Duration checked = checkDelay(delay);
        updateSettings(current -> current.withChunkDelay(checked));
        return this;
    }

    /**
     * Replaces the models the simulator has (default {@code llama3.2}, {@code qwen3}, {@code nomic-embed-text}), so
     * a test can provoke "model not found"; a name without tag means {@code :latest}.
     */
    public OllamaSimulator models(String... names) {
        ModelCatalog catalog = ModelCatalog.of(names);
        updateSettings(current -> current.withCatalog(catalog));
        return this;
    }

    /**
     * Replaces the models a pull can find (by default a dozen well-known names such as {@code llama3.2},
     * {@code qwen3}, {@code mistral}, {@code all-minilm}); pulling any other name fails with Ollama's
     * {@code pull model manifest: file does not exist}.
     */
    public OllamaSimulator registry(String... names) {
        ModelCatalog registry = ModelCatalog.of(names);
        updateSettings(current -> current.withRegistry(registry));
        return this;
    }

    /** The local models right now (tagged names), as {@code /api/tags} would list them. */
    public List<String> localModels() {
        return settings.catalog().names();
    }

    /** The digests ({@code sha256:<hex>}) of the blobs the simulator holds. */
    public Set<String> blobs() {
        return Set.copyOf(blobs);
    }

    /**
     * The vector the default {@code /api/embed} gives for this text: {@code dimensions} components (8 when 0),
     * derived from the text's SHA-256 and L2-normalised, so a test can assert exact values.
     */
    public static float[] expectedEmbedding(String text, int dimensions) {
        return Embeddings.vector(text, dimensions);
    }

    /** With {@code true}, generate/chat answer for any model name, for tests that do not care about models. */
    public OllamaSimulator acceptAnyModel(boolean acceptAnyModel) {
        updateSettings(current -> current.withAcceptAnyModel(acceptAnyModel));
        return this;
    }

    // ---- scripting

    /**
     * Queues a reply for the next request on any path but {@code /}, {@code /api/version} and {@code /api/tags}
     * (health checks must not eat a script). Replies are used first in, first out.
     */
    public OllamaSimulator enqueue(ScriptedReply reply) {
        script.add(Objects.requireNonNull(reply, "reply"));
        return this;
    }

    /** Queues several replies in order, see {@link #enqueue(ScriptedReply)}. */
    public OllamaSimulator enqueue(ScriptedReply... replies) {
        for (ScriptedReply reply : replies) {
            enqueue(reply);
        }
        return this;
    }

    /**
     * Queues a reply for the next request on this path only (e.g. {@code /api/tags}), health and info paths included;
     * it is used before any reply queued with {@link #enqueue(ScriptedReply)}.
     */
    public OllamaSimulator enqueueFor(String path, ScriptedReply reply) {
        Objects.requireNonNull(path, "path");
        pathScripts.computeIfAbsent(path, any -> new ConcurrentLinkedQueue<>())
                .add(Objects.requireNonNull(reply, "reply"));
        return this;
    }

    /**
     * Answers every request that {@code matching} accepts with {@code reply}, now and for as long as the simulator
     * runs, before any queued reply: a prompt the server fails on every attempt, however often it is redelivered
     * and whichever connection it comes on.
     */
    public OllamaSimulator answerEvery(Predicate<RecordedRequest> matching, ScriptedReply reply) {
        standingRules.add(Map.entry(Objects.requireNonNull(matching, "matching"),
                Objects.requireNonNull(reply, "reply")));
        return this;
    }

    /** Scripted replies not used yet (path-bound ones included), so a test can check its script was consumed. */
    public int queuedReplies() {
        int pathBound = 0;
        for (Queue<ScriptedReply> queue : pathScripts.values()) {
            pathBound += queue.size();
        }
        return script.size() + pathBound;
    }

    // ---- recording

    /**
     * The oldest request not taken yet, waiting up to 10 s.
     *
     * @throws IllegalStateException if no request arrives within 10 s, so a test fails with a clear message
     *     rather than a later {@code NullPointerException}
     */
    public RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest request = takeRequest(DEFAULT_TAKE_TIMEOUT);
        if (request == null) {
            throw new IllegalStateException("no request reached the simulator within " + DEFAULT_TAKE_TIMEOUT);
        }
        return request;
    }

    /**
     * The oldest request not taken yet, or {@code null} if none arrives within {@code timeout}. Only the latest
     * 10,000 untaken requests are kept.
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Requests received so far, taken or not. */
    public int requestCount() {
        return requestCount.get();
    }

    // ---- counters

    /** TCP connections accepted so far; with keep-alive, fewer than requests. */
    public int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Connections currently open, to check that a client releases or closes what it used. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Responses written to the end, errors included, without the client leaving first. */
    public int requestsServed() {
        return requestsServed.get();
    }

    /** Responses the client left before their end (a write or flush failed), e.g. a cancelled stream. */
    public int abandonedStreams() {
        return abandonedStreams.get();
    }

    /** How every response so far ended, in the order they ended (the latest 10,000). */
    public List<ServedResponse> servedResponses() {
        stateLock.lock();
        try {
            return List.copyOf(served);
        } finally {
            stateLock.unlock();
        }
    }

    /** The response that ended last, or {@code null} if none has. */
    public ServedResponse lastServedResponse() {
        stateLock.lock();
        try {
            return served.peekLast();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * NDJSON lines handed to the operating system by the streamed response that ended last, or -1 if none has; with
     * {@link #awaitAbandonedStreams} it tells how far a client read before it left.
     */
    public int linesWrittenInLastStream() {
        stateLock.lock();
        try {
            for (Iterator<ServedResponse> newestFirst = served.descendingIterator(); newestFirst.hasNext();) {
                ServedResponse response = newestFirst.next();
                if (response.streamed()) {
                    return response.linesWritten();
                }
            }
            return -1;
        } finally {
            stateLock.unlock();
        }
    }

    /** Waits until at least {@code count} responses were abandoned by their client; false on timeout. */
    public boolean awaitAbandonedStreams(int count, Duration timeout) throws InterruptedException {
        return awaitState(() -> abandonedStreams.get() >= count, timeout);
    }

    /**
     * Waits until at least {@code count} responses have ended in any way; false on timeout. The client can see a
     * response's end before the simulator records it, so assert on {@link #servedResponses()} after this.
     */
    public boolean awaitServedResponses(int count, Duration timeout) throws InterruptedException {
        return awaitState(() -> servedCount() >= count, timeout);
    }

    /** Waits until no connection is open, e.g. after a client was closed; false on timeout. */
    public boolean awaitConnectionsClosed(Duration timeout) throws InterruptedException {
        return awaitState(() -> openConnections.get() == 0, timeout);
    }

    // ---- lifecycle

    /**
     * Stops accepting, closes every connection (clients see a reset or end of stream) and stops all threads,
     * waiting at most about 5 s. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the server socket: {0}", e.toString());
        }
        connections.forEach(SimulatorConnection::closeSocket);
        connectionThreads.shutdownNow();
        try {
            acceptThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (!connectionThreads.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.log(Level.DEBUG, "connection threads still running after {0}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signalStateChange();
    }

    // ---- called by connections

    boolean isClosed() {
        return closed.get();
    }

    void recordRequest(RecordedRequest request) {
        requestCount.incrementAndGet();
        requests.add(request);
        while (requests.size() > MAX_HISTORY) {
            requests.poll();
        }
    }

    ReplyPlan planFor(RecordedRequest request) {
        for (Map.Entry<Predicate<RecordedRequest>, ScriptedReply> rule : standingRules) {
            if (rule.getKey().test(request)) {
                return rule.getValue().toPlan();
            }
        }
        Queue<ScriptedReply> forPath = pathScripts.get(request.path());
        ScriptedReply bound = forPath == null ? null : forPath.poll();
        if (bound != null) {
            return bound.toPlan();
        }
        if (!DefaultReplies.UNSCRIPTED_PATHS.contains(request.path())) {
            ScriptedReply reply = script.poll();
            if (reply != null) {
                return reply.toPlan();
            }
        }
        return DefaultReplies.plan(request, settings, this);
    }

    // ---- state changed by the default model-management replies

    /** Applies a change to the local models atomically (pull, create, copy, delete). */
    void changeCatalog(UnaryOperator<ModelCatalog> change) {
        updateSettings(current -> current.withCatalog(change.apply(current.catalog())));
    }

    /** Applies a change to what a pull can find atomically (push). */
    void changeRegistry(UnaryOperator<ModelCatalog> change) {
        updateSettings(current -> current.withRegistry(change.apply(current.registry())));
    }

    /** The current snapshot, for a reply that changed the state before it answers. */
    SimulatorSettings settings() {
        return settings;
    }

    /** Adds a blob; answers whether it was new. */
    boolean addBlob(String digest) {
        return blobs.add(digest);
    }

    boolean hasBlob(String digest) {
        return blobs.contains(digest);
    }

    /** Notes that a model served a request and stays loaded for five minutes, as Ollama's default keep_alive. */
    void markLoaded(String model) {
        loaded.put(ModelCatalog.key(model), Instant.now().plusSeconds(300));
    }

    void unload(String model) {
        loaded.remove(ModelCatalog.key(model));
    }

    Map<String, Instant> loadedModels() {
        return Map.copyOf(loaded);
    }

    void responseFinished(ServedResponse response) {
        if (response.outcome() == Outcome.COMPLETED) {
            requestsServed.incrementAndGet();
        } else if (response.outcome() == Outcome.CLIENT_LEFT) {
            abandonedStreams.incrementAndGet();
        }
        stateLock.lock();
        try {
            served.addLast(response);
            if (served.size() > MAX_HISTORY) {
                served.removeFirst();
            }
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    void connectionFinished(SimulatorConnection connection) {
        if (connections.remove(connection)) {
            openConnections.decrementAndGet();
            signalStateChange();
        }
    }

    // ---- internals

    private void acceptConnections() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.log(Level.DEBUG, "accept failed, simulator stops accepting: {0}", e.toString());
                }
                return;
            }
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "TCP_NODELAY: {0}", e.toString());
            }
            SimulatorConnection connection =
                    new SimulatorConnection(this, socket, connectionsAccepted.getAndIncrement());
            connections.add(connection);
            openConnections.incrementAndGet();
            signalStateChange();
            if (closed.get()) {
                connection.closeSocket();
                connectionFinished(connection);
                return;
            }
            try {
                connectionThreads.execute(connection);
            } catch (RejectedExecutionException e) {
                connection.closeSocket();
                connectionFinished(connection);
            }
        }
    }

    private int servedCount() {
        stateLock.lock();
        try {
            return served.size();
        } finally {
            stateLock.unlock();
        }
    }

    private boolean awaitState(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        stateLock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = stateChanged.awaitNanos(remaining);
            }
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    private void signalStateChange() {
        stateLock.lock();
        try {
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    private synchronized void updateSettings(UnaryOperator<SimulatorSettings> change) {
        settings = change.apply(settings);
    }

    private static Duration checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return delay;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
