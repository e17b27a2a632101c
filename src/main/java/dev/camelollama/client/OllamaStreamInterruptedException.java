package dev.camelollama.client;

/**
 * The reply stream broke after some text had arrived. Never retried automatically: part of the reply may already
 * have reached the route. The text received so far is kept so that nothing is lost.
 */
public class OllamaStreamInterruptedException extends OllamaException {

    private final String partialText;
    private final long chunksReceived;

    public OllamaStreamInterruptedException(String reason, String partialText, long chunksReceived, Throwable cause) {
        super("Ollama reply stream broke after " + chunksReceived + " chunks: " + reason,
              cause instanceof OllamaException oe ? oe.getStatusCode() : 0,
              cause instanceof OllamaException oe2 ? oe2.getServerMessage() : null, false, cause);
        this.partialText = partialText;
        this.chunksReceived = chunksReceived;
    }

    /** The reply text received before the break (in split mode at most the first MiB). */
    public String getPartialText() {
        return partialText == null ? "" : partialText;
    }

    /** How many chunks arrived before the break. */
    public long getChunksReceived() {
        return chunksReceived;
    }
}
