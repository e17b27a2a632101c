package dev.camelollama.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.camelollama.simulator.ServedResponse.Outcome;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class OllamaSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PROMPT = "why is the sky blue";

    private OllamaSimulator sim;
    private HttpClient http;

    @BeforeEach
    void startSimulator() {
        sim = OllamaSimulator.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    @Test
    void baseUrlIsLoopbackWithEphemeralPort() {
        assertTrue(sim.port() > 0);
        assertEquals("http://127.0.0.1:" + sim.port(), sim.baseUrl());
        assertEquals(sim.baseUrl() + "/api/chat", sim.url("/api/chat"));
    }

    @Test
    void aStandingRuleAnswersEveryMatchingRequestAndLeavesTheOthersAndTheScriptAlone() throws Exception {
        sim.answerEvery(request -> request.bodyUtf8().contains("poison"),
                ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));
        sim.enqueue(ScriptedReply.status(500).jsonBody("{\"error\":\"queued\"}"));
        String poison = "{\"model\":\"llama3.2\",\"prompt\":\"poison\",\"stream\":false}";

        for (int i = 0; i < 3; i++) {
            assertEquals(503, post("/api/generate", poison).statusCode(), "attempt " + i);
        }
        assertEquals(1, sim.queuedReplies(), "the matching requests took nothing from the script");
        assertEquals(500, post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"fine\",\"stream\":false}")
                .statusCode());
        assertEquals(200, post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"fine\",\"stream\":false}")
                .statusCode());
    }

    @Test
    void expectedReplyCyclesThroughPromptWords() {
        assertEquals("a b c a b", OllamaSimulator.expectedReply("a b c", 5));
        assertEquals("ok ok ok", OllamaSimulator.expectedReply("  ", 3));
        assertEquals("", OllamaSimulator.expectedReply("a", 0));
    }

    @Test
    void streamingGenerateSendsChunksThenFinalLineWithMetrics() throws Exception {
        HttpResponse<List<String>> response = postLines("/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"" + PROMPT + "\"}");

        assertEquals(200, response.statusCode());
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("chunked", response.headers().firstValue("Transfer-Encoding").orElseThrow());
        List<String> lines = response.body();
        assertEquals(6, lines.size());
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(0, 5)) {
            JsonNode chunk = JSON.readTree(line);
            assertFalse(chunk.get("done").booleanValue());
            assertEquals("llama3.2", chunk.get("model").asText());
            assertTrue(chunk.hasNonNull("created_at"));
            text.append(chunk.get("response").asText());
        }
        assertEquals(OllamaSimulator.expectedReply(PROMPT, 5), text.toString());
        JsonNode last = JSON.readTree(lines.get(5));
        assertTrue(last.get("done").booleanValue());
        assertEquals("stop", last.get("done_reason").asText());
        assertEquals("", last.get("response").asText());
        assertEquals(5, last.get("prompt_eval_count").intValue());
        assertEquals(5, last.get("eval_count").intValue());
        for (String metric : List.of("total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
            assertTrue(last.get(metric).longValue() > 0, metric);
        }
    }

    @Test
    void nonStreamingGenerateSendsOneObject() throws Exception {
        sim.chunkCount(7);
        HttpResponse<String> response = post("/api/generate",
                "{\"model\":\"llama3.2:latest\",\"prompt\":\"" + PROMPT + "\",\"stream\":false}");

        assertEquals(200, response.statusCode());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(OllamaSimulator.expectedReply(PROMPT, 7), body.get("response").asText());
        assertTrue(body.get("done").booleanValue());
        assertEquals(7, body.get("eval_count").intValue());
        assertEquals("llama3.2:latest", body.get("model").asText());
    }

    @Test
    void streamingChatAnswersTheLastUserMessage() throws Exception {
        String request = "{\"model\":\"qwen3\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"first question\"},"
                + "{\"role\":\"assistant\",\"content\":\"an answer\"},"
                + "{\"role\":\"user\",\"content\":\"tell me more please\"}]}";
        HttpResponse<List<String>> response = postLines("/api/chat", request);

        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        for (String line : response.body()) {
            last = JSON.readTree(line);
            assertEquals("assistant", last.get("message").get("role").asText());
            text.append(last.get("message").get("content").asText());
        }
        assertEquals(OllamaSimulator.expectedReply("tell me more please", 5), text.toString());
        assertNotNull(last);
        assertTrue(last.get("done").booleanValue());
        assertEquals(4, last.get("prompt_eval_count").intValue());
    }

    @Test
    void nonStreamingChatSendsWholeMessage() throws Exception {
        sim.chunkCount(3);
        HttpResponse<String> response = post("/api/chat",
                "{\"model\":\"qwen3\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}");

        JsonNode body = JSON.readTree(response.body());
        assertEquals("hi there hi", body.get("message").get("content").asText());
        assertEquals(OllamaSimulator.expectedReply("hi there", 3), body.get("message").get("content").asText());
        assertEquals("stop", body.get("done_reason").asText());
    }

    @Test
    void logprobsRideOnEachChunkAndAreAccumulatedWithoutStreaming() throws Exception {
        sim.chunkCount(3);
        HttpResponse<List<String>> streamed = postLines("/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"a bé\",\"logprobs\":true,\"top_logprobs\":2}");
        List<String> lines = streamed.body();
        assertEquals(4, lines.size());
        for (int i = 0; i < 3; i++) {
            JsonNode entries = JSON.readTree(lines.get(i)).get("logprobs");
            assertEquals(1, entries.size(), "one token per chunk");
            JsonNode entry = entries.get(0);
            String token = JSON.readTree(lines.get(i)).get("response").asText();
            assertEquals(token, entry.get("token").asText());
            assertEquals(OllamaSimulator.expectedLogprob("a bé", i), entry.get("logprob").asDouble());
            assertEquals(token.getBytes(StandardCharsets.UTF_8).length, entry.get("bytes").size());
            JsonNode top = entry.get("top_logprobs");
            assertEquals(2, top.size());
            assertEquals(token, top.get(0).get("token").asText());
            assertEquals("alt1", top.get(1).get("token").asText());
            assertEquals(OllamaSimulator.expectedLogprob("a bé", i) - 1, top.get(1).get("logprob").asDouble());
        }
        assertEquals(-0.25, OllamaSimulator.expectedLogprob("a bé", 1));
        assertEquals(195, JSON.readTree(lines.get(1)).get("logprobs").get(0).get("bytes").get(2).intValue(),
                "bytes are unsigned UTF-8 bytes ( bé: 0x20 0x62 0xC3 0xA9)");
        assertNull(JSON.readTree(lines.get(3)).get("logprobs"), "the final line carries none");

        HttpResponse<String> whole = post("/api/chat", "{\"model\":\"llama3.2\",\"stream\":false,\"logprobs\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x y\"}]}");
        JsonNode all = JSON.readTree(whole.body()).get("logprobs");
        assertEquals(3, all.size());
        assertEquals(" x", all.get(2).get("token").asText());
        assertNull(all.get(0).get("top_logprobs"), "no top_logprobs unless asked for");

        HttpResponse<List<String>> plain = postLines("/api/chat",
                "{\"model\":\"llama3.2\",\"top_logprobs\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        for (String line : plain.body()) {
            assertNull(JSON.readTree(line).get("logprobs"), "top_logprobs alone is ignored, as by Ollama");
        }
    }

    @Test
    void topLogprobsOutsideZeroToTwentyIs400() throws Exception {
        for (String top : List.of("21", "-1")) {
            HttpResponse<String> response = post("/api/generate",
                    "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"logprobs\":true,\"top_logprobs\":" + top + "}");
            assertEquals(400, response.statusCode(), top);
            assertEquals("top_logprobs must be between 0 and 20", JSON.readTree(response.body()).get("error").asText());
        }
        assertEquals(200, post("/api/chat", "{\"model\":\"llama3.2\",\"stream\":false,\"logprobs\":true,"
                + "\"top_logprobs\":20,\"messages\":[]}").statusCode());
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        try (RawConnection connection = RawConnection.open(sim.port())) {
            String body = "{\"model\":\"llama3.2\",\"prompt\":\"hello\",\"stream\":false}";
            connection.send("POST", "/api/generate", body);
            RawResponse first = connection.readResponse(false);
            connection.send("POST", "/api/generate", body);
            RawResponse second = connection.readResponse(false);

            assertEquals(200, first.status);
            assertEquals(200, second.status);
            assertEquals(first.body.length(), Integer.parseInt(first.header("Content-Length")));
        }
        assertEquals(1, sim.connectionsAccepted());
        assertEquals(0, sim.takeRequest().sequenceOnConnection());
        assertEquals(1, sim.takeRequest().sequenceOnConnection());
        assertTrue(sim.awaitConnectionsClosed(WAIT));
    }

    @Test
    void connectionCloseRequestClosesAfterTheResponse() throws Exception {
        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("GET", "/api/version", null, "Connection: close");
            RawResponse response = connection.readResponse(false);
            assertEquals("close", response.header("Connection"));
            assertEquals(-1, connection.in.read());
        }
    }

    @Test
    void unknownModelIs404() throws Exception {
        HttpResponse<String> response = post("/api/chat",
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertEquals(404, response.statusCode());
        assertEquals("{\"error\":\"model 'nope' not found\"}", response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void modelListIsConfigurableAndCanBeSwitchedOff() throws Exception {
        sim.models("mistral:7b");
        assertEquals(404, post("/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"x\"}").statusCode());
        assertEquals(200, post("/api/generate", "{\"model\":\"mistral:7b\",\"prompt\":\"x\"}").statusCode());
        sim.acceptAnyModel(true);
        assertEquals(200, post("/api/generate", "{\"model\":\"anything\",\"prompt\":\"x\"}").statusCode());
    }

    @Test
    void missingBodyIs400() throws Exception {
        HttpResponse<String> response = post("/api/generate", "");

        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":\"missing request body\"}", response.body());
    }

    @Test
    void infoEndpointsUnknownPathsAndWrongMethods() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals("Ollama is running", root.body());
        assertEquals("{\"version\":\"0.33.0-sim\"}", get("/api/version").body());
        JsonNode tags = JSON.readTree(get("/api/tags").body());
        List<String> names = new ArrayList<>();
        tags.get("models").forEach(model -> names.add(model.get("name").asText()));
        assertEquals(List.of("llama3.2:latest", "qwen3:latest", "nomic-embed-text:latest"), names);
        assertEquals(64, tags.get("models").get(0).get("digest").asText().length());
        assertEquals("gguf", tags.get("models").get(0).get("details").get("format").asText());

        HttpResponse<String> unknown = get("/api/nothing-here");
        assertEquals(404, unknown.statusCode());
        assertEquals("404 page not found", unknown.body());
        assertEquals(405, get("/api/chat").statusCode());
        assertEquals(405, post("/api/version", "{}").statusCode());
    }

    @Test
    void headGetsHeadersOnly() throws Exception {
        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("HEAD", "/api/version", null);
            RawResponse head = connection.readResponse(true);
            assertEquals(200, head.status);
            assertEquals(String.valueOf("{\"version\":\"0.33.0-sim\"}".length()), head.header("Content-Length"));
            assertEquals("", head.body);
            connection.send("GET", "/", null);
            assertEquals("Ollama is running", connection.readResponse(false).body);
        }
    }

    @Test
    void scripted503ThenDefault200() throws Exception {
        sim.enqueue(ScriptedReply.status(503).header("Retry-After", "1").jsonBody("{\"error\":\"server busy\"}"));
        assertEquals(1, sim.queuedReplies());
        String request = "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}";

        HttpResponse<String> busy = post("/api/generate", request);
        assertEquals(503, busy.statusCode());
        assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("{\"error\":\"server busy\"}", busy.body());
        assertEquals(0, sim.queuedReplies());

        HttpResponse<String> ok = post("/api/generate", request);
        assertEquals(200, ok.statusCode());
        assertEquals(OllamaSimulator.expectedReply("hi", 5), JSON.readTree(ok.body()).get("response").asText());
    }

    @Test
    void infoEndpointsDoNotConsumeTheScript() throws Exception {
        sim.enqueue(ScriptedReply.status(500).jsonBody("{\"error\":\"boom\"}"));
        assertEquals(200, get("/api/version").statusCode());
        assertEquals(200, get("/api/tags").statusCode());
        assertEquals(1, sim.queuedReplies());
        assertEquals(500, post("/api/embed", "{}").statusCode());
    }

    @Test
    void scriptedLinesAreWrittenVerbatimIncludingErrorLine() throws Exception {
        sim.enqueue(ScriptedReply.ndjson("{\"response\":\"a\",\"done\":false}", "not json {").errorLine("it broke"));

        HttpResponse<List<String>> response = postLines("/api/generate", "{}");

        assertEquals(List.of("{\"response\":\"a\",\"done\":false}", "not json {", "{\"error\":\"it broke\"}"),
                response.body());
    }

    @Test
    void disconnectAfterLineTruncatesTheStream() throws Exception {
        sim.enqueue(ScriptedReply.ndjson("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}").disconnectAfterLine(2));

        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("POST", "/api/chat", "{}");
            RawResponse head = connection.readHead();
            assertEquals(200, head.status);
            assertEquals("{\"n\":0}\n", connection.readChunk());
            assertEquals("{\"n\":1}\n", connection.readChunk());
            assertThrows(IOException.class, connection::readChunk);
        }
        assertTrue(sim.awaitServedResponses(1, WAIT));
        ServedResponse served = sim.lastServedResponse();
        assertEquals(Outcome.SCRIPTED_DISCONNECT, served.outcome());
        assertEquals(2, served.linesWritten());
        assertEquals(0, sim.abandonedStreams());
    }

    @Test
    void disconnectBeforeResponseSendsNothing() throws Exception {
        sim.enqueue(ScriptedReply.status(200).disconnectBeforeResponse());

        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("POST", "/api/generate", "{\"model\":\"llama3.2\"}");
            assertThrows(IOException.class, () -> connection.readHead());
        }
        assertEquals("{\"model\":\"llama3.2\"}", sim.takeRequest().bodyUtf8());
    }

    @Test
    void gateHoldsTheStreamUntilOpened() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        sim.enqueue(ScriptedReply.ndjson("{\"n\":0}", "{\"n\":1}", "{\"n\":2}").awaitBeforeLine(1, gate));

        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("POST", "/api/generate", "{}");
            assertEquals(200, connection.readHead().status);
            assertEquals("{\"n\":0}\n", connection.readChunk());

            connection.socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> connection.in.read());
            assertEquals(0, sim.requestsServed());

            connection.socket.setSoTimeout((int) WAIT.toMillis());
            gate.countDown();
            assertEquals("{\"n\":1}\n", connection.readChunk());
            assertEquals("{\"n\":2}\n", connection.readChunk());
            assertNull(connection.readChunk());
        }
        assertTrue(sim.awaitServedResponses(1, WAIT));
        assertEquals(1, sim.requestsServed());
    }

    @Test
    void recordsTheRequest() throws Exception {
        String body = "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.url("/api/chat?trace=1")))
                .header("Content-Type", "application/json")
                .header("X-Trace", "abc")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .timeout(WAIT)
                .build();
        http.send(request, HttpResponse.BodyHandlers.discarding());

        RecordedRequest recorded = sim.takeRequest();
        assertEquals("POST", recorded.method());
        assertEquals("/api/chat", recorded.path());
        assertEquals("/api/chat?trace=1", recorded.target());
        assertEquals("abc", recorded.header("x-trace"));
        assertEquals("application/json", recorded.headers().get("CONTENT-TYPE"));
        assertEquals(body, recorded.bodyUtf8());
        assertEquals("h\u00e9llo", recorded.json().get("messages").get(0).get("content").asText());
        assertNotNull(recorded.receivedAt());
        assertEquals(1, sim.requestCount());
        assertNull(sim.takeRequest(Duration.ofMillis(50)));
    }

    @Test
    void chunkedRequestBodyIsDechunked() throws Exception {
        String part1 = "{\"model\":\"llama3.2\",";
        String part2 = "\"prompt\":\"one two\",\"stream\":false}";
        try (RawConnection connection = RawConnection.open(sim.port())) {
            String raw = "POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(part1.length()) + "\r\n" + part1 + "\r\n"
                    + Integer.toHexString(part2.length()) + ";ext=1\r\n" + part2 + "\r\n0\r\n\r\n";
            connection.out.write(raw.getBytes(StandardCharsets.US_ASCII));
            connection.out.flush();
            RawResponse response = connection.readResponse(false);
            assertEquals(OllamaSimulator.expectedReply("one two", 5),
                    JSON.readTree(response.body).get("response").asText());
        }
        assertEquals(part1 + part2, sim.takeRequest().bodyUtf8());
    }

    @Test
    void clientClosingMidStreamIsCountedAsAbandoned() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<String> lines = IntStream.range(0, 1000).mapToObj(i -> "{\"n\":" + i + "}").collect(Collectors.toList());
        sim.enqueue(ScriptedReply.ndjson(lines).awaitBeforeLine(2, gate));

        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("POST", "/api/generate", "{}");
            connection.readHead();
            connection.readChunk();
            connection.readChunk();
        }
        gate.countDown();

        assertTrue(sim.awaitAbandonedStreams(1, WAIT));
        ServedResponse served = sim.lastServedResponse();
        assertEquals(Outcome.CLIENT_LEFT, served.outcome());
        assertTrue(served.linesWritten() >= 2 && served.linesWritten() < 1000, "lines " + served.linesWritten());
        assertEquals(served.linesWritten(), sim.linesWrittenInLastStream());
        assertEquals(0, sim.requestsServed());
        assertTrue(sim.awaitConnectionsClosed(WAIT));
    }

    @Test
    void clientClosingDuringPacedDefaultStreamIsCountedAsAbandoned() throws Exception {
        sim.chunkCount(10_000).chunkDelay(Duration.ofMillis(1));

        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("POST", "/api/generate", "{\"model\":\"llama3.2\",\"prompt\":\"a b\"}");
            connection.readHead();
            assertTrue(connection.readChunk().contains("\"response\":\"a\""));
        }

        assertTrue(sim.awaitAbandonedStreams(1, WAIT));
        assertTrue(sim.linesWrittenInLastStream() < 10_000);
    }

    @Test
    void twoHundredThousandChunksStreamQuickly() throws Exception {
        int chunks = 200_000;
        sim.chunkCount(chunks);

        HttpResponse<List<String>> response = postLines("/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"" + PROMPT + "\"}");

        List<String> lines = response.body();
        assertEquals(chunks + 1, lines.size());
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(0, chunks)) {
            int start = line.indexOf("\"response\":\"") + 12;
            text.append(line, start, line.indexOf('"', start));
        }
        assertEquals(OllamaSimulator.expectedReply(PROMPT, chunks), text.toString());
        assertEquals(chunks, JSON.readTree(lines.get(chunks)).get("eval_count").intValue());
    }

    @Test
    void firstByteDelayHoldsTheStatusLine() throws Exception {
        sim.firstByteDelay(Duration.ofMillis(200));
        long start = System.nanoTime();
        HttpResponse<String> response = post("/api/generate",
                "{\"model\":\"llama3.2\",\"prompt\":\"x\",\"stream\":false}");
        assertEquals(200, response.statusCode());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos());
    }

    @Test
    void conformancePayloadsReplay(@TempDir Path dir) throws Exception {
        Path stream = dir.resolve("chat-stream.response.ndjson");
        Files.writeString(stream, "{\"message\":{\"content\":\"The\"},\"done\":false}\n{\"done\":true}\n");
        Path single = dir.resolve("chat-no-stream.response.ndjson");
        Files.writeString(single, "{\"done\":true}\n");
        Path empty = dir.resolve("copy.response.ndjson");
        Files.writeString(empty, "");
        sim.enqueue(ScriptedReply.fromConformance(stream, 200, true),
                ScriptedReply.fromConformance(single, 200, false),
                ScriptedReply.fromConformance(empty, 200, false));

        assertEquals(2, postLines("/api/chat", "{}").body().size());
        HttpResponse<String> second = post("/api/chat", "{}");
        assertEquals("{\"done\":true}", second.body());
        assertEquals("13", second.headers().firstValue("Content-Length").orElseThrow());
        HttpResponse<String> third = post("/api/copy", "{}");
        assertEquals(200, third.statusCode());
        assertEquals("", third.body());
    }

    @Test
    void rawBodyIsSentAsGiven() throws Exception {
        sim.enqueue(ScriptedReply.status(502).rawBody("<html>bad gateway</html>", "text/html"));
        HttpResponse<String> response = post("/api/chat", "{}");
        assertEquals(502, response.statusCode());
        assertEquals("text/html", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("<html>bad gateway</html>", response.body());
    }

    @Test
    void scriptedRepliesAreImmutable() {
        ScriptedReply base = ScriptedReply.ndjson("a");
        ScriptedReply more = base.errorLine("x").header("X-A", "1");
        assertEquals(List.of("a"), base.lines());
        assertEquals(2, more.lines().size());
        assertTrue(more.isStreaming());
        assertThrows(IllegalStateException.class, () -> ScriptedReply.status(500).jsonBody("{}").errorLine("x"));
    }

    @Test
    @Timeout(15)
    void closeEndsBlockedStreamsAndThreadsQuickly() throws Exception {
        CountDownLatch neverOpened = new CountDownLatch(1);
        sim.enqueue(ScriptedReply.ndjson("{\"n\":0}", "{\"n\":1}").awaitBeforeLine(1, neverOpened));
        try (RawConnection connection = RawConnection.open(sim.port())) {
            connection.send("POST", "/api/generate", "{}");
            connection.readHead();
            connection.readChunk();
            assertEquals(1, sim.openConnections());

            long start = System.nanoTime();
            sim.close();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(6).toNanos());
            assertEquals(0, sim.openConnections());
            assertThrows(IOException.class, connection::readChunk);
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", sim.port()).close());
    }

    // ---- embeddings and model management

    @Test
    void embedGivesDeterministicUnitVectorsAndHonoursDimensions() throws Exception {
        JsonNode single = JSON.readTree(post("/api/embed",
                "{\"model\":\"nomic-embed-text\",\"input\":\"why is the sky blue\"}").body());
        assertEquals("nomic-embed-text", single.get("model").asText());
        assertEquals(1, single.get("embeddings").size());
        float[] vector = floats(single.get("embeddings").get(0));
        assertEquals(8, vector.length);
        assertEquals(1.0, norm(vector), 1e-5);
        assertTrue(java.util.Arrays.equals(OllamaSimulator.expectedEmbedding("why is the sky blue", 0), vector));
        assertEquals(5, single.get("prompt_eval_count").intValue());
        assertTrue(single.get("total_duration").longValue() > 0);

        JsonNode batch = JSON.readTree(post("/api/embed",
                "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\",\"a\"],\"dimensions\":4}").body());
        assertEquals(3, batch.get("embeddings").size());
        float[] first = floats(batch.get("embeddings").get(0));
        assertEquals(4, first.length);
        assertEquals(1.0, norm(first), 1e-5);
        assertTrue(java.util.Arrays.equals(first, floats(batch.get("embeddings").get(2))), "equal texts, equal vectors");
        assertFalse(java.util.Arrays.equals(first, floats(batch.get("embeddings").get(1))));
        assertTrue(java.util.Arrays.equals(OllamaSimulator.expectedEmbedding("a", 4), first));
    }

    @Test
    void embedRefusesWhatOllamaRefuses() throws Exception {
        HttpResponse<String> badInput = post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[1,2]}");
        assertEquals(400, badInput.statusCode());
        assertEquals("{\"error\":\"invalid input type\"}", badInput.body());
        HttpResponse<String> unknown = post("/api/embed", "{\"model\":\"nope\",\"input\":\"x\"}");
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"error\":\"model 'nope' not found\"}", unknown.body());
        assertEquals(400, post("/api/embed", "").statusCode());
        JsonNode empty = JSON.readTree(post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[]}").body());
        assertEquals(0, empty.get("embeddings").size(), "an empty input only loads the model");
    }

    @Test
    void showDescribesKnownModelsOnly() throws Exception {
        JsonNode show = JSON.readTree(post("/api/show", "{\"model\":\"llama3.2\"}").body());
        assertEquals("llama3.2", show.get("details").get("family").asText());
        assertEquals("llama3.2", show.get("model_info").get("general.architecture").asText());
        assertEquals(0, show.get("model_info").get("tokenizer.ggml.tokens").size());
        assertFalse(show.has("tensors"));
        assertEquals("completion", show.get("capabilities").get(0).asText());
        assertTrue(show.get("modelfile").asText().contains("FROM llama3.2:latest"));

        JsonNode verbose = JSON.readTree(post("/api/show", "{\"model\":\"llama3.2\",\"verbose\":true}").body());
        assertTrue(verbose.get("model_info").get("tokenizer.ggml.tokens").size() > 0);
        assertEquals("token_embd.weight", verbose.get("tensors").get(0).get("name").asText());
        assertEquals("embedding", JSON.readTree(post("/api/show", "{\"model\":\"nomic-embed-text\"}").body())
                .get("capabilities").get(0).asText());

        HttpResponse<String> missing = post("/api/show", "{\"model\":\"nope\"}");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"error\":\"model 'nope' not found\"}", missing.body());
    }

    @Test
    void psListsTheModelsThatServedARequest() throws Exception {
        assertEquals(0, JSON.readTree(get("/api/ps").body()).get("models").size());
        post("/api/generate", "{\"model\":\"qwen3\",\"prompt\":\"x\",\"stream\":false}");
        post("/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":\"x\"}");

        JsonNode models = JSON.readTree(get("/api/ps").body()).get("models");
        List<String> names = new ArrayList<>();
        models.forEach(model -> names.add(model.get("name").asText()));
        assertEquals(java.util.Set.of("qwen3:latest", "nomic-embed-text:latest"), java.util.Set.copyOf(names));
        JsonNode first = models.get(0);
        assertTrue(java.time.Instant.parse(first.get("expires_at").asText()).isAfter(java.time.Instant.now()));
        assertEquals(first.get("size").longValue(), first.get("size_vram").longValue());
        assertEquals(4096, first.get("context_length").intValue());
        assertEquals(405, post("/api/ps", "{}").statusCode());
    }

    @Test
    void pullStreamsProgressAndAddsTheModel() throws Exception {
        assertFalse(sim.localModels().contains("mistral:latest"));
        HttpResponse<List<String>> response = postLines("/api/pull", "{\"model\":\"mistral\"}");

        assertEquals(200, response.statusCode());
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElseThrow());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : response.body()) {
            lines.add(JSON.readTree(line));
        }
        assertEquals("pulling manifest", lines.get(0).get("status").asText());
        JsonNode layer = lines.get(1);
        assertTrue(layer.get("status").asText().matches("pulling [0-9a-f]{12}"), layer.toString());
        assertTrue(layer.get("digest").asText().matches("sha256:[0-9a-f]{64}"));
        assertTrue(layer.get("digest").asText().startsWith("sha256:" + layer.get("status").asText().substring(8)));
        assertFalse(layer.has("completed"), "completed is absent until bytes arrive");
        JsonNode done = lines.get(3);
        assertEquals(done.get("total").longValue(), done.get("completed").longValue());
        List<String> tail = lines.subList(lines.size() - 3, lines.size()).stream()
                .map(line -> line.get("status").asText()).collect(Collectors.toList());
        assertEquals(List.of("verifying sha256 digest", "writing manifest", "success"), tail);
        assertTrue(sim.localModels().contains("mistral:latest"));
        assertEquals(200, post("/api/chat",
                "{\"model\":\"mistral\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .statusCode());

        HttpResponse<String> quiet = post("/api/pull", "{\"model\":\"gemma3\",\"stream\":false}");
        assertEquals("application/json; charset=utf-8", quiet.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"status\":\"success\"}", quiet.body());
    }

    @Test
    void pullOfAnUnknownModelFailsAsOllamaDoes() throws Exception {
        HttpResponse<List<String>> response = postLines("/api/pull", "{\"model\":\"no-such-model\"}");
        assertEquals(200, response.statusCode());
        assertEquals(List.of("{\"status\":\"pulling manifest\"}",
                "{\"error\":\"pull model manifest: file does not exist\"}"), response.body());
        assertFalse(sim.localModels().contains("no-such-model:latest"));

        HttpResponse<String> quiet = post("/api/pull", "{\"model\":\"no-such-model\",\"stream\":false}");
        assertEquals(500, quiet.statusCode());
        assertEquals("{\"error\":\"pull model manifest: file does not exist\"}", quiet.body());

        sim.registry("no-such-model");
        assertEquals(200, post("/api/pull", "{\"model\":\"no-such-model\",\"stream\":false}").statusCode());
        assertTrue(sim.localModels().contains("no-such-model:latest"));
    }

    @Test
    void pushStreamsProgressForLocalModels() throws Exception {
        List<String> statuses = new ArrayList<>();
        for (String line : postLines("/api/push", "{\"model\":\"qwen3\"}").body()) {
            statuses.add(JSON.readTree(line).get("status").asText());
        }
        assertEquals("retrieving manifest", statuses.get(0));
        assertTrue(statuses.get(1).matches("pushing [0-9a-f]{12}"));
        assertEquals(List.of("pushing manifest", "success"), statuses.subList(statuses.size() - 2, statuses.size()));

        List<String> missing = postLines("/api/push", "{\"model\":\"nope\"}").body();
        assertEquals(List.of("{\"error\":\"model \\\"nope\\\" not found\"}"), missing);
    }

    @Test
    void createFromAModelOrFromUploadedBlobs() throws Exception {
        List<String> statuses = new ArrayList<>();
        for (String line : postLines("/api/create",
                "{\"model\":\"mario\",\"from\":\"llama3.2\",\"system\":\"You are Mario.\"}").body()) {
            statuses.add(JSON.readTree(line).get("status").asText());
        }
        assertEquals("reading model metadata", statuses.get(0));
        assertTrue(statuses.contains("creating system layer"));
        assertEquals(List.of("writing manifest", "success"), statuses.subList(statuses.size() - 2, statuses.size()));
        JsonNode mario = JSON.readTree(post("/api/show", "{\"model\":\"mario\"}").body());
        assertEquals("You are Mario.", mario.get("system").asText());
        assertEquals("llama3.2", mario.get("details").get("parent_model").asText());

        byte[] gguf = "GGUF not really".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + sha256Hex(gguf);
        String create = "{\"model\":\"mine\",\"files\":{\"model.gguf\":\"" + digest + "\"},\"stream\":false}";
        HttpResponse<String> early = post("/api/create", create);
        assertEquals(400, early.statusCode(), "the blob is not uploaded yet");
        assertEquals(201, send("POST", "/api/blobs/" + digest, gguf).statusCode());
        assertEquals("{\"status\":\"success\"}", post("/api/create", create).body());
        assertTrue(JSON.readTree(post("/api/show", "{\"model\":\"mine\"}").body()).get("modelfile").asText()
                .contains(digest.replace(':', '-')));

        assertEquals(400, post("/api/create", "{\"model\":\"empty\"}").statusCode());
        List<String> unknownBase = postLines("/api/create", "{\"model\":\"x\",\"from\":\"no-such-base\"}").body();
        assertEquals("{\"error\":\"pull model manifest: file does not exist\"}", unknownBase.get(unknownBase.size() - 1));
    }

    @Test
    void copyAndDeleteChangeTheModelList() throws Exception {
        HttpResponse<String> copied = post("/api/copy", "{\"source\":\"llama3.2\",\"destination\":\"llama3-backup\"}");
        assertEquals(200, copied.statusCode());
        assertEquals("", copied.body());
        assertTrue(sim.localModels().contains("llama3-backup:latest"));
        HttpResponse<String> missingSource = post("/api/copy", "{\"source\":\"nope\",\"destination\":\"x\"}");
        assertEquals(404, missingSource.statusCode());
        assertEquals("{\"error\":\"model \\\"nope\\\" not found\"}", missingSource.body());

        HttpResponse<String> deleted = send("DELETE", "/api/delete", "{\"model\":\"llama3-backup\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, deleted.statusCode());
        assertEquals("", deleted.body());
        assertFalse(sim.localModels().contains("llama3-backup:latest"));
        HttpResponse<String> again = send("DELETE", "/api/delete", "{\"model\":\"llama3-backup\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(404, again.statusCode());
        assertEquals("{\"error\":\"model 'llama3-backup' not found\"}", again.body());
        assertEquals(405, post("/api/delete", "{\"model\":\"qwen3\"}").statusCode());
    }

    @Test
    void blobsAreCheckedByDigest() throws Exception {
        byte[] bytes = new byte[100_000];
        new java.util.Random(7).nextBytes(bytes);
        String digest = "sha256:" + sha256Hex(bytes);

        assertEquals(404, send("HEAD", "/api/blobs/" + digest, null).statusCode());
        HttpResponse<String> created = send("POST", "/api/blobs/" + digest, bytes);
        assertEquals(201, created.statusCode());
        assertEquals("", created.body());
        assertEquals(200, send("POST", "/api/blobs/" + digest, bytes).statusCode(), "existed already");
        assertEquals(200, send("HEAD", "/api/blobs/" + digest, null).statusCode());
        assertEquals(java.util.Set.of(digest), sim.blobs());

        HttpResponse<String> mismatch = send("POST", "/api/blobs/sha256:" + "0".repeat(64), bytes);
        assertEquals(400, mismatch.statusCode());
        assertEquals("{\"error\":\"digest mismatch\"}", mismatch.body());
        assertEquals(400, send("HEAD", "/api/blobs/md5:abc", null).statusCode());
        assertEquals(405, get("/api/blobs/" + digest).statusCode());
    }

    @Test
    void enqueueForScriptsOnePathInfoPathsIncluded() throws Exception {
        sim.enqueueFor("/api/version", ScriptedReply.status(200).jsonBody("{\"version\":\"0.5.1\"}"));
        sim.enqueue(ScriptedReply.status(500).jsonBody("{\"error\":\"boom\"}"));
        assertEquals(2, sim.queuedReplies());

        assertEquals(500, post("/api/show", "{\"model\":\"nope\"}").statusCode(),
                "the general script serves the next request on a scripted path");
        assertEquals("{\"version\":\"0.5.1\"}", get("/api/version").body());
        assertEquals("{\"version\":\"0.33.0-sim\"}", get("/api/version").body());
        assertEquals(0, sim.queuedReplies());
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).floatValue();
        }
        return values;
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * (double) value;
        }
        return Math.sqrt(sum);
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.url(path)))
                .timeout(WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---- helpers

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.url(path))).timeout(WAIT).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<List<String>> postLines(String path, String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response =
                http.send(postRequest(path, body), HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = response.body()) {
            List<String> collected = lines.collect(Collectors.toList());
            return new LinesResponse(response, collected);
        }
    }

    private HttpRequest postRequest(String path, String body) {
        return HttpRequest.newBuilder(URI.create(sim.url(path)))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    /** A streamed response with its lines already collected. */
    private static final class LinesResponse implements HttpResponse<List<String>> {
        private final HttpResponse<?> delegate;
        private final List<String> lines;

        LinesResponse(HttpResponse<?> delegate, List<String> lines) {
            this.delegate = delegate;
            this.lines = lines;
        }

        @Override
        public int statusCode() {
            return delegate.statusCode();
        }

        @Override
        public HttpRequest request() {
            return delegate.request();
        }

        @Override
        public java.util.Optional<HttpResponse<List<String>>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return delegate.headers();
        }

        @Override
        public List<String> body() {
            return lines;
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return delegate.uri();
        }

        @Override
        public HttpClient.Version version() {
            return delegate.version();
        }
    }

    /** A parsed response read off a raw socket. */
    private static final class RawResponse {
        final int status;
        final Map<String, String> headers;
        final String body;

        RawResponse(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    /** A hand-driven HTTP/1.1 connection, to control exactly when the client reads and when it leaves. */
    private static final class RawConnection implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        private RawConnection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawConnection open(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) WAIT.toMillis());
            return new RawConnection(socket);
        }

        void send(String method, String path, String body, String... extraHeaders) throws IOException {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder();
            request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String header : extraHeaders) {
                request.append(header).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length)
                        .append("\r\n");
            }
            request.append("\r\n");
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        }

        RawResponse readHead() throws IOException {
            String statusLine = readLine();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            return new RawResponse(status, headers, "");
        }

        RawResponse readResponse(boolean headRequest) throws IOException {
            RawResponse head = readHead();
            if (headRequest) {
                return head;
            }
            String body;
            if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
                StringBuilder text = new StringBuilder();
                for (String chunk = readChunk(); chunk != null; chunk = readChunk()) {
                    text.append(chunk);
                }
                body = text.toString();
            } else {
                int length = Integer.parseInt(head.header("Content-Length"));
                byte[] bytes = in.readNBytes(length);
                if (bytes.length != length) {
                    throw new EOFException("short body");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            return new RawResponse(head.status, head.headers, body);
        }

        /** The next chunk's payload, or {@code null} after the terminating zero-length chunk. */
        String readChunk() throws IOException {
            int size = Integer.parseInt(readLine().toLowerCase(Locale.ROOT), 16);
            if (size == 0) {
                readLine();
                return null;
            }
            byte[] data = in.readNBytes(size);
            if (data.length != size) {
                throw new EOFException("short chunk");
            }
            if (!readLine().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            return new String(data, StandardCharsets.UTF_8);
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b == -1) {
                    throw new EOFException("connection closed");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
