package dev.camelollama.client;

/** How a reply is read: a stream of generation chunks, or one plain JSON document. */
public enum ReplyFormat {
    /** NDJSON (or one object) of {@code /api/generate} or {@code /api/chat}: text in each line. */
    GENERATION,
    /** A plain JSON document, handed over as bytes (model management endpoints). */
    DOCUMENT
}
