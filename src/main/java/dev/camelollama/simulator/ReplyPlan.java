package dev.camelollama.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Everything a connection needs to write one response, whether it came from a script or from the default
 * behaviour: status, headers, a fixed body or a lazy sequence of NDJSON lines, and the faults to inject. Single use:
 * the line iterator is consumed while writing.
 */
final class ReplyPlan {

    static final String JSON = "application/json; charset=utf-8";
    static final String NDJSON = "application/x-ndjson";
    static final String TEXT = "text/plain; charset=utf-8";

    final int status;
    /** Fixed body; {@code null} when the reply is streamed. */
    final byte[] body;
    /** Lines without their trailing newline; {@code null} when the reply has a fixed body. */
    final Iterator<byte[]> lines;
    final String contentType;
    final List<Map.Entry<String, String>> headers = new ArrayList<>();
    Duration firstByteDelay = Duration.ZERO;
    Duration lineDelay = Duration.ZERO;
    int disconnectAfterLine = -1;
    boolean disconnectBeforeResponse;
    /** The disconnect after {@link #disconnectAfterLine} lines is a reset (RST) instead of a FIN. */
    boolean resetOnDisconnect;
    Map<Integer, CountDownLatch> gates = Map.of();

    private ReplyPlan(int status, byte[] body, Iterator<byte[]> lines, String contentType) {
        this.status = status;
        this.body = body;
        this.lines = lines;
        this.contentType = contentType;
    }

    static ReplyPlan fixed(int status, String contentType, byte[] body) {
        return new ReplyPlan(status, body, null, contentType);
    }

    static ReplyPlan json(int status, String json) {
        return fixed(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    static ReplyPlan text(int status, String text) {
        return fixed(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    static ReplyPlan error(int status, String message) {
        return json(status, SimulatorJson.error(message));
    }

    static ReplyPlan stream(int status, Iterator<byte[]> lines) {
        return new ReplyPlan(status, null, lines, NDJSON);
    }

    boolean streamed() {
        return lines != null;
    }

    /** A scripted {@code Connection: close} header asks the simulator to close after this reply. */
    boolean requestsClose() {
        return headers.stream().anyMatch(header -> header.getKey().equalsIgnoreCase("Connection")
                && header.getValue().toLowerCase(Locale.ROOT).contains("close"));
    }

    /** Pacing, gates and planned disconnects only mean something if each line leaves the buffer at once. */
    boolean flushEachLine() {
        return !lineDelay.isZero() || !gates.isEmpty() || disconnectAfterLine >= 0;
    }
}
