package dev.camelollama.client;

/** The connection could not be made, or broke before Ollama answered. Usually safe to retry: nothing reached the route. */
public class OllamaConnectionException extends OllamaException {

    public OllamaConnectionException(String message, Throwable cause) {
        super(message, 0, null, true, cause);
    }

    public OllamaConnectionException(String message, Throwable cause, boolean retryable) {
        super(message, 0, null, retryable, cause);
    }
}
