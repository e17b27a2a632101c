package dev.camelollama.client;

/**
 * One line of a pull, push or create progress stream: {@code {"status", "digest"?, "total"?, "completed"?}}.
 *
 * @param index     0-based position in the stream
 * @param status    what Ollama is doing, e.g. {@code pulling manifest}, {@code pulling 6a0746a1ec1a},
 *                  {@code success}
 * @param digest    the layer's digest ({@code sha256:...}), or null
 * @param total     the layer's size in bytes, or null
 * @param completed the bytes done so far, or null (absent until bytes arrive)
 * @param wireBytes the size of the line on the wire, for flow control
 */
public record ProgressChunk(long index, String status, String digest, Long total, Long completed, int wireBytes) {

    /** The status of the last line of a successful operation. */
    public static final String SUCCESS = "success";

    /** Whether this is the closing {@code success} line. */
    public boolean success() {
        return SUCCESS.equals(status);
    }

    /** {@code completed / total} in percent (0-100), or null when Ollama gave no total. */
    public Double percent() {
        if (total == null || total <= 0) {
            return null;
        }
        long done = completed == null ? 0 : completed;
        return Math.min(100.0, done * 100.0 / total);
    }
}
