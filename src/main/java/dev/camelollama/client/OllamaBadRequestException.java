package dev.camelollama.client;

/** Ollama rejected the request as malformed (400): sending it again cannot succeed. */
public class OllamaBadRequestException extends OllamaException {

    public OllamaBadRequestException(String serverMessage) {
        super("Ollama rejected the request (400): " + serverMessage, 400, serverMessage, false, null);
    }
}
