package dev.camelollama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelollama.api.ModelDetails;
import dev.camelollama.api.ModelInfo;
import dev.camelollama.api.RunningModel;
import dev.camelollama.api.ShowModelResponse;
import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the documented payloads of the embed and model-management endpoints (conformance folder) through real
 * routes and checks both sides: the request the component sends equals the documented request, and the reply is
 * decoded into the documented values. The expected values are read from the payloads with Jackson's tree model,
 * never with the component's own types.
 */
@Timeout(60)
class ManagementConformanceTest extends SimulatorTestSupport {

    private static final String FOLDER = "conformance/ollama";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PROGRESS_ROWS = Set.of("pull-stream", "pull-no-stream", "push-stream",
            "push-no-stream", "create-from-gguf", "create-from-model", "create-from-safetensors", "create-quantize");

    /** One row of INDEX.tsv. */
    record Row(String name, String method, String path, int status, boolean streaming) {

        String operation() {
            return switch (path) {
                case "/api/pull" -> "pullModel";
                case "/api/push" -> "pushModel";
                case "/api/create" -> "createModel";
                default -> throw new IllegalStateException(path);
            };
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A progress row in one reply mode. */
    record Replay(Row row, String mode) {
        @Override
        public String toString() {
            return row.name() + " " + mode;
        }
    }

    static Stream<Replay> progressReplays() {
        List<Replay> replays = new ArrayList<>();
        for (Row row : readIndex()) {
            if (PROGRESS_ROWS.contains(row.name())) {
                if (row.streaming()) {
                    replays.add(new Replay(row, "aggregate"));
                    replays.add(new Replay(row, "split"));
                } else {
                    replays.add(new Replay(row, "off"));
                }
            }
        }
        return replays.stream();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().logExhausted(false));
                String base = "?maximumRedeliveries=0&baseUrl=" + sim.baseUrl();
                for (String operation : List.of("embed", "listModels", "showModel", "runningModels", "version",
                        "copyModel", "deleteModel", "blobExists", "pushBlob")) {
                    from("direct:" + operation).to("ollama:" + operation + base);
                }
                for (String operation : List.of("pullModel", "pushModel", "createModel")) {
                    from("direct:" + operation + "-aggregate").to("ollama:" + operation + base);
                    from("direct:" + operation + "-off").to("ollama:" + operation + base + "&streaming=off");
                    from("direct:" + operation + "-split").to("ollama:" + operation + base + "&streaming=split")
                            .split(body()).streaming()
                                .to("mock:progress")
                            .end();
                }
            }
        };
    }

    @Test
    void embedSingle() throws Exception {
        Row row = row("embed-single");
        JsonNode documented = replay(row);
        JsonNode request = documentedRequest(row);

        Exchange reply = template.request("direct:embed", exchange -> {
            exchange.getIn().setBody(request.get("input").textValue());
            exchange.getIn().setHeader(OllamaConstants.MODEL, request.get("model").textValue());
        });

        Message message = reply.getMessage();
        assertVector(documented.get("embeddings").get(0), assertInstanceOf(float[].class, message.getBody()));
        assertEquals(documented.get("model").textValue(), message.getHeader(OllamaConstants.MODEL));
        assertEquals(documented.get("total_duration").longValue(), message.getHeader(OllamaConstants.TOTAL_DURATION));
        assertEquals(documented.get("load_duration").longValue(), message.getHeader(OllamaConstants.LOAD_DURATION));
        assertEquals(documented.get("prompt_eval_count").longValue(),
                message.getHeader(OllamaConstants.PROMPT_EVAL_COUNT));
        assertSentAsDocumented(row);
    }

    @Test
    void embedBatch() throws Exception {
        Row row = row("embed-batch");
        JsonNode documented = replay(row);
        JsonNode request = documentedRequest(row);
        List<String> inputs = JSON.convertValue(request.get("input"), new TypeReference<>() { });

        Exchange reply = template.request("direct:embed", exchange -> {
            exchange.getIn().setBody(inputs);
            exchange.getIn().setHeader(OllamaConstants.MODEL, request.get("model").textValue());
        });

        List<?> vectors = assertInstanceOf(List.class, reply.getMessage().getBody());
        assertEquals(documented.get("embeddings").size(), vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            assertVector(documented.get("embeddings").get(i), (float[]) vectors.get(i));
        }
        assertNull(reply.getMessage().getHeader(OllamaConstants.TOTAL_DURATION), "the documented reply has none");
        assertSentAsDocumented(row);
    }

    @Test
    void tags() throws Exception {
        Row row = row("tags");
        JsonNode documented = replay(row);

        List<?> models = template.requestBody("direct:listModels", null, List.class);

        JsonNode expected = documented.get("models");
        assertEquals(expected.size(), models.size());
        for (int i = 0; i < models.size(); i++) {
            ModelInfo model = (ModelInfo) models.get(i);
            JsonNode node = expected.get(i);
            assertEquals(node.get("name").textValue(), model.name());
            assertEquals(node.get("model").textValue(), model.model());
            assertEquals(node.get("modified_at").textValue(), model.modifiedAt());
            assertEquals(node.get("size").longValue(), model.size());
            assertEquals(node.get("digest").textValue(), model.digest());
            assertDetails(node.get("details"), model.details());
        }
        assertSentAsDocumented(row);
    }

    @Test
    void show() throws Exception {
        Row row = row("show");
        JsonNode documented = replay(row);

        ShowModelResponse shown = template.requestBodyAndHeader("direct:showModel", null, OllamaConstants.MODEL,
                documentedRequest(row).get("model").textValue(), ShowModelResponse.class);

        assertEquals(documented.get("modelfile").textValue(), shown.modelfile());
        assertEquals(documented.get("parameters").textValue(), shown.parameters());
        assertEquals(documented.get("template").textValue(), shown.template());
        assertDetails(documented.get("details"), shown.details());
        assertEquals(JSON.convertValue(documented.get("model_info"), new TypeReference<Map<String, Object>>() { }),
                shown.modelInfo());
        assertEquals(JSON.convertValue(documented.get("capabilities"), new TypeReference<List<String>>() { }),
                shown.capabilities());
        assertSentAsDocumented(row);
    }

    @Test
    void ps() throws Exception {
        runningModels(row("ps"));
    }

    @Test
    void psContextLength() throws Exception {
        runningModels(row("ps-context-length"));
    }

    private void runningModels(Row row) throws Exception {
        JsonNode documented = replay(row);

        List<?> running = template.requestBody("direct:runningModels", null, List.class);

        JsonNode expected = documented.get("models");
        assertEquals(expected.size(), running.size());
        for (int i = 0; i < running.size(); i++) {
            RunningModel model = (RunningModel) running.get(i);
            JsonNode node = expected.get(i);
            assertEquals(node.get("name").textValue(), model.name());
            assertEquals(node.get("model").textValue(), model.model());
            assertEquals(node.get("size").longValue(), model.size());
            assertEquals(node.get("digest").textValue(), model.digest());
            assertEquals(node.get("expires_at").textValue(), model.expiresAt());
            assertEquals(node.get("size_vram").longValue(), model.sizeVram());
            assertEquals(node.has("context_length") ? node.get("context_length").longValue() : null,
                    model.contextLength());
            assertDetails(node.get("details"), model.details());
        }
        assertSentAsDocumented(row);
    }

    @Test
    void version() throws Exception {
        Row row = row("version");
        JsonNode documented = replay(row);

        assertEquals(documented.get("version").textValue(), template.requestBody("direct:version", null, String.class));
        assertSentAsDocumented(row);
    }

    @Test
    void copy() throws Exception {
        Row row = row("copy");
        replay(row);
        JsonNode request = documentedRequest(row);

        Exchange copied = template.request("direct:copyModel", exchange -> {
            exchange.getIn().setHeader(OllamaConstants.MODEL, request.get("source").textValue());
            exchange.getIn().setHeader(OllamaConstants.DESTINATION, request.get("destination").textValue());
        });

        assertNull(copied.getException());
        assertNull(copied.getMessage().getBody());
        assertSentAsDocumented(row);
    }

    @Test
    void delete() throws Exception {
        Row row = row("delete");
        replay(row);

        Exchange deleted = template.request("direct:deleteModel", exchange -> exchange.getIn()
                .setHeader(OllamaConstants.MODEL, documentedRequest(row).get("model").textValue()));

        assertNull(deleted.getException());
        assertNull(deleted.getMessage().getBody());
        assertSentAsDocumented(row);
    }

    @Test
    void blobHeadExists() throws Exception {
        Row row = row("blob-head-exists");
        replay(row);
        String digest = row.path().substring("/api/blobs/".length());

        assertEquals(Boolean.TRUE, template.requestBodyAndHeader("direct:blobExists", null, OllamaConstants.DIGEST,
                digest, Boolean.class));
        assertSentAsDocumented(row);
    }

    @Test
    void blobPush() throws Exception {
        Row row = row("blob-push");
        replay(row);
        byte[] file = "the raw bytes of model.gguf".getBytes(StandardCharsets.UTF_8);

        Exchange pushed = template.request("direct:pushBlob", exchange -> exchange.getIn().setBody(file));

        assertNull(pushed.getException(), "201 created is a success");
        String digest = pushed.getMessage().getBody(String.class);
        assertTrue(digest.matches("sha256:[0-9a-f]{64}"));
        RecordedRequest sent = sim.takeRequest();
        assertEquals(row.method(), sent.method());
        assertEquals("/api/blobs/" + digest, sent.path(), "the digest of these bytes, as the docs' curl -T does");
        assertEquals(file.length, sent.bodySize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("progressReplays")
    void progress(Replay replay) throws Exception {
        Row row = replay.row();
        JsonNode request = documentedRequest(row);
        List<JsonNode> lines = responseLines(row);
        replay(row);
        String route = "direct:" + row.operation() + "-" + replay.mode();

        Exchange reply = template.request(route, exchange -> {
            exchange.getIn().setHeader(OllamaConstants.MODEL, request.get("model").textValue());
            if ("createModel".equals(row.operation())) {
                Map<String, Object> body = JSON.convertValue(request, new TypeReference<>() { });
                body.remove("model");
                exchange.getIn().setBody(body);
            }
        });

        assertNull(reply.getException());
        JsonNode last = lines.get(lines.size() - 1);
        if ("split".equals(replay.mode())) {
            MockEndpoint progress = getMockEndpoint("mock:progress");
            List<Exchange> messages = progress.getExchanges();
            assertEquals(lines.size(), messages.size());
            for (int i = 0; i < lines.size(); i++) {
                JsonNode line = lines.get(i);
                Message message = messages.get(i).getMessage();
                assertEquals(line.get("status").textValue(), message.getBody());
                assertEquals(line.get("status").textValue(), message.getHeader(OllamaConstants.STATUS));
                assertEquals(textOrNull(line.get("digest")), message.getHeader(OllamaConstants.DIGEST));
                assertEquals(longOrNull(line.get("total")), message.getHeader(OllamaConstants.TOTAL));
                assertEquals(longOrNull(line.get("completed")), message.getHeader(OllamaConstants.COMPLETED));
                Long total = longOrNull(line.get("total"));
                Long completed = longOrNull(line.get("completed"));
                Double percent = total == null || total <= 0 ? null
                        : (completed == null ? 0 : completed) * 100.0 / total;
                assertEquals(percent, message.getHeader(OllamaConstants.PERCENT));
                assertEquals(i == lines.size() - 1, message.getHeader(OllamaConstants.DONE));
            }
        } else {
            assertEquals(last.get("status").textValue(), reply.getMessage().getBody());
            assertEquals((long) lines.size(), reply.getMessage().getHeader(OllamaConstants.CHUNK_COUNT));
        }
        assertEquals("success", last.get("status").textValue());
        RecordedRequest sent = sim.takeRequest();
        assertEquals(row.method(), sent.method());
        assertEquals(row.path(), sent.path());
        ObjectNode body = (ObjectNode) sent.json();
        if (!request.has("stream")) {
            // createModel always says how it wants the reply; the documented request leaves it to the default
            JsonNode stream = body.remove("stream");
            assertTrue(stream == null || stream.booleanValue(), "a streamed row is asked for as a stream");
        }
        assertEquals(request, body);
    }

    // ---- helpers

    /** Queues the row's documented reply; answers the parsed last line (the whole body when not streamed). */
    private JsonNode replay(Row row) throws IOException {
        ScriptedReply reply = ScriptedReply.fromConformance(responseFile(row), row.status(), row.streaming());
        // the info paths never take a general script (health checks must not eat one): script them by path
        if (row.path().equals("/api/tags") || row.path().equals("/api/version")) {
            sim.enqueueFor(row.path(), reply);
        } else {
            sim.enqueue(reply);
        }
        List<JsonNode> lines = responseLines(row);
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    private void assertSentAsDocumented(Row row) throws InterruptedException {
        RecordedRequest sent = sim.takeRequest();
        assertEquals(row.method(), sent.method());
        assertEquals(row.path(), sent.path());
        JsonNode documented = documentedRequest(row);
        if (documented == null) {
            assertEquals(0, sent.bodySize(), "the documented request has no body");
        } else {
            assertEquals(documented, sent.json());
        }
    }

    private static void assertVector(JsonNode expected, float[] actual) {
        assertEquals(expected.size(), actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected.get(i).floatValue(), actual[i], "component " + i);
        }
    }

    private static void assertDetails(JsonNode expected, ModelDetails details) {
        assertEquals(expected.get("parent_model").textValue(), details.parentModel());
        assertEquals(expected.get("format").textValue(), details.format());
        assertEquals(expected.get("family").textValue(), details.family());
        List<String> families = new ArrayList<>();
        expected.get("families").forEach(family -> families.add(family.textValue()));
        assertEquals(families, details.families());
        assertEquals(expected.get("parameter_size").textValue(), details.parameterSize());
        assertEquals(expected.get("quantization_level").textValue(), details.quantizationLevel());
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Long longOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.longValue();
    }

    private static Row row(String name) {
        return readIndex().stream().filter(row -> row.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no row " + name + " in INDEX.tsv"));
    }

    private static List<Row> readIndex() {
        return ConformancePayloads.indexRows().stream().map(c -> new Row(c[0], c[1], c[2], Integer.parseInt(c[3]), "yes".equals(c[4]))).toList();
    }

    private static Path folder() {
        return ConformancePayloads.folder();
    }

    private static Path responseFile(Row row) {
        return ConformancePayloads.responseFile(row.name());
    }

    private static List<JsonNode> responseLines(Row row) {
        return ConformancePayloads.responseLines(row.name());
    }

    /** The documented request body, or null when the docs give none. */
    private static JsonNode documentedRequest(Row row) {
        return ConformancePayloads.documentedRequest(row.name());
    }
}
