package dev.camelollama.client;

/**
 * A plain reply read whole: the status and the body's bytes (empty when there was none). Errors are not replies:
 * they arrive as exceptions, except the 404 of a {@code HEAD} request, which answers "no such thing" and comes here.
 *
 * @param status the HTTP status
 * @param body   the body, never null
 */
public record DocumentReply(int status, byte[] body) {

    /** Whether the status is 2xx. */
    public boolean found() {
        return status >= 200 && status < 300;
    }
}
