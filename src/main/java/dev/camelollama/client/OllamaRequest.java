package dev.camelollama.client;

import java.net.URI;
import java.util.Map;

/**
 * Everything the client needs to send one request and judge its reply. Built by the Camel layer; the body is
 * already JSON.
 *
 * @param baseUri the server, e.g. {@code http://localhost:11434}
 * @param method  {@code GET}, {@code POST}, {@code DELETE} or {@code HEAD}
 * @param path    e.g. {@code /api/chat}
 * @param body    the JSON body, or null
 * @param format  how to read the reply
 * @param model   the model asked for, so that a 404 can say which one to pull
 * @param headers extra request headers (authentication for proxies), or an empty map
 * @param timeouts the four budgets
 * @param retry   when to send again
 * @param maxReplySize the most bytes of (decoded) reply body read before the call fails with
 *                {@link OllamaReplyTooLargeException}; 0 for no limit
 */
public record OllamaRequest(
        URI baseUri,
        String method,
        String path,
        byte[] body,
        ReplyFormat format,
        String model,
        Map<String, String> headers,
        Timeouts timeouts,
        RetryPolicy retry,
        long maxReplySize) {

    public OllamaRequest {
        if (maxReplySize < 0) {
            throw new IllegalArgumentException("maxReplySize is " + maxReplySize + "; give 0 for no limit, or a size");
        }
    }

    /** A request without a reply size limit. */
    public OllamaRequest(URI baseUri, String method, String path, byte[] body, ReplyFormat format, String model,
                         Map<String, String> headers, Timeouts timeouts, RetryPolicy retry) {
        this(baseUri, method, path, body, format, model, headers, timeouts, retry, 0);
    }

    /** The same request with this reply size limit (0 for none). */
    public OllamaRequest withMaxReplySize(long limit) {
        return new OllamaRequest(baseUri, method, path, body, format, model, headers, timeouts, retry, limit);
    }

    /**
     * Names the headers but never their values (they carry credentials), and gives the body's size, not its text
     * (it carries the prompt).
     */
    @Override
    public String toString() {
        return "OllamaRequest[" + method + " " + uri() + ", model=" + model + ", body="
               + (body == null ? "none" : body.length + " bytes") + ", format=" + format + ", headers="
               + (headers == null ? "{}" : headers.keySet().stream().map(name -> name + "=***")
                       .collect(java.util.stream.Collectors.joining(", ", "{", "}")))
               + ", timeouts=" + timeouts + ", retry=" + retry + "]";
    }

    /** The full address of this request. */
    public URI uri() {
        String base = baseUri.toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }
}
