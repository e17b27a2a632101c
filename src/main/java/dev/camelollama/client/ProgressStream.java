package dev.camelollama.client;

/**
 * The progress lines of a pull, push or create that is still running, pulled one at a time (see
 * {@link ReplyStream} for the threading and flow-control contract). The last item is the {@code success} line;
 * an {@code {"error"}} line is thrown by {@link #next()}. {@link #close()} before the end aborts the HTTP call.
 */
public final class ProgressStream extends ReplyStream<ProgressChunk> {

    ProgressStream(int creditThreshold, Runnable onEarlyClose) {
        super(creditThreshold, onEarlyClose);
    }

    @Override
    int wireBytes(ProgressChunk item) {
        return item.wireBytes();
    }

    @Override
    boolean isFinal(ProgressChunk item) {
        return item.success();
    }

    @Override
    OllamaException failureToThrow(OllamaException cause, long deliveredSoFar) {
        if (cause == null) {
            return new OllamaStreamInterruptedException("the progress stream ended before its success line", "",
                    deliveredSoFar, null);
        }
        return cause;
    }
}
