package dev.camelollama;

import java.io.Closeable;
import java.util.Iterator;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

import dev.camelollama.client.ChunkStream;
import dev.camelollama.client.StreamChunk;

/**
 * The body of a split-mode reply: one Camel {@link Message} per chunk, for {@code split(body()).streaming()}. Each
 * message carries the parent's headers plus the chunk's own; its body is the chunk's text.
 * <p>
 * Shaped by how Camel's Splitter uses an iterator: it asks {@link #hasNext()} for the following element before it
 * processes the current one, so {@code hasNext()} never waits on the socket (it answers from state alone) and
 * {@link #next()} does the waiting. After a failure the Splitter would drain what is left, so {@code hasNext()}
 * answers false once the parent exchange has failed; the Splitter then closes the iterator, which aborts the HTTP
 * call and tells Ollama to stop generating.
 */
public final class ChunkMessageIterator implements Iterator<Message>, Closeable {

    /** Told the whole reply once its final chunk was taken (conversation memory in split mode). */
    interface TurnListener {
        void replyComplete(String text, String thinking, java.util.List<dev.camelollama.api.ToolCall> toolCalls);
    }

    private final Exchange parent;
    private final ChunkStream stream;
    private final Map<String, Object> parentHeaders;
    private final boolean dropThinking;
    private final TurnListener turnListener;
    private final StringBuilder text;
    private final StringBuilder thinking;
    private java.util.List<dev.camelollama.api.ToolCall> toolCalls;

    ChunkMessageIterator(Exchange parent, ChunkStream stream) {
        this(parent, stream, false, null);
    }

    ChunkMessageIterator(Exchange parent, ChunkStream stream, boolean dropThinking, TurnListener turnListener) {
        this.parent = parent;
        this.stream = stream;
        this.parentHeaders = parent.getIn().getHeaders();
        this.dropThinking = dropThinking;
        this.turnListener = turnListener;
        this.text = turnListener == null ? null : new StringBuilder();
        this.thinking = turnListener == null ? null : new StringBuilder();
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
        StreamChunk chunk = stream.next();
        Message message = new DefaultMessage(parent.getContext());
        if (!parentHeaders.isEmpty()) {
            message.getHeaders().putAll(parentHeaders);
        }
        message.setBody(chunk.text());
        message.setHeader(OllamaConstants.CHUNK_INDEX, chunk.index());
        message.setHeader(OllamaConstants.DONE, chunk.done());
        ReplyHeaders.putExtras(message, dropThinking ? null : chunk.thinking(), chunk.toolCalls());
        if (chunk.done()) {
            ReplyHeaders.putMetrics(message, chunk.model(), chunk.createdAt(), chunk.metrics());
        }
        if (turnListener != null) {
            text.append(chunk.text());
            if (chunk.thinking() != null) {
                thinking.append(chunk.thinking());
            }
            if (chunk.toolCalls() != null) {
                toolCalls = toolCalls == null ? new java.util.ArrayList<>() : toolCalls;
                toolCalls.addAll(chunk.toolCalls());
            }
            if (chunk.done()) {
                turnListener.replyComplete(text.toString(), thinking.length() == 0 ? null : thinking.toString(),
                        toolCalls);
            }
        }
        return message;
    }

    /** How many chunks the route has taken so far. */
    public long chunksDelivered() {
        return stream.chunksDelivered();
    }

    /** Stops the stream; before its end this aborts the HTTP call. Idempotent. */
    @Override
    public void close() {
        stream.close();
    }
}
