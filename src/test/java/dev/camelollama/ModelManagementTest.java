package dev.camelollama;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.api.CreateModelRequest;
import dev.camelollama.api.ModelInfo;
import dev.camelollama.api.RunningModel;
import dev.camelollama.api.ShowModelResponse;
import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaBadRequestException;
import dev.camelollama.simulator.RecordedRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** listModels, showModel, runningModels, version, copyModel, deleteModel, blobExists and pushBlob from Java DSL routes. */
@Timeout(60)
class ModelManagementTest extends SimulatorTestSupport {

    @TempDir
    Path dir;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().logExhausted(false));
                from("direct:list").to(ollama("listModels", ""));
                from("direct:show").to(ollama("showModel", ""));
                from("direct:show-verbose").to(ollama("showModel", "verbose=true"));
                from("direct:ps").to(ollama("runningModels", ""));
                from("direct:version").to(ollama("version", ""));
                from("direct:copy").to(ollama("copyModel", "destination=llama3-backup"));
                from("direct:delete").to(ollama("deleteModel", ""));
                from("direct:exists").to(ollama("blobExists", ""));
                from("direct:push-blob").to(ollama("pushBlob", ""));
                from("direct:embed").to("ollama:embed?model=nomic-embed-text&baseUrl=" + sim.baseUrl());
                // a blob, then a model made of it, then what the server says about it
                from("direct:gguf-to-model")
                        .to(ollama("pushBlob", ""))
                        .setBody(exchange -> CreateModelRequest.fromFiles("from-file",
                                Map.of("model.gguf", exchange.getMessage().getBody(String.class))))
                        .to(ollama("createModel", ""))
                        .setHeader(OllamaConstants.MODEL, constant("from-file"))
                        .to(ollama("showModel", ""));
            }
        };
    }

    @Test
    void listModelsGivesTypedRecords() throws Exception {
        List<?> models = template.requestBody("direct:list", null, List.class);

        assertEquals(List.of("llama3.2:latest", "qwen3:latest", "nomic-embed-text:latest"),
                models.stream().map(model -> ((ModelInfo) model).name()).toList());
        ModelInfo first = (ModelInfo) models.get(0);
        assertEquals("gguf", first.details().format());
        assertEquals("Q4_K_M", first.details().quantizationLevel());
        assertEquals(64, first.digest().length());
        assertTrue(first.size() > 0);
        RecordedRequest request = sim.takeRequest();
        assertEquals("GET", request.method());
        assertEquals("/api/tags", request.path());
    }

    @Test
    void showModelWithVerboseFromOptionOrHeader() throws Exception {
        ShowModelResponse plain = template.requestBody("direct:show", null, ShowModelResponse.class);
        assertEquals("llama3.2", plain.details().family());
        assertEquals("llama3.2", plain.modelInfo().get("general.architecture"));
        assertNull(plain.tensors());
        assertEquals(List.of("completion"), plain.capabilities());
        assertFalse(sim.takeRequest().json().has("verbose"));

        ShowModelResponse verbose = template.requestBody("direct:show-verbose", null, ShowModelResponse.class);
        assertEquals("token_embd.weight", verbose.tensors().get(0).name());
        assertTrue(sim.takeRequest().json().get("verbose").asBoolean());

        ShowModelResponse byHeader = template.requestBodyAndHeaders("direct:show", null,
                Map.of(OllamaConstants.VERBOSE, "true", OllamaConstants.MODEL, "qwen3"), ShowModelResponse.class);
        assertEquals("qwen3", byHeader.details().family());
        JsonNode sent = sim.takeRequest().json();
        assertEquals("qwen3", sent.get("model").asText());
        assertTrue(sent.get("verbose").asBoolean());
    }

    @Test
    void showModelOfAMissingModelIsModelNotFound() {
        CamelExecutionException failure = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader("direct:show", null, OllamaConstants.MODEL, "nope"));
        ModelNotFoundException missing = assertInstanceOf(ModelNotFoundException.class, failure.getCause());
        assertEquals("nope", missing.getModel());
    }

    @Test
    void runningModelsAndVersion() throws Exception {
        assertEquals(List.of(), template.requestBody("direct:ps", null, List.class));
        template.requestBody("direct:embed", "load me");

        List<?> running = template.requestBody("direct:ps", null, List.class);
        RunningModel model = (RunningModel) running.get(0);
        assertEquals("nomic-embed-text:latest", model.name());
        assertEquals(4096L, model.contextLength());
        assertEquals(model.size(), model.sizeVram());

        assertEquals("0.33.0-sim", template.requestBody("direct:version", null, String.class));
    }

    @Test
    void copyThenDeleteAndTheirNotFound() throws Exception {
        Exchange copied = template.request("direct:copy", exchange -> exchange.getIn().setBody("ignored"));
        assertNull(copied.getException());
        assertNull(copied.getMessage().getBody());
        assertTrue(sim.localModels().contains("llama3-backup:latest"));
        JsonNode copy = sim.takeRequest().json();
        assertEquals("llama3.2", copy.get("source").asText());
        assertEquals("llama3-backup", copy.get("destination").asText());

        Exchange deleted = template.request("direct:delete",
                exchange -> exchange.getIn().setHeader(OllamaConstants.MODEL, "llama3-backup"));
        assertNull(deleted.getException());
        assertNull(deleted.getMessage().getBody());
        assertFalse(sim.localModels().contains("llama3-backup:latest"));
        RecordedRequest delete = sim.takeRequest();
        assertEquals("DELETE", delete.method());
        assertEquals("llama3-backup", delete.json().get("model").asText());

        Exchange again = template.request("direct:delete",
                exchange -> exchange.getIn().setHeader(OllamaConstants.MODEL, "llama3-backup"));
        assertEquals("llama3-backup", assertInstanceOf(ModelNotFoundException.class, again.getException()).getModel());
        Exchange missingSource = template.request("direct:copy",
                exchange -> exchange.getIn().setHeader(OllamaConstants.MODEL, "nope"));
        assertEquals("nope", assertInstanceOf(ModelNotFoundException.class, missingSource.getException()).getModel());
        Exchange destinationByHeader = template.request("direct:copy",
                exchange -> exchange.getIn().setHeader(OllamaConstants.DESTINATION, "second-copy"));
        assertNull(destinationByHeader.getException());
        assertTrue(sim.localModels().contains("second-copy:latest"));
    }

    @Test
    void pushBlobFromARealFileThenCreateAModelOfItThenShowIt() throws Exception {
        Path file = dir.resolve("model.gguf");
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(bytes);
        Files.write(file, bytes);
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        Exchange pushed = template.request("direct:push-blob", exchange -> exchange.getIn().setBody(file.toFile()));
        assertNull(pushed.getException());
        assertEquals(expected, pushed.getMessage().getBody(String.class));
        assertEquals(expected, pushed.getMessage().getHeader(OllamaConstants.DIGEST));
        RecordedRequest upload = sim.takeRequest();
        assertEquals("/api/blobs/" + expected, upload.path());
        assertEquals(bytes.length, upload.bodySize());
        assertEquals("application/octet-stream", upload.header("Content-Type"));
        assertEquals(java.util.Set.of(expected), sim.blobs());

        assertEquals(Boolean.TRUE, template.requestBody("direct:exists", expected, Boolean.class));
        assertEquals(Boolean.FALSE, template.requestBodyAndHeader("direct:exists", null, OllamaConstants.DIGEST,
                "sha256:" + "0".repeat(64), Boolean.class));
        assertEquals(Boolean.TRUE, template.requestBody("direct:exists", expected.substring(7), Boolean.class),
                "bare hex gets its sha256: prefix");

        ShowModelResponse shown = template.requestBody("direct:gguf-to-model", file, ShowModelResponse.class);
        assertTrue(shown.modelfile().contains(expected.replace(':', '-')), shown.modelfile());
        assertTrue(sim.localModels().contains("from-file:latest"));
    }

    @Test
    void pushBlobTakesBytesAndRefusesWhatIsNoFile() throws Exception {
        byte[] bytes = "small blob".getBytes(StandardCharsets.UTF_8);
        String digest = template.requestBody("direct:push-blob", bytes, String.class);
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), digest);
        assertTrue(sim.blobs().contains(digest));

        Exchange refused = template.request("direct:push-blob", exchange -> exchange.getIn().setBody(42));
        assertInstanceOf(IllegalArgumentException.class, refused.getException());
        Exchange badDigest = template.request("direct:exists", exchange -> exchange.getIn().setBody("md5:abc"));
        assertInstanceOf(IllegalArgumentException.class, badDigest.getException());
        Exchange noDestination = context.createProducerTemplate().request(
                ollama("copyModel", ""), exchange -> exchange.getIn().setBody(null));
        assertInstanceOf(IllegalArgumentException.class, noDestination.getException());
        assertEquals(1, sim.requestCount(), "only the byte[] upload reached the server");
    }

    @Test
    void aServerThatRejectsTheUploadIsABadRequest() {
        sim.enqueue(dev.camelollama.simulator.ScriptedReply.status(400).jsonBody("{\"error\":\"digest mismatch\"}"));
        Exchange failed = template.request("direct:push-blob",
                exchange -> exchange.getIn().setBody("x".getBytes(StandardCharsets.UTF_8)));
        assertEquals("digest mismatch",
                assertInstanceOf(OllamaBadRequestException.class, failed.getException()).getServerMessage());
    }

    @Test
    void transientFailuresAreRedeliveredForDocumentsAndUploads() throws Exception {
        sim.enqueueFor("/api/tags", dev.camelollama.simulator.ScriptedReply.status(503)
                .jsonBody("{\"error\":\"server busy\"}"));
        List<?> models = context.createProducerTemplate().requestBody(
                ollama("listModels", "redeliveryDelay=10"), null, List.class);
        assertEquals(3, models.size());
        assertEquals(2, sim.requestCount());

        Path file = dir.resolve("retried.bin");
        Files.write(file, new byte[200_000]);
        sim.enqueue(dev.camelollama.simulator.ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));
        String digest = context.createProducerTemplate().requestBody(ollama("pushBlob", "redeliveryDelay=10"),
                file, String.class);
        sim.takeRequest();
        sim.takeRequest();
        assertEquals(200_000, sim.takeRequest().bodySize(), "the 503 was answered to a whole upload");
        assertEquals(200_000, sim.takeRequest().bodySize(), "the redelivery sends the whole file again");
        assertTrue(sim.blobs().contains(digest));
    }

    @Test
    void theUploadIsStreamedWithinTheTimeouts() throws Exception {
        Path file = dir.resolve("big.bin");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 16; i++) {
                out.write(block);
                sha256.update(block);
            }
        }
        String digest = context.createProducerTemplate().requestBody(
                ollama("pushBlob", "firstByteTimeout=5s&idleTimeout=5s"), file, String.class);
        assertEquals("sha256:" + HexFormat.of().formatHex(sha256.digest()), digest);
        assertEquals(16 << 20, sim.takeRequest(Duration.ofSeconds(5)).bodySize());
    }
}
