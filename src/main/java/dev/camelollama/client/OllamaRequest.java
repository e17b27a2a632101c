package dev.camelollama.client;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;

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
        long maxReplySize,
        Supplier<Map<String, String>> headersOnRedelivery) {

    public OllamaRequest {
        if (maxReplySize < 0) {
            throw new IllegalArgumentException("maxReplySize is " + maxReplySize + "; give 0 for no limit, or a size");
        }
    }

    /** A request whose redeliveries send the same headers as the first attempt. */
    public OllamaRequest(URI baseUri, String method, String path, byte[] body, ReplyFormat format, String model,
                         Map<String, String> headers, Timeouts timeouts, RetryPolicy retry, long maxReplySize) {
        this(baseUri, method, path, body, format, model, headers, timeouts, retry, maxReplySize, null);
    }

    /** A request without a reply size limit. */
    public OllamaRequest(URI baseUri, String method, String path, byte[] body, ReplyFormat format, String model,
                         Map<String, String> headers, Timeouts timeouts, RetryPolicy retry) {
        this(baseUri, method, path, body, format, model, headers, timeouts, retry, 0);
    }

    /** The same request with this reply size limit (0 for none). */
    public OllamaRequest withMaxReplySize(long limit) {
        return new OllamaRequest(baseUri, method, path, body, format, model, headers, timeouts, retry, limit,
                headersOnRedelivery);
    }

    /**
     * The same request, asking {@code source} for its headers again before each redelivery: a rotating token that
     * expired while the first attempt waited must not be sent again. The first attempt sends {@link #headers()},
     * which the caller built (and checked) on its own thread.
     */
    public OllamaRequest withHeadersOnRedelivery(Supplier<Map<String, String>> source) {
        return new OllamaRequest(baseUri, method, path, body, format, model, headers, timeouts, retry, maxReplySize,
                source);
    }

    /** The headers of an attempt: the first attempt's, or those asked for again before a redelivery. */
    public Map<String, String> headersForAttempt(int redelivery) {
        return redelivery > 0 && headersOnRedelivery != null ? headersOnRedelivery.get() : headers;
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
