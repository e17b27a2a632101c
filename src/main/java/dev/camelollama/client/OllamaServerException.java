package dev.camelollama.client;

/**
 * Ollama answered with an error status (or wrote an {@code {"error": ...}} line into a stream whose status was
 * 200). The body is kept, shortened, for diagnosis.
 */
public class OllamaServerException extends OllamaException {

    private final String responseBody;

    public OllamaServerException(int statusCode, String serverMessage, String responseBody, boolean retryable) {
        super(describe(statusCode, serverMessage, responseBody), statusCode, serverMessage, retryable, null);
        this.responseBody = responseBody;
    }

    private static String describe(int statusCode, String serverMessage, String responseBody) {
        if (statusCode == 200) {
            return "Ollama reported an error inside the reply stream: " + serverMessage;
        }
        String detail = serverMessage != null ? serverMessage : responseBody;
        return "Ollama answered HTTP " + statusCode + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    /** The response body as received (at most a few KiB), or null. */
    public String getResponseBody() {
        return responseBody;
    }
}
