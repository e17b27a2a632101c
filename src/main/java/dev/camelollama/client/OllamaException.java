package dev.camelollama.client;

/**
 * Root of every failure the component reports. Route-level {@code onException} can catch this type for all of
 * them, or one of the subclasses for a single cause.
 */
public class OllamaException extends RuntimeException {

    private final int statusCode;
    private final String serverMessage;
    private final boolean retryable;

    public OllamaException(String message, int statusCode, String serverMessage, boolean retryable, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.serverMessage = serverMessage;
        this.retryable = retryable;
    }

    /** The HTTP status of the reply, or 0 when no reply arrived. In-stream errors carry the stream's 200. */
    public int getStatusCode() {
        return statusCode;
    }

    /** The {@code error} text Ollama sent, or null when it sent none. */
    public String getServerMessage() {
        return serverMessage;
    }

    /** Whether sending the same request again may succeed (the component's own redelivery uses this). */
    public boolean isRetryable() {
        return retryable;
    }
}
