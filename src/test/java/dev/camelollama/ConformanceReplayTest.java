package dev.camelollama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelollama.api.ChatRequest;
import dev.camelollama.api.GenerateRequest;
import dev.camelollama.api.ToolCall;
import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaBadRequestException;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.client.OllamaStreamInterruptedException;
import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every documented {@code /api/generate} and {@code /api/chat} payload of the conformance folder through
 * real routes, in each reply mode that applies: {@code aggregate} and {@code off} for every row, {@code split} for
 * the streamed rows. The expected outcome is computed from the payload with Jackson's tree model, never with the
 * component's own types.
 */
@Timeout(60)
class ConformanceReplayTest extends SimulatorTestSupport {

    private static final String FOLDER = "conformance/ollama";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The input when the docs give no request body (REQUEST_UNSPECIFIED, or a request that has none). */
    private static final String PLACEHOLDER_PROMPT = "Why is the sky blue?";
    private static final long WAIT_MILLIS = 10_000;

    /** Header -> field of the final ({@code done}) line; each is a Long, absent when the field is absent. */
    private static final Map<String, String> METRICS = metricsFields();

    /**
     * Cases that reveal a bug in the component, keyed {@code mode/row}, with the reason. Empty: every row passes.
     */
    private static final Map<String, String> KNOWN_COMPONENT_BUGS = Map.of();

    /** One row of INDEX.tsv; named after the row in the test report. */
    record Row(String name, String method, String path, int status, boolean streaming, String notes) {

        boolean chat() {
            return "/api/chat".equals(path);
        }

        String operation() {
            return chat() ? "chat" : "generate";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> generationRows() {
        return readIndex().stream().filter(row -> "/api/generate".equals(row.path()) || "/api/chat".equals(row.path()));
    }

    static Stream<Row> streamedGenerationRows() {
        return generationRows().filter(Row::streaming);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // the failing rows are expected: keep Camel from logging each one as an exhausted delivery
                errorHandler(defaultErrorHandler().logExhausted(false));
                for (String operation : List.of("generate", "chat")) {
                    from("direct:" + operation + "-aggregate")
                            .to(ollama(operation, "streaming=aggregate&maximumRedeliveries=0"))
                            .to("mock:reply");
                    from("direct:" + operation + "-off")
                            .to(ollama(operation, "streaming=off&maximumRedeliveries=0"))
                            .to("mock:reply");
                    from("direct:" + operation + "-split")
                            .to(ollama(operation, "streaming=split&maximumRedeliveries=0"))
                            .split(body()).streaming()
                                .to("mock:chunk")
                            .end()
                            .to("mock:after-split");
                }
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generationRows")
    void aggregate(Row row) throws Exception {
        replayWhole(row, "aggregate");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generationRows")
    void off(Row row) throws Exception {
        replayWhole(row, "off");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamedGenerationRows")
    void split(Row row) throws Exception {
        skipKnownBug("split", row);
        Expected expected = Expected.of(row);
        sim.enqueue(ScriptedReply.fromConformance(responseFile(row), row.status(), row.streaming()));
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        MockEndpoint after = getMockEndpoint("mock:after-split");

        Exchange result = send(row, "split");

        assertRequest(row);
        if (expected.failure()) {
            assertNotNull(result.getException(), row + ": the exchange must fail");
            assertEquals(0, after.getReceivedCounter(), row + ": nothing may continue after a failed split");
            assertEquals(expected.lineTexts().size(), chunks.getReceivedCounter(),
                    row + ": the chunks before the failure reach the route");
            assertChunkBodies(row, expected, chunks.getExchanges());
            assertFailure(row, "split", expected, result.getException());
            return;
        }
        assertNull(result.getException(), () -> row + ": unexpected failure " + result.getException());
        chunks.expectedMessageCount(expected.lines().size());
        after.expectedMessageCount(1);
        chunks.assertIsSatisfied(WAIT_MILLIS);
        after.assertIsSatisfied(WAIT_MILLIS);
        List<Exchange> received = chunks.getExchanges();
        assertChunkBodies(row, expected, received);
        for (int i = 0; i < received.size(); i++) {
            JsonNode line = expected.lines().get(i);
            Message chunk = received.get(i).getMessage();
            String where = row + " chunk " + i + ": ";
            boolean done = line.path("done").asBoolean(false);
            assertEquals((long) i, chunk.getHeader(OllamaConstants.CHUNK_INDEX), where + "index");
            assertEquals(done, chunk.getHeader(OllamaConstants.DONE), where + OllamaConstants.DONE);
            assertEquals(expected.thinkingOf(line), chunk.getHeader(OllamaConstants.THINKING),
                    where + OllamaConstants.THINKING);
            assertToolCalls(where, expected.toolCallNamesOf(line), chunk.getHeader(OllamaConstants.TOOL_CALLS));
            if (done) {
                assertMetrics(where, line, chunk);
            } else {
                for (String header : METRICS.keySet()) {
                    assertNull(chunk.getHeader(header), where + header + " only on the final chunk");
                }
                assertNull(chunk.getHeader(OllamaConstants.DONE_REASON), where + "done reason only on the final chunk");
            }
        }
        assertTrue(received.get(received.size() - 1).getMessage().getHeader(OllamaConstants.DONE, Boolean.class),
                row + ": the last chunk is the done one");
    }

    // ---- aggregate and off

    private void replayWhole(Row row, String mode) throws Exception {
        skipKnownBug(mode, row);
        Expected expected = Expected.of(row);
        sim.enqueue(ScriptedReply.fromConformance(responseFile(row), row.status(), row.streaming()));
        MockEndpoint reply = getMockEndpoint("mock:reply");

        Exchange result = send(row, mode);

        assertRequest(row);
        if (expected.failure()) {
            assertNotNull(result.getException(), row + ": the exchange must fail");
            assertEquals(0, reply.getReceivedCounter(), row + ": no reply may reach the route");
            assertFailure(row, mode, expected, result.getException());
            return;
        }
        assertNull(result.getException(), () -> row + ": unexpected failure " + result.getException());
        reply.expectedMessageCount(1);
        reply.assertIsSatisfied(WAIT_MILLIS);
        Message message = reply.getExchanges().get(0).getMessage();
        String where = row + " [" + mode + "]: ";
        assertEquals(expected.text(), message.getBody(String.class), where + "body");
        assertMetrics(where, expected.doneLine(), message);
        assertEquals(expected.thinking(), message.getHeader(OllamaConstants.THINKING), where + OllamaConstants.THINKING);
        assertToolCalls(where, expected.toolCallNames(), message.getHeader(OllamaConstants.TOOL_CALLS));
        assertEquals((long) expected.lines().size(), message.getHeader(OllamaConstants.CHUNK_COUNT),
                where + OllamaConstants.CHUNK_COUNT);
    }

    // ---- sending

    private Exchange send(Row row, String mode) throws IOException {
        JsonNode request = documentedRequest(row);
        Object body;
        if (row.chat()) {
            body = request == null ? PLACEHOLDER_PROMPT : JSON.treeToValue(request, ChatRequest.class);
        } else if (request == null) {
            body = PLACEHOLDER_PROMPT;
        } else if (!textOf(request.get("prompt")).isEmpty()) {
            body = textOf(request.get("prompt"));
        } else {
            // the component refuses a blank String body by design: a load/unload request goes as a record
            body = JSON.treeToValue(request, GenerateRequest.class);
        }
        String model = request == null ? null : textOrNull(request.get("model"));
        Object input = body;
        return template.send("direct:" + row.operation() + "-" + mode, exchange -> {
            exchange.getIn().setBody(input);
            if (model != null) {
                exchange.getIn().setHeader(OllamaConstants.MODEL, model);
            }
        });
    }

    /** Only the documented model, prompt and messages: full request equality is out of scope here. */
    private void assertRequest(Row row) throws Exception {
        assertEquals(1, sim.requestCount(), row + ": exactly one request, no redelivery");
        RecordedRequest recorded = sim.takeRequest(Duration.ofSeconds(5));
        assertNotNull(recorded, row + ": the simulator saw no request");
        assertEquals(row.path(), recorded.path(), row + ": path");
        JsonNode documented = documentedRequest(row);
        JsonNode sent = recorded.json();
        if (documented == null) {
            return;
        }
        if (documented.has("model")) {
            assertEquals(documented.get("model"), sent.get("model"), row + ": model");
        }
        if (row.chat()) {
            assertEquals(documented.get("messages"), sent.get("messages"), row + ": messages");
        } else {
            assertEquals(textOf(documented.get("prompt")), textOf(sent.get("prompt")), row + ": prompt");
        }
    }

    // ---- assertions

    private static void assertChunkBodies(Row row, Expected expected, List<Exchange> received) {
        List<String> bodies = new ArrayList<>();
        for (Exchange exchange : received) {
            bodies.add(exchange.getMessage().getBody(String.class));
        }
        assertEquals(expected.lineTexts(), bodies, row + ": chunk bodies");
    }

    private static void assertMetrics(String where, JsonNode done, Message message) {
        assertNotNull(done, where + "the payload has no done line");
        for (Map.Entry<String, String> metric : METRICS.entrySet()) {
            JsonNode value = done.get(metric.getValue());
            Object actual = message.getHeader(metric.getKey());
            if (value == null || value.isNull()) {
                assertNull(actual, where + metric.getKey() + " must be absent: the payload has no "
                                   + metric.getValue());
            } else {
                assertTrue(value.isIntegralNumber(), where + metric.getValue() + " is an integer in the payload");
                assertInstanceOf(Long.class, actual, where + metric.getKey() + " is a Long");
                assertEquals(value.longValue(), actual, where + metric.getKey());
            }
        }
        assertEquals(textOrNull(done.get("done_reason")), message.getHeader(OllamaConstants.DONE_REASON),
                where + OllamaConstants.DONE_REASON);
        String model = textOrNull(done.get("model"));
        if (model != null) {
            assertEquals(model, message.getHeader(OllamaConstants.MODEL), where + OllamaConstants.MODEL);
        }
    }

    private static void assertToolCalls(String where, List<String> expectedNames, Object header) {
        if (expectedNames.isEmpty()) {
            assertNull(header, where + OllamaConstants.TOOL_CALLS + " must be absent");
            return;
        }
        List<?> calls = assertInstanceOf(List.class, header, where + OllamaConstants.TOOL_CALLS + " is a List");
        assertEquals(expectedNames.size(), calls.size(), where + "number of tool calls");
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = assertInstanceOf(ToolCall.class, calls.get(i), where + "tool call " + i);
            assertNotNull(call.function(), where + "tool call " + i + " has a function");
            assertEquals(expectedNames.get(i), call.function().name(), where + "tool call " + i + " name");
        }
    }

    private static void assertFailure(Row row, String mode, Expected expected, Exception failure) {
        String where = row + " [" + mode + "]: ";
        if (expected.lines().isEmpty() && expected.errorMessage() == null) {
            // UNDOCUMENTED_RESPONSE: an empty 200 body is no reply; the component must not invent an empty one
            OllamaException empty = assertInstanceOf(OllamaException.class, failure, where + "empty body");
            assertNotNull(empty.getMessage(), where + "the failure says why");
            return;
        }
        if (row.status() == 200) {
            OllamaStreamInterruptedException broken = assertInstanceOf(OllamaStreamInterruptedException.class,
                    failure, where + "an in-stream error line");
            assertEquals(expected.text(), broken.getPartialText(), where + "partial text");
            assertEquals(expected.lines().size(), broken.getChunksReceived(), where + "chunks before the error");
            OllamaServerException cause = assertInstanceOf(OllamaServerException.class, broken.getCause(),
                    where + "cause");
            assertEquals(expected.errorMessage(), cause.getServerMessage(), where + "server message");
            return;
        }
        switch (row.status()) {
            case 404 -> {
                ModelNotFoundException notFound = assertInstanceOf(ModelNotFoundException.class, failure, where);
                String model = textOrNull(documentedRequest(row).get("model"));
                assertEquals(model, notFound.getModel(), where + "model");
                assertTrue(notFound.getMessage().contains(model), where + notFound.getMessage());
                assertEquals(expected.errorMessage(), notFound.getServerMessage(), where + "server message");
                assertEquals(404, notFound.getStatusCode(), where + "status");
            }
            case 400 -> {
                OllamaBadRequestException bad = assertInstanceOf(OllamaBadRequestException.class, failure, where);
                assertEquals(expected.errorMessage(), bad.getServerMessage(), where + "server message");
                assertEquals(400, bad.getStatusCode(), where + "status");
            }
            default -> {
                OllamaServerException server = assertInstanceOf(OllamaServerException.class, failure, where);
                assertEquals(row.status(), server.getStatusCode(), where + "status");
                assertEquals(expected.errorMessage(), server.getServerMessage(), where + "server message");
            }
        }
    }

    private static void skipKnownBug(String mode, Row row) {
        String reason = KNOWN_COMPONENT_BUGS.get(mode + "/" + row.name());
        if (reason != null) {
            Assumptions.abort("component bug: " + reason);
        }
    }

    // ---- the expected outcome, from the payload alone

    /**
     * What a payload means, read with the tree model.
     *
     * @param lines        the lines before any error line
     * @param lineTexts    each of those lines' text
     * @param text         their concatenation
     * @param thinking     the concatenated reasoning, or null when no line carries any
     * @param toolCallNames every tool call's function name, in order
     * @param doneLine     the last line with {@code done: true}, or null
     * @param errorMessage the {@code error} of an error line or error body, or null
     */
    record Expected(List<JsonNode> lines, List<String> lineTexts, String text, String thinking,
            List<String> toolCallNames, JsonNode doneLine, String errorMessage, boolean chat) {

        static Expected of(Row row) throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            String error = null;
            for (String raw : Files.readAllLines(responseFile(row), StandardCharsets.UTF_8)) {
                if (raw.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(raw);
                if (node.has("error")) {
                    error = textOrNull(node.get("error"));
                    break;
                }
                lines.add(node);
            }
            boolean chat = row.chat();
            List<String> texts = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            StringBuilder thinking = null;
            List<String> toolCalls = new ArrayList<>();
            JsonNode done = null;
            for (JsonNode line : lines) {
                String lineText = textOf(chat ? line.path("message").get("content") : line.get("response"));
                texts.add(lineText);
                text.append(lineText);
                JsonNode think = chat ? line.path("message").get("thinking") : line.get("thinking");
                if (think != null && think.isTextual()) {
                    thinking = thinking == null ? new StringBuilder() : thinking;
                    thinking.append(think.textValue());
                }
                toolCalls.addAll(names(chat ? line.path("message").get("tool_calls") : line.get("tool_calls")));
                if (line.path("done").asBoolean(false)) {
                    done = line;
                }
            }
            return new Expected(lines, texts, text.toString(), thinking == null ? null : thinking.toString(),
                    toolCalls, done, error, chat);
        }

        /** A non-200 status, an error line, or an empty 200 body (no reply at all) all fail the exchange. */
        boolean failure() {
            return errorMessage != null || lines.isEmpty() || doneLine == null;
        }

        String thinkingOf(JsonNode line) {
            return textOrNull(chat ? line.path("message").get("thinking") : line.get("thinking"));
        }

        List<String> toolCallNamesOf(JsonNode line) {
            return names(chat ? line.path("message").get("tool_calls") : line.get("tool_calls"));
        }

        private static List<String> names(JsonNode toolCalls) {
            List<String> names = new ArrayList<>();
            if (toolCalls != null && toolCalls.isArray()) {
                for (JsonNode call : toolCalls) {
                    names.add(textOrNull(call.path("function").get("name")));
                }
            }
            return names;
        }
    }

    // ---- the conformance folder

    private static List<Row> readIndex() {
        return ConformancePayloads.indexRows().stream().map(c -> new Row(c[0], c[1], c[2], Integer.parseInt(c[3]), "yes".equals(c[4]), c.length > 5 ? c[5] : "")).toList();
    }

    private static Path folder() {
        return ConformancePayloads.folder();
    }

    private static Path responseFile(Row row) {
        return ConformancePayloads.responseFile(row.name());
    }

    /** The documented request body, or null when the docs give none. */
    private static JsonNode documentedRequest(Row row) {
        return ConformancePayloads.documentedRequest(row.name());
    }

    private static String textOf(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : "";
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static Map<String, String> metricsFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(OllamaConstants.TOTAL_DURATION, "total_duration");
        fields.put(OllamaConstants.LOAD_DURATION, "load_duration");
        fields.put(OllamaConstants.PROMPT_EVAL_COUNT, "prompt_eval_count");
        fields.put(OllamaConstants.PROMPT_EVAL_DURATION, "prompt_eval_duration");
        fields.put(OllamaConstants.EVAL_COUNT, "eval_count");
        fields.put(OllamaConstants.EVAL_DURATION, "eval_duration");
        return fields;
    }
}
