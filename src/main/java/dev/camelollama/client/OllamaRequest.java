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
        RetryPolicy retry) {

    /** The full address of this request. */
    public URI uri() {
        String base = baseUri.toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }
}
