package dev.camelollama.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * One reply a test wants instead of the default behaviour: any status, headers and body, an NDJSON stream with
 * malformed or error lines, and faults (delays, gates, resets). Immutable: every method returns a new value, so one
 * script can be enqueued several times or varied per test.
 *
 * <pre>{@code
 * sim.enqueue(ScriptedReply.status(503).header("Retry-After", "1").jsonBody("{\"error\":\"server busy\"}"));
 * sim.enqueue(ScriptedReply.ndjson(line1, line2).errorLine("boom"));
 * }</pre>
 */
public final class ScriptedReply {

    /** A gate that never opens must not hang a test run forever. */
    static final Duration MAX_GATE_WAIT = Duration.ofSeconds(30);

    private enum BodyKind { EMPTY, FIXED, NDJSON }

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final BodyKind kind;
    private final byte[] body;
    private final String contentType;
    private final List<String> lines;
    private final Duration firstByteDelay;
    private final Duration lineDelay;
    private final int disconnectAfterLine;
    private final boolean disconnectBeforeResponse;
    private final Map<Integer, CountDownLatch> gates;
    /** Whether the disconnect after {@link #disconnectAfterLine} lines is a reset (RST) rather than a FIN. */
    private final boolean resetOnDisconnect;

    private ScriptedReply(int status, List<Map.Entry<String, String>> headers, BodyKind kind, byte[] body,
            String contentType, List<String> lines, Duration firstByteDelay, Duration lineDelay,
            int disconnectAfterLine, boolean disconnectBeforeResponse, Map<Integer, CountDownLatch> gates,
            boolean resetOnDisconnect) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.kind = kind;
        this.body = body;
        this.contentType = contentType;
        this.lines = List.copyOf(lines);
        this.firstByteDelay = firstByteDelay;
        this.lineDelay = lineDelay;
        this.disconnectAfterLine = disconnectAfterLine;
        this.disconnectBeforeResponse = disconnectBeforeResponse;
        this.gates = Map.copyOf(gates);
        this.resetOnDisconnect = resetOnDisconnect;
    }

    /** A reply with this status and no body yet; add one with {@link #jsonBody} or {@link #rawBody}. */
    public static ScriptedReply status(int status) {
        return new ScriptedReply(checkStatus(status), List.of(), BodyKind.EMPTY, null, null, List.of(),
                Duration.ZERO, Duration.ZERO, -1, false, Map.of(), false);
    }

    /** A 200 NDJSON stream; each line is written verbatim plus {@code \n}, so malformed lines stay malformed. */
    public static ScriptedReply ndjson(List<String> lines) {
        lines.forEach(line -> Objects.requireNonNull(line, "lines must not contain null"));
        return status(200).withBody(BodyKind.NDJSON, null, null, lines);
    }

    /** A 200 NDJSON stream of these lines, see {@link #ndjson(List)}. */
    public static ScriptedReply ndjson(String... lines) {
        return ndjson(Arrays.asList(lines));
    }

    /**
     * Replays a documented payload from the conformance folder: one NDJSON chunk per non-blank line when
     * {@code streaming}, else the file's content as one JSON body with a Content-Length. An empty file gives an
     * empty body.
     *
     * @throws UncheckedIOException if the file cannot be read, so a script can be built inline
     */
    public static ScriptedReply fromConformance(Path responseNdjson, int status, boolean streaming) {
        String content;
        try {
            content = Files.readString(responseNdjson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read conformance payload " + responseNdjson, e);
        }
        ScriptedReply reply = status(status);
        if (content.isBlank()) {
            return reply;
        }
        if (streaming) {
            List<String> lines = content.lines().filter(line -> !line.isBlank()).toList();
            return reply.withBody(BodyKind.NDJSON, null, null, lines);
        }
        return reply.jsonBody(content.strip());
    }

    /** The same reply with another status, e.g. an NDJSON stream under 500. */
    public ScriptedReply withStatus(int status) {
        return new ScriptedReply(checkStatus(status), headers, kind, body, contentType, lines, firstByteDelay,
                lineDelay, disconnectAfterLine, disconnectBeforeResponse, gates, resetOnDisconnect);
    }

    /**
     * Adds a response header. A {@code Content-Type} replaces the default one; {@code Content-Length} and
     * {@code Transfer-Encoding} are ignored because the simulator frames the body itself; {@code Connection: close}
     * makes the simulator close the connection after this reply.
     */
    public ScriptedReply header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank() || name.indexOf(':') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("invalid header " + name);
        }
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new ScriptedReply(status, more, kind, body, contentType, lines, firstByteDelay, lineDelay,
                disconnectAfterLine, disconnectBeforeResponse, gates, resetOnDisconnect);
    }

    /** Replaces the body with this JSON text, sent as {@code application/json; charset=utf-8} with Content-Length. */
    public ScriptedReply jsonBody(String json) {
        return rawBody(json.getBytes(StandardCharsets.UTF_8), ReplyPlan.JSON);
    }

    /** Replaces the body with these bytes, sent with Content-Length, for bodies that are not JSON at all. */
    public ScriptedReply rawBody(byte[] bytes, String contentType) {
        Objects.requireNonNull(contentType, "contentType");
        return withBody(BodyKind.FIXED, bytes.clone(), contentType, List.of());
    }

    /** Replaces the body with this text encoded as UTF-8, see {@link #rawBody(byte[], String)}. */
    public ScriptedReply rawBody(String text, String contentType) {
        return rawBody(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /**
     * Appends the in-stream error line {@code {"error":"message"}}, as Ollama writes when generation fails after
     * output started. Turns a reply without a body into a stream.
     *
     * @throws IllegalStateException if the reply already has a fixed body
     */
    public ScriptedReply errorLine(String message) {
        if (kind == BodyKind.FIXED) {
            throw new IllegalStateException("errorLine needs an NDJSON reply, this one has a fixed body");
        }
        List<String> more = new ArrayList<>(lines);
        more.add(SimulatorJson.error(message));
        return withBody(BodyKind.NDJSON, null, null, more);
    }

    /** Waits this long before each streamed line, to exercise idle-gap timeouts and progressive delivery. */
    public ScriptedReply lineDelay(Duration delay) {
        return new ScriptedReply(status, headers, kind, body, contentType, lines, firstByteDelay,
                checkDelay(delay), disconnectAfterLine, disconnectBeforeResponse, gates, resetOnDisconnect);
    }

    /** Waits this long before the status line, as Ollama does while it loads a model, to exercise first-byte timeouts. */
    public ScriptedReply firstByteDelay(Duration delay) {
        return new ScriptedReply(status, headers, kind, body, contentType, lines, checkDelay(delay), lineDelay,
                disconnectAfterLine, disconnectBeforeResponse, gates, resetOnDisconnect);
    }

    /**
     * Writes {@code lineCount} lines, then ends the connection with a FIN (no terminating chunk), so the client sees
     * a truncated stream the way it sees a crashed server: it reads every line written, then the body ends early.
     * The simulator waits 100 ms before the FIN so that the last lines arrive on their own. For a reset instead, see
     * {@link #resetAfterLine}.
     */
    public ScriptedReply disconnectAfterLine(int lineCount) {
        if (lineCount < 0) {
            throw new IllegalArgumentException("lineCount must be >= 0");
        }
        return new ScriptedReply(status, headers, kind, body, contentType, lines, firstByteDelay, lineDelay,
                lineCount, disconnectBeforeResponse, gates, false);
    }

    /**
     * Writes {@code lineCount} lines (flushed), then closes the connection at once with a reset ({@code SO_LINGER 0},
     * RST), like a dropped network or a proxy that kills the connection. Unlike {@link #disconnectAfterLine} the
     * client may lose lines its kernel had received but it had not read yet when the RST arrived, so a test can only
     * expect a prefix of the lines written (possibly none).
     */
    public ScriptedReply resetAfterLine(int lineCount) {
        if (lineCount < 0) {
            throw new IllegalArgumentException("lineCount must be >= 0");
        }
        return new ScriptedReply(status, headers, kind, body, contentType, lines, firstByteDelay, lineDelay,
                lineCount, disconnectBeforeResponse, gates, true);
    }

    /** Reads the request, then resets the connection without any response, like a server dying mid-request. */
    public ScriptedReply disconnectBeforeResponse() {
        return new ScriptedReply(status, headers, kind, body, contentType, lines, firstByteDelay, lineDelay,
                disconnectAfterLine, true, gates, resetOnDisconnect);
    }

    /**
     * Holds the stream before line {@code lineIndex} (0-based) until the test opens the gate, so the test decides
     * exactly when the client sees the next line. Earlier lines are flushed first; a gate before line 0 also holds
     * back the status line and headers, as Ollama sends them with the first line. The wait is bounded by 30 s, after
     * which the stream continues.
     */
    public ScriptedReply awaitBeforeLine(int lineIndex, CountDownLatch gate) {
        if (lineIndex < 0) {
            throw new IllegalArgumentException("lineIndex must be >= 0");
        }
        Objects.requireNonNull(gate, "gate");
        Map<Integer, CountDownLatch> more = new HashMap<>(gates);
        more.put(lineIndex, gate);
        return new ScriptedReply(status, headers, kind, body, contentType, lines, firstByteDelay, lineDelay,
                disconnectAfterLine, disconnectBeforeResponse, more, resetOnDisconnect);
    }

    /** The status code this reply sends. */
    public int statusCode() {
        return status;
    }

    /** Whether the reply is a chunked NDJSON stream rather than a fixed body. */
    public boolean isStreaming() {
        return kind == BodyKind.NDJSON;
    }

    /** The NDJSON lines, without newlines; empty for a fixed body. */
    public List<String> lines() {
        return lines;
    }

    /** Shape only, never body content, because bodies can carry prompts. */
    @Override
    public String toString() {
        return "ScriptedReply[" + status + " " + kind.name().toLowerCase(Locale.ROOT)
                + (kind == BodyKind.NDJSON ? " " + lines.size() + " lines" : "")
                + (disconnectBeforeResponse ? " disconnectBeforeResponse" : "")
                + (disconnectAfterLine >= 0
                        ? (resetOnDisconnect ? " resetAfterLine=" : " disconnectAfterLine=") + disconnectAfterLine
                        : "") + "]";
    }

    ReplyPlan toPlan() {
        ReplyPlan plan;
        switch (kind) {
            case NDJSON:
                Iterator<String> source = lines.iterator();
                plan = ReplyPlan.stream(status, new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return source.hasNext();
                    }

                    @Override
                    public byte[] next() {
                        return source.next().getBytes(StandardCharsets.UTF_8);
                    }
                });
                break;
            case FIXED:
                plan = ReplyPlan.fixed(status, contentType, body);
                break;
            default:
                plan = ReplyPlan.fixed(status, null, new byte[0]);
                break;
        }
        plan.headers.addAll(headers);
        plan.firstByteDelay = firstByteDelay;
        plan.lineDelay = lineDelay;
        plan.disconnectAfterLine = disconnectAfterLine;
        plan.disconnectBeforeResponse = disconnectBeforeResponse;
        plan.resetOnDisconnect = resetOnDisconnect;
        plan.gates = gates;
        return plan;
    }

    private ScriptedReply withBody(BodyKind newKind, byte[] newBody, String newContentType, List<String> newLines) {
        return new ScriptedReply(status, headers, newKind, newBody, newContentType, newLines, firstByteDelay,
                lineDelay, disconnectAfterLine, disconnectBeforeResponse, gates, resetOnDisconnect);
    }

    private static int checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, was " + status);
        }
        return status;
    }

    private static Duration checkDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return delay;
    }
}
