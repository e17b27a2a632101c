package dev.camelollama;

/** What an {@code ollama:} endpoint asks the server for. */
public enum OllamaOperation {
    /** {@code POST /api/chat}: the next message of a conversation. */
    chat,
    /** {@code POST /api/generate}: a completion of one prompt. */
    generate
}
