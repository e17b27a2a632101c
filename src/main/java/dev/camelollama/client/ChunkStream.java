package dev.camelollama.client;

/**
 * The chunks of a chat/generate reply that is still arriving, pulled one at a time by the thread that processes
 * them (see {@link ReplyStream} for the threading and flow-control contract). {@link #close()} before the end aborts
 * the HTTP call, which tells Ollama to stop generating. A failure after some chunks were taken carries their text.
 */
public final class ChunkStream extends ReplyStream<StreamChunk> {

    /** The partial text kept for a failure report is capped so that a long stream stays bounded in memory. */
    static final int PARTIAL_TEXT_LIMIT = 1 << 20;

    private final StringBuilder partialText = new StringBuilder();

    ChunkStream(int creditThreshold, Runnable onEarlyClose) {
        super(creditThreshold, onEarlyClose);
    }

    @Override
    int wireBytes(StreamChunk chunk) {
        return chunk.wireBytes();
    }

    @Override
    boolean isFinal(StreamChunk chunk) {
        return chunk.done();
    }

    @Override
    void taken(StreamChunk chunk) {
        if (partialText.length() < PARTIAL_TEXT_LIMIT) {
            String text = chunk.text();
            partialText.append(text, 0, Math.min(text.length(), PARTIAL_TEXT_LIMIT - partialText.length()));
        }
    }

    @Override
    String partialText() {
        return partialText.toString();
    }

    @Override
    OllamaException failureToThrow(OllamaException cause, long delivered) {
        if (cause == null) {
            return new OllamaStreamInterruptedException("the stream ended without its final (done) line",
                    partialText(), delivered, null);
        }
        if (cause instanceof OllamaTimeoutException timeout) {
            return new OllamaTimeoutException(timeout.getKind(), timeout.timeoutMillis(), partialText());
        }
        if (cause instanceof OllamaReplyTooLargeException tooLarge) {
            return new OllamaReplyTooLargeException(tooLarge.getLimitBytes(), partialText());
        }
        if (delivered > 0 && !(cause instanceof OllamaStreamInterruptedException)) {
            return new OllamaStreamInterruptedException(cause.getMessage(), partialText(), delivered, cause);
        }
        return cause;
    }
}
