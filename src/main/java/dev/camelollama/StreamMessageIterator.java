package dev.camelollama;

import java.io.Closeable;
import java.util.Iterator;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

import dev.camelollama.client.ReplyStream;

/**
 * A reply stream as the body of a split-mode exchange: one Camel {@link Message} per element, for
 * {@code split(body()).streaming()}, each carrying the parent's headers plus the element's own.
 * <p>
 * Shaped by how Camel's Splitter uses an iterator: it asks {@link #hasNext()} for the following element before it
 * processes the current one, so {@code hasNext()} never waits on the socket (it answers from state alone) and
 * {@link #next()} does the waiting. After a failure the Splitter would drain what is left, so {@code hasNext()}
 * answers false once the parent exchange has failed; the Splitter then closes the iterator, which aborts the HTTP
 * call and tells Ollama to stop.
 *
 * @param <C> the element the stream decodes
 */
public abstract class StreamMessageIterator<C> implements Iterator<Message>, Closeable {

    private final Exchange parent;
    private final ReplyStream<C> stream;
    private final Map<String, Object> parentHeaders;

    StreamMessageIterator(Exchange parent, ReplyStream<C> stream) {
        this.parent = parent;
        this.stream = stream;
        this.parentHeaders = parent.getIn().getHeaders();
    }

    /** Puts one element's body and headers into its message. */
    abstract void fill(Message message, C element);

    @Override
    public final boolean hasNext() {
        if (parent.getException() != null) {
            stream.close();
            return false;
        }
        return stream.hasMore();
    }

    @Override
    public final Message next() {
        C element = stream.next();
        Message message = new DefaultMessage(parent.getContext());
        if (!parentHeaders.isEmpty()) {
            message.getHeaders().putAll(parentHeaders);
        }
        fill(message, element);
        return message;
    }

    /** How many elements the route has taken so far. */
    public final long chunksDelivered() {
        return stream.chunksDelivered();
    }

    /** Stops the stream; before its end this aborts the HTTP call. Idempotent. */
    @Override
    public final void close() {
        stream.close();
    }
}
