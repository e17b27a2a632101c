package dev.camelollama.simulator;

import dev.camelollama.simulator.HttpRequestReader.MalformedRequestException;
import dev.camelollama.simulator.HttpRequestReader.RequestHead;
import dev.camelollama.simulator.ServedResponse.Outcome;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One accepted TCP connection: reads requests one after another (keep-alive), asks the simulator for each reply and
 * writes it, injecting the scripted faults. Runs on its own thread, so a stalled client stalls only itself.
 */
final class SimulatorConnection implements Runnable {

    private static final System.Logger LOG = System.getLogger(SimulatorConnection.class.getName());
    private static final int READ_BUFFER_BYTES = 16 * 1024;

    private final OllamaSimulator simulator;
    private final Socket socket;
    private final int index;

    SimulatorConnection(OllamaSimulator simulator, Socket socket, int index) {
        this.simulator = simulator;
        this.socket = socket;
        this.index = index;
    }

    @Override
    public void run() {
        try {
            HttpRequestReader reader =
                    new HttpRequestReader(new BufferedInputStream(socket.getInputStream(), READ_BUFFER_BYTES));
            HttpResponseWriter writer = new HttpResponseWriter(socket.getOutputStream());
            serve(reader, writer);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection {0} ended: {1}", index, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeSocket();
            simulator.connectionFinished(this);
        }
    }

    void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing connection {0}: {1}", index, e.toString());
        }
    }

    private void serve(HttpRequestReader reader, HttpResponseWriter writer) throws IOException, InterruptedException {
        for (int sequence = 0; !simulator.isClosed(); sequence++) {
            RequestHead head;
            byte[] body;
            try {
                head = reader.readHead();
                if (head == null) {
                    return;
                }
                if (head.expectsContinue()) {
                    writer.writeContinue();
                }
                body = reader.readBody(head);
            } catch (MalformedRequestException e) {
                rejectMalformed(writer, e.getMessage());
                return;
            }
            RecordedRequest request = new RecordedRequest(head.method(), head.target(), head.version(),
                    head.headers(), body, Instant.now(), index, sequence);
            simulator.recordRequest(request);
            if (!respond(writer, request, simulator.planFor(request), head.keepAlive())) {
                return;
            }
        }
    }

    /** Writes one reply; answers whether the connection stays open for another request. */
    private boolean respond(HttpResponseWriter writer, RecordedRequest request, ReplyPlan plan,
            boolean keepAliveRequested) throws InterruptedException {
        if (plan.disconnectBeforeResponse) {
            reset();
            finish(request, plan, 0, Outcome.SCRIPTED_DISCONNECT);
            return false;
        }
        boolean headOnly = "HEAD".equals(request.method());
        boolean keepAlive = keepAliveRequested && !plan.requestsClose();
        writer.beginResponse();
        try {
            pauseWatchingClient(plan.firstByteDelay);
            writer.writeHead(plan.status, headers(plan, keepAlive));
            if (headOnly) {
                writer.flush();
            } else if (plan.streamed()) {
                if (!writeLines(writer, plan)) {
                    finish(request, plan, writer.linesFlushed(), Outcome.SCRIPTED_DISCONNECT);
                    return false;
                }
            } else {
                writer.writeBody(plan.body);
                writer.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection {0}: response ended early: {1}", index, e.toString());
            Outcome outcome = simulator.isClosed() ? Outcome.SIMULATOR_CLOSED : Outcome.CLIENT_LEFT;
            finish(request, plan, writer.linesFlushed(), outcome);
            return false;
        } catch (InterruptedException e) {
            finish(request, plan, writer.linesFlushed(), Outcome.SIMULATOR_CLOSED);
            throw e;
        }
        finish(request, plan, writer.linesFlushed(), Outcome.COMPLETED);
        return keepAlive;
    }

    /** Streams the plan's lines; answers false when a scripted disconnect ended the stream on purpose. */
    private boolean writeLines(HttpResponseWriter writer, ReplyPlan plan) throws IOException, InterruptedException {
        boolean flushEachLine = plan.flushEachLine();
        for (int line = 0; plan.lines.hasNext(); line++) {
            if (line == plan.disconnectAfterLine) {
                writer.flush();
                disconnect(plan);
                return false;
            }
            CountDownLatch gate = plan.gates.get(line);
            if (gate != null && !gate.await(ScriptedReply.MAX_GATE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.log(Level.DEBUG, "connection {0}: gate before line {1} stayed closed, continuing", index, line);
            }
            pauseWatchingClient(plan.lineDelay);
            writer.writeLineChunk(plan.lines.next());
            if (flushEachLine) {
                writer.flush();
            }
        }
        if (plan.disconnectAfterLine >= 0) {
            writer.flush();
            disconnect(plan);
            return false;
        }
        writer.writeLastChunk();
        writer.flush();
        return true;
    }

    private List<Map.Entry<String, String>> headers(ReplyPlan plan, boolean keepAlive) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean hasContentType = false;
        boolean hasDate = false;
        boolean hasConnection = false;
        for (Map.Entry<String, String> header : plan.headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("transfer-encoding")) {
                continue;
            }
            hasContentType |= name.equals("content-type");
            hasDate |= name.equals("date");
            hasConnection |= name.equals("connection");
            headers.add(header);
        }
        if (!hasContentType && plan.contentType != null) {
            headers.add(0, Map.entry("Content-Type", plan.contentType));
        }
        if (!hasDate) {
            String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
            headers.add(Map.entry("Date", now));
        }
        if (plan.streamed()) {
            headers.add(Map.entry("Transfer-Encoding", "chunked"));
        } else {
            headers.add(Map.entry("Content-Length", Integer.toString(plan.body.length)));
        }
        if (!keepAlive && !hasConnection) {
            headers.add(Map.entry("Connection", "close"));
        }
        return headers;
    }

    private void rejectMalformed(HttpResponseWriter writer, String reason) throws IOException {
        byte[] body = ("400 bad request: " + reason).getBytes(StandardCharsets.UTF_8);
        writer.beginResponse();
        writer.writeHead(400, List.of(Map.entry("Content-Type", ReplyPlan.TEXT),
                Map.entry("Content-Length", Integer.toString(body.length)), Map.entry("Connection", "close")));
        writer.writeBody(body);
        writer.flush();
    }

    /** The scripted end of a truncated stream: a reset ({@code resetAfterLine}) or a FIN ({@code disconnectAfterLine}). */
    private void disconnect(ReplyPlan plan) throws InterruptedException {
        if (plan.resetOnDisconnect) {
            reset();
        } else {
            truncate();
        }
    }

    /**
     * Ends the connection in the middle of a chunked body with FIN: the client reads every line written so far and
     * then sees the body end early. (A reset would make the client's kernel discard lines not yet read.)
     */
    private void truncate() throws InterruptedException {
        // let the last lines travel on their own before the FIN: a client that receives data and FIN in one read
        // may report the broken body before the data (Apache HttpCore 5's chunk decoder does)
        pause(TRUNCATE_GRACE);
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection {0}: shutdownOutput: {1}", index, e.toString());
        }
        closeSocket();
    }

    private static final java.time.Duration TRUNCATE_GRACE = java.time.Duration.ofMillis(100);

    /** Closes with RST instead of FIN, so the client sees a reset rather than a clean end of stream. */
    private void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "connection {0}: SO_LINGER: {1}", index, e.toString());
        }
        closeSocket();
    }

    private void finish(RecordedRequest request, ReplyPlan plan, int linesWritten, Outcome outcome) {
        simulator.responseFinished(new ServedResponse(request.method(), request.path(), plan.status, plan.streamed(),
                linesWritten, outcome));
    }

    /**
     * Waits like Ollama does while it loads a model or generates, but notices a client that leaves meanwhile (as
     * Ollama does: it aborts the work), instead of finding out only at the next write.
     */
    private void pauseWatchingClient(Duration delay) throws InterruptedException, IOException {
        if (delay.isZero()) {
            return;
        }
        long deadline = System.nanoTime() + delay.toNanos();
        int previousTimeout = socket.getSoTimeout();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                try {
                    if (socket.getInputStream().read() < 0) {
                        throw new IOException("the client closed the connection while the simulator waited");
                    }
                } catch (java.net.SocketTimeoutException stillThere) {
                    // the client is still waiting
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previousTimeout);
            }
        }
    }

    private static void pause(Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        }
    }
}
