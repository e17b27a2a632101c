package dev.camelollama.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request as the simulator received it, so a test can assert on what the client really sent (headers, body,
 * which connection carried it) rather than on what it meant to send.
 */
public final class RecordedRequest {

    private final String method;
    private final String target;
    private final String httpVersion;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Instant receivedAt;
    private final int connectionIndex;
    private final int sequenceOnConnection;

    RecordedRequest(String method, String target, String httpVersion, Map<String, String> headers, byte[] body,
            Instant receivedAt, int connectionIndex, int sequenceOnConnection) {
        this.method = method;
        this.target = target;
        this.httpVersion = httpVersion;
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body;
        this.receivedAt = receivedAt;
        this.connectionIndex = connectionIndex;
        this.sequenceOnConnection = sequenceOnConnection;
    }

    /** The HTTP method, e.g. {@code POST}; routing and 405 answers depend on it. */
    public String method() {
        return method;
    }

    /** The path without the query string, e.g. {@code /api/chat}; what the simulator routes on. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The request target exactly as sent, query string included, for tests on URL building. */
    public String target() {
        return target;
    }

    /** The protocol of the request line, e.g. {@code HTTP/1.1}, for tests on client negotiation. */
    public String httpVersion() {
        return httpVersion;
    }

    /**
     * All headers, looked up case-insensitively because HTTP header names are; repeated headers are joined with
     * {@code ", "}.
     */
    public Map<String, String> headers() {
        return headers;
    }

    /** One header value or {@code null}, looked up case-insensitively. */
    public String header(String name) {
        return headers.get(name);
    }

    /** A copy of the raw body (de-chunked), so the recording cannot be changed by the caller. */
    public byte[] body() {
        return body.clone();
    }

    /** The body length in bytes, without copying the body. */
    public int bodySize() {
        return body.length;
    }

    /** The body decoded as UTF-8, which is what Ollama's JSON bodies use. */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON, or {@code null} when it is empty or not valid JSON, so a test can assert on fields
     * without caring about key order or whitespace. Each call returns a fresh tree.
     */
    public JsonNode json() {
        if (body.length == 0) {
            return null;
        }
        try {
            return SimulatorJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** When the simulator finished reading the request, for tests on ordering and pacing. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** Which TCP connection carried the request (0 for the first accepted), to observe connection reuse. */
    public int connectionIndex() {
        return connectionIndex;
    }

    /** The request's position on its connection (0 for the first), to observe keep-alive. */
    public int sequenceOnConnection() {
        return sequenceOnConnection;
    }

    /** Method, target and body size only: bodies can hold prompts, which must not end up in logs. */
    @Override
    public String toString() {
        return method + " " + target + " (" + body.length + " body bytes, connection " + connectionIndex + ")";
    }
}
