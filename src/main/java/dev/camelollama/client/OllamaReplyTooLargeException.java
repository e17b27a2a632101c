package dev.camelollama.client;

/**
 * The reply grew beyond the endpoint's {@code maxReplySize}: the client stopped reading and closed the connection
 * (so Ollama stops generating). Never retried: the same request would produce a reply as large. The text received
 * before the limit is kept (in split mode the text the route took).
 */
public class OllamaReplyTooLargeException extends OllamaException {

    private final long limitBytes;
    private final String partialText;

    public OllamaReplyTooLargeException(long limitBytes, String partialText) {
        super("The Ollama reply is larger than maxReplySize (" + limitBytes + " bytes); the connection was closed"
              + (partialText != null && !partialText.isEmpty()
                      ? " after " + partialText.length() + " characters of the reply" : "")
              + ". Raise the maxReplySize option (0 = unlimited) or ask for a shorter reply (num_predict)",
              0, null, false, null);
        this.limitBytes = limitBytes;
        this.partialText = partialText;
    }

    /** The limit that was exceeded, in bytes of the decoded reply body. */
    public long getLimitBytes() {
        return limitBytes;
    }

    /** The text received before the limit was reached (empty when none). */
    public String getPartialText() {
        return partialText == null ? "" : partialText;
    }
}
