package dev.camelollama;

import java.io.Closeable;
import java.util.Iterator;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

import dev.camelollama.client.ProgressChunk;
import dev.camelollama.client.ProgressStream;

/**
 * The body of a split-mode pull, push or create: one Camel {@link Message} per progress line, for
 * {@code split(body()).streaming()}, while the operation runs. The body is the status text; the headers are the
 * parent's plus {@code CamelOllamaStatus}, {@code CamelOllamaDigest}, {@code CamelOllamaTotal},
 * {@code CamelOllamaCompleted}, {@code CamelOllamaPercent}, {@code CamelOllamaChunkIndex} and
 * {@code CamelOllamaDone} (true on the closing {@code success} line). An {@code {"error"}} line is thrown by
 * {@link #next()}. Same contract as {@link ChunkMessageIterator}: {@code hasNext()} never blocks, answers false once
 * the parent exchange failed, and {@link #close()} before the end aborts the HTTP call.
 */
public final class ProgressMessageIterator implements Iterator<Message>, Closeable {

    private final Exchange parent;
    private final ProgressStream stream;
    private final Map<String, Object> parentHeaders;

    ProgressMessageIterator(Exchange parent, ProgressStream stream) {
        this.parent = parent;
        this.stream = stream;
        this.parentHeaders = parent.getIn().getHeaders();
    }

    @Override
    public boolean hasNext() {
        if (parent.getException() != null) {
            stream.close();
            return false;
        }
        return stream.hasMore();
    }

    @Override
    public Message next() {
        ProgressChunk chunk = stream.next();
        Message message = new DefaultMessage(parent.getContext());
        if (!parentHeaders.isEmpty()) {
            message.getHeaders().putAll(parentHeaders);
        }
        message.setBody(chunk.status());
        message.setHeader(OllamaConstants.CHUNK_INDEX, chunk.index());
        message.setHeader(OllamaConstants.DONE, chunk.success());
        ProgressHandler.putProgress(message, chunk);
        return message;
    }

    /** How many progress lines the route has taken so far. */
    public long chunksDelivered() {
        return stream.chunksDelivered();
    }

    /** Stops the stream; before its end this aborts the HTTP call. Idempotent. */
    @Override
    public void close() {
        stream.close();
    }
}
