package dev.camelollama.simulator;

/**
 * How one response ended, so a test can learn whether the client read it to the end and how many NDJSON lines
 * went out before it left.
 *
 * @param method the request's method
 * @param path the request's path
 * @param status the status code sent (or that would have been sent, for a scripted disconnect before the response)
 * @param streamed whether the body was chunked NDJSON
 * @param linesWritten NDJSON lines handed to the operating system in full; the client may not have read them all
 * @param outcome how the response ended
 */
public record ServedResponse(String method, String path, int status, boolean streamed, int linesWritten,
        Outcome outcome) {

    /** How a response ended. */
    public enum Outcome {
        /** Written to the end and flushed. */
        COMPLETED,
        /** A write or flush failed: the client went away before the end. */
        CLIENT_LEFT,
        /** A scripted reply reset the connection on purpose. */
        SCRIPTED_DISCONNECT,
        /** The simulator was closed while the response was being written or delayed. */
        SIMULATOR_CLOSED
    }
}
