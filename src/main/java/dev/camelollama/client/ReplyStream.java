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
 * The decoded lines of a reply that is still arriving, pulled one at a time by the thread that processes them: the
 * generation chunks of chat/generate ({@link ChunkStream}) or the progress lines of pull/push/create
 * ({@link ProgressStream}). The I/O thread decodes lines and queues them; the reader takes them with
 * {@link #next()}, which blocks until the next one arrives. Memory stays bounded: the connection only reads as many
 * bytes as the reader has taken, so a slow route slows the socket instead of filling the heap.
 * <p>
 * {@link #hasMore()} answers from state alone and never blocks, so that a consumer that asks for the next element
 * before processing the current one (Camel's Splitter does) still gets each item the moment it arrives.
 * {@link #close()} before the end aborts the HTTP call, which tells Ollama to stop.
 *
 * @param <T> the decoded line
 */
public abstract class ReplyStream<T> implements Closeable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final int creditThreshold;
    private final Runnable onEarlyClose;

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

    ReplyStream(int creditThreshold, Runnable onEarlyClose) {
        this.creditThreshold = creditThreshold;
        this.onEarlyClose = onEarlyClose;
    }

    /** The size of the item's line on the wire, for flow control. */
    abstract int wireBytes(T item);

    /** Whether the item is the reply's last one (a done chunk, a success line). */
    abstract boolean isFinal(T item);

    /** Called under the stream's lock for every item the reader takes. */
    void taken(T item) {
    }

    /**
     * The exception to throw for a failure (or, when {@code cause} is null, for a reply that ended without its last
     * line), given how many items the reader took.
     */
    abstract OllamaException failureToThrow(OllamaException cause, long deliveredSoFar);

    /**
     * Whether {@link #next()} has something to give: an item, or the failure that ends the stream. False once the
     * final item was taken, once a failure was thrown, and once the stream is closed.
     */
    public boolean hasMore() {
        return !closed && !doneDelivered && !failureThrown;
    }

    /**
     * The next item, waiting for it if it has not arrived yet.
     *
     * @throws OllamaException        when the reply broke: a timeout, an in-stream error, a lost connection, or a
     *                                stream that ended without its final line
     * @throws NoSuchElementException when there is nothing more
     */
    public T next() {
        T item;
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
            item = queue.poll();
            if (item == null) {
                failureThrown = true;
                throw failureToThrow(failure, delivered);
            }
            lastTakeNanos = System.nanoTime();
            pendingCredit += wireBytes(item) + 1;
            if (pendingCredit >= creditThreshold && capacity != null) {
                credit = pendingCredit;
                channel = capacity;
                pendingCredit = 0;
            }
            if (isFinal(item)) {
                doneDelivered = true;
            }
            delivered++;
            taken(item);
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
        return item;
    }

    /** How many items were taken so far. */
    public long chunksDelivered() {
        return delivered;
    }

    /**
     * Stops reading. Before the final item arrived this aborts the HTTP call (Ollama stops when its client leaves);
     * afterwards the connection finishes normally and goes back to the pool. Idempotent.
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

    /** The text taken so far, for failure reports; empty for streams without text. */
    String partialText() {
        return "";
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

    /**
     * Grants the connection credit for bytes of a line that has not ended yet, so that a line longer than the
     * window (a long tool call, a final chunk with a large {@code context}) can arrive at all. The reader's takes pay
     * it back before they credit anything more, so the window stays bounded by the longest line. Answers false
     * (and grants nothing) while the connection has not asked for capacity yet: its initial window is still open.
     */
    boolean advanceCredit(int bytes) throws IOException {
        CapacityChannel channel;
        lock.lock();
        try {
            channel = capacity;
            if (channel == null) {
                return false;
            }
            pendingCredit -= bytes;
        } finally {
            lock.unlock();
        }
        channel.update(bytes);
        return true;
    }

    void publish(List<? extends T> items) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (T item : items) {
                queue.add(item);
                if (isFinal(item)) {
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
