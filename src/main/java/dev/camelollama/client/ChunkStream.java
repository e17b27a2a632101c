package dev.camelollama.client;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * The chunks of a reply that is still arriving, pulled one at a time by the thread that processes them. The I/O
 * thread decodes lines and queues them; the reader takes them with {@link #next()}, which blocks until the next
 * chunk arrives. Memory stays bounded: the connection only reads as many bytes as the reader has taken, so a slow
 * route slows the socket instead of filling the heap.
 * <p>
 * {@link #hasMore()} answers from state alone and never blocks, so that a consumer that asks for the next element
 * before processing the current one (Camel's Splitter does) still gets each chunk the moment it arrives.
 * {@link #close()} before the end aborts the HTTP call, which tells Ollama to stop generating.
 */
public final class ChunkStream implements Closeable {

    /** The partial text kept for a failure report is capped so that a long stream stays bounded in memory. */
    static final int PARTIAL_TEXT_LIMIT = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<StreamChunk> queue = new ArrayDeque<>();
    private final int creditThreshold;
    private final Runnable onEarlyClose;
    private final StringBuilder partialText = new StringBuilder();

    private CapacityChannel capacity;
    private int pendingCredit;
    private OllamaException failure;
    private boolean ended;
    private boolean doneQueued;
    private boolean doneDelivered;
    private boolean failureThrown;
    private long delivered;
    private volatile boolean closed;
    private volatile long lastTakeNanos = System.nanoTime();

    ChunkStream(int creditThreshold, Runnable onEarlyClose) {
        this.creditThreshold = creditThreshold;
        this.onEarlyClose = onEarlyClose;
    }

    /**
     * Whether {@link #next()} has something to give: a chunk, or the failure that ends the stream. False once the
     * final chunk was taken, once a failure was thrown, and once the stream is closed.
     */
    public boolean hasMore() {
        return !closed && !doneDelivered && !failureThrown;
    }

    /**
     * The next chunk, waiting for it if it has not arrived yet.
     *
     * @throws OllamaException        when the reply broke: a timeout, an in-stream error, a lost connection, or a
     *                                stream that ended without its final line
     * @throws NoSuchElementException when there is nothing more
     */
    public StreamChunk next() {
        StreamChunk chunk;
        int credit = 0;
        CapacityChannel channel = null;
        lock.lock();
        try {
            while (queue.isEmpty() && failure == null && !ended && !closed) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closeQuietly();
                    throw new OllamaStreamInterruptedException("the reading thread was interrupted", partialText(),
                            delivered, null);
                }
            }
            if (closed || doneDelivered || failureThrown) {
                throw new NoSuchElementException("the Ollama reply stream is closed or finished");
            }
            chunk = queue.poll();
            if (chunk == null) {
                failureThrown = true;
                throw failureToThrow();
            }
            lastTakeNanos = System.nanoTime();
            pendingCredit += chunk.wireBytes() + 1;
            if (pendingCredit >= creditThreshold && capacity != null) {
                credit = pendingCredit;
                channel = capacity;
                pendingCredit = 0;
            }
            if (chunk.done()) {
                doneDelivered = true;
            }
            delivered++;
            if (partialText.length() < PARTIAL_TEXT_LIMIT) {
                String text = chunk.text();
                partialText.append(text, 0, Math.min(text.length(), PARTIAL_TEXT_LIMIT - partialText.length()));
            }
        } finally {
            lock.unlock();
        }
        if (channel != null) {
            try {
                channel.update(credit);
            } catch (IOException e) {
                // the connection is gone: the failure arrives through fail() and the next call to next()
            }
        }
        return chunk;
    }

    /** How many chunks were taken so far. */
    public long chunksDelivered() {
        return delivered;
    }

    /**
     * Stops reading. Before the final chunk arrived this aborts the HTTP call (Ollama stops generating when its
     * client leaves); afterwards the connection finishes normally and goes back to the pool. Idempotent.
     */
    @Override
    public void close() {
        boolean early;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            early = !doneQueued && failure == null && !ended;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (early) {
            onEarlyClose.run();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void closeQuietly() {
        lock.unlock();
        try {
            close();
        } finally {
            lock.lock();
        }
    }

    private OllamaException failureToThrow() {
        OllamaException cause = failure;
        if (cause == null) {
            return new OllamaStreamInterruptedException("the stream ended without its final (done) line",
                    partialText(), delivered, null);
        }
        if (cause instanceof OllamaTimeoutException timeout) {
            OllamaTimeoutException withText = new OllamaTimeoutException(timeout.getKind(), timeout.timeoutMillis(),
                    partialText());
            return withText;
        }
        if (delivered > 0 && !(cause instanceof OllamaStreamInterruptedException)) {
            return new OllamaStreamInterruptedException(cause.getMessage(), partialText(), delivered, cause);
        }
        return cause;
    }

    private String partialText() {
        return partialText.toString();
    }

    // ---- the I/O side ----

    void attachCapacity(CapacityChannel channel) throws IOException {
        int credit;
        lock.lock();
        try {
            capacity = channel;
            credit = pendingCredit;
            pendingCredit = 0;
        } finally {
            lock.unlock();
        }
        if (credit > 0) {
            channel.update(credit);
        }
    }

    void publish(List<StreamChunk> chunks) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (StreamChunk chunk : chunks) {
                queue.add(chunk);
                if (chunk.done()) {
                    doneQueued = true;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void fail(OllamaException cause) {
        lock.lock();
        try {
            if (failure == null && !doneQueued) {
                failure = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True when the reader waits for the server, so that a pause counts against the idle timeout. */
    boolean isStarved() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    long lastTakeNanos() {
        return lastTakeNanos;
    }
}
