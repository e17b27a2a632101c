package dev.camelollama.client;

/** How a reply is read: a stream of generation chunks, a progress stream, or one plain document. */
public enum ReplyFormat {
    /** NDJSON (or one object) of {@code /api/generate} or {@code /api/chat}: text in each line. */
    GENERATION,
    /**
     * A plain reply (JSON or empty), handed over whole as bytes with its status (model management endpoints,
     * embeddings, blobs). A {@code HEAD} request's 404 is a reply too (the thing does not exist), not an error.
     */
    DOCUMENT,
    /**
     * NDJSON (or one object) of {@code /api/pull}, {@code /api/push} and {@code /api/create}: one status line per
     * step, ending with {@code {"status":"success"}}.
     */
    PROGRESS
}
