package dev.camelollama;

/**
 * How the reply reaches the route.
 */
public enum StreamingMode {
    /**
     * Ask Ollama with {@code stream:false}: one JSON object when generation is over. Nothing arrives until the end,
     * so only {@code firstByteTimeout} bounds the call.
     */
    off,
    /**
     * Ask Ollama to stream and assemble the chunks into one body (the default): the same body as {@code off}, with
     * stall detection between chunks.
     */
    aggregate,
    /**
     * Ask Ollama to stream and return a lazy, closeable iterator of chunk messages, for
     * {@code split(body()).streaming()}: one exchange per chunk while the reply is still arriving.
     */
    split
}
