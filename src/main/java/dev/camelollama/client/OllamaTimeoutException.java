package dev.camelollama.client;

/**
 * One of the timeouts ran out. Not retried by default: Ollama stops a generation (and aborts a model load) when
 * the client leaves, so a retry would start over from zero.
 */
public class OllamaTimeoutException extends OllamaException {

    private final TimeoutKind kind;
    private final long timeoutMillis;
    private final String partialText;

    public OllamaTimeoutException(TimeoutKind kind, long timeoutMillis, String partialText) {
        super("Ollama " + kind.optionName() + " of " + timeoutMillis + " ms ran out"
              + (partialText != null && !partialText.isEmpty()
                      ? " after " + partialText.length() + " characters of the reply" : "")
              + "; raise the " + kind.optionName() + " option if the model needs longer",
              0, null, false, null);
        this.kind = kind;
        this.timeoutMillis = timeoutMillis;
        this.partialText = partialText;
    }

    /** Which timeout ran out. */
    public TimeoutKind getKind() {
        return kind;
    }

    /** The budget that ran out, in milliseconds. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** The text received before the timeout (empty when nothing arrived). */
    public String getPartialText() {
        return partialText == null ? "" : partialText;
    }
}
