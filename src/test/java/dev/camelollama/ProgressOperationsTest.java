package dev.camelollama;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.api.CreateModelRequest;
import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.simulator.RecordedRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pullModel, pushModel and createModel: progress streams in the three reply modes. */
@Timeout(60)
class ProgressOperationsTest extends SimulatorTestSupport {

    private String op(String operation, String model, String extra) {
        return "ollama:" + operation + "?baseUrl=" + sim.baseUrl() + "&model=" + model
               + (extra.isEmpty() ? "" : "&" + extra);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().logExhausted(false));
                from("direct:pull-split").to(op("pullModel", "mistral", "streaming=split"))
                        .split(body()).streaming()
                            .to("mock:progress")
                        .end()
                        .to("mock:after");
                from("direct:pull").to(op("pullModel", "mistral", ""));
                from("direct:pull-off").to(op("pullModel", "mistral", "streaming=off&insecure=true"));
                from("direct:push").to(op("pushModel", "qwen3", ""));
                from("direct:push-split").to(op("pushModel", "qwen3", "streaming=split"))
                        .split(body()).streaming()
                            .to("mock:progress")
                        .end();
                from("direct:create").to(op("createModel", "mario", ""));
                from("direct:create-off").to(op("createModel", "mario", "streaming=off"));
            }
        };
    }

    @Test
    void splitModeGivesOneMessagePerProgressLineWithPercentages() throws Exception {
        MockEndpoint progress = getMockEndpoint("mock:progress");
        MockEndpoint after = getMockEndpoint("mock:after");
        after.expectedMessageCount(1);

        template.sendBody("direct:pull-split", null);

        after.assertIsSatisfied(10_000);
        List<Exchange> lines = progress.getExchanges();
        assertEquals(10, lines.size());
        Message first = lines.get(0).getMessage();
        assertEquals("pulling manifest", first.getBody());
        assertEquals("pulling manifest", first.getHeader(OllamaConstants.STATUS));
        assertNull(first.getHeader(OllamaConstants.DIGEST));
        assertNull(first.getHeader(OllamaConstants.PERCENT));
        Message layerStart = lines.get(1).getMessage();
        assertTrue(layerStart.getBody(String.class).matches("pulling [0-9a-f]{12}"));
        assertTrue(layerStart.getHeader(OllamaConstants.DIGEST, String.class).matches("sha256:[0-9a-f]{64}"));
        assertTrue(layerStart.getHeader(OllamaConstants.TOTAL, Long.class) > 0);
        assertNull(layerStart.getHeader(OllamaConstants.COMPLETED), "Ollama sends no completed before bytes arrive");
        assertEquals(0.0, layerStart.getHeader(OllamaConstants.PERCENT, Double.class));
        assertEquals(50.0, lines.get(2).getMessage().getHeader(OllamaConstants.PERCENT, Double.class), 0.001);
        assertEquals(100.0, lines.get(3).getMessage().getHeader(OllamaConstants.PERCENT, Double.class));
        Message last = lines.get(9).getMessage();
        assertEquals("success", last.getBody());
        assertEquals(Boolean.TRUE, last.getHeader(OllamaConstants.DONE));
        assertEquals(9L, last.getHeader(OllamaConstants.CHUNK_INDEX));
        assertNull(last.getHeader(OllamaConstants.TOTAL));
        for (int i = 0; i < 9; i++) {
            assertEquals(Boolean.FALSE, lines.get(i).getMessage().getHeader(OllamaConstants.DONE));
        }
        assertTrue(sim.localModels().contains("mistral:latest"));
        assertFalse(sim.takeRequest().json().has("stream"), "split mode streams (Ollama's default)");
    }

    @Test
    void aggregateModeEndsWithSuccessAndLogsProgressAtInfo() throws Exception {
        List<String> logged = new ArrayList<>();
        try (CapturedLog log = CapturedLog.of(ProgressLog.class, logged)) {
            Exchange pulled = template.request("direct:pull", exchange -> { });
            assertNull(pulled.getException());
            assertEquals("success", pulled.getMessage().getBody());
            assertEquals("success", pulled.getMessage().getHeader(OllamaConstants.STATUS));
            assertEquals(10L, pulled.getMessage().getHeader(OllamaConstants.CHUNK_COUNT));
            assertEquals("mistral", pulled.getMessage().getHeader(OllamaConstants.MODEL));
        }
        assertEquals(List.of("pullModel mistral: pulling manifest", "pullModel mistral: success"), logged,
                "the first line, then at most one line every five seconds, then the outcome");
        assertTrue(sim.localModels().contains("mistral:latest"));
    }

    @Test
    void offModeAsksForOneObject() throws Exception {
        Exchange pulled = template.request("direct:pull-off", exchange -> { });

        assertNull(pulled.getException());
        assertEquals("success", pulled.getMessage().getBody());
        JsonNode sent = sim.takeRequest().json();
        assertFalse(sent.get("stream").asBoolean());
        assertTrue(sent.get("insecure").asBoolean());
        assertEquals("mistral", sent.get("model").asText());
    }

    @Test
    void pullOfAnUnknownModelFailsInEveryMode() throws Exception {
        for (String route : List.of("direct:pull", "direct:pull-off", "direct:pull-split")) {
            Exchange failed = template.request(route,
                    exchange -> exchange.getIn().setHeader(OllamaConstants.MODEL, "no-such-model"));
            ModelNotFoundException missing = assertInstanceOf(ModelNotFoundException.class, failed.getException(),
                    route);
            assertEquals("no-such-model", missing.getModel());
            assertTrue(missing.isRegistryMiss());
            assertEquals("pull model manifest: file does not exist", missing.getServerMessage());
        }
        assertEquals(3, sim.requestCount(), "a model the registry lacks is never worth a redelivery");
        assertFalse(sim.localModels().contains("no-such-model:latest"));
    }

    @Test
    void pushStreamsProgressAndAMissingModelIsAnError() throws Exception {
        assertEquals("success", template.requestBody("direct:push", null, String.class));
        MockEndpoint progress = getMockEndpoint("mock:progress");
        progress.expectedMinimumMessageCount(4);
        template.sendBody("direct:push-split", null);
        progress.assertIsSatisfied(10_000);
        assertEquals("retrieving manifest", progress.getExchanges().get(0).getMessage().getBody());
        assertEquals("pushing manifest",
                progress.getExchanges().get(progress.getExchanges().size() - 2).getMessage().getBody());

        Exchange failed = template.request("direct:push",
                exchange -> exchange.getIn().setHeader(OllamaConstants.MODEL, "nope"));
        OllamaServerException error = assertInstanceOf(OllamaServerException.class, failed.getException());
        assertEquals("model \"nope\" not found", error.getServerMessage());
    }

    @Test
    void createModelTakesARecordOrAMap() throws Exception {
        Exchange created = template.request("direct:create", exchange -> exchange.getIn()
                .setBody(CreateModelRequest.from(null, "llama3.2", "You are Mario from Super Mario Bros.")));
        assertNull(created.getException());
        assertEquals("success", created.getMessage().getBody());
        JsonNode sent = sim.takeRequest().json();
        assertEquals("mario", sent.get("model").asText(), "the model option names the new model");
        assertEquals("llama3.2", sent.get("from").asText());
        assertTrue(sent.get("stream").asBoolean());
        assertTrue(sim.localModels().contains("mario:latest"));

        Exchange fromMap = template.request("direct:create-off", exchange -> {
            exchange.getIn().setBody(Map.of("from", "qwen3", "parameters", Map.of("temperature", 0.2),
                    "quantize", "q8_0"));
            exchange.getIn().setHeader(OllamaConstants.MODEL, "qwen3-q8");
        });
        assertNull(fromMap.getException());
        assertEquals("success", fromMap.getMessage().getBody());
        JsonNode mapSent = sim.takeRequest().json();
        assertEquals("qwen3-q8", mapSent.get("model").asText());
        assertFalse(mapSent.get("stream").asBoolean());
        assertEquals(0.2, mapSent.get("parameters").get("temperature").asDouble());
        assertTrue(sim.localModels().contains("qwen3-q8:latest"));

        Exchange refused = template.request("direct:create", exchange -> exchange.getIn().setBody("FROM llama3.2"));
        assertInstanceOf(IllegalArgumentException.class, refused.getException());
    }

    @Test
    void closingASplitPullEarlyAbortsIt() throws Exception {
        sim.chunkDelay(java.time.Duration.ofMillis(50));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:pull-first-two").to(op("pullModel", "mistral", "streaming=split"))
                        .split(body()).streaming().stopOnException()
                            .filter(header(OllamaConstants.CHUNK_INDEX).isGreaterThan(1))
                                .throwException(new IllegalStateException("seen enough"))
                            .end()
                        .end();
            }
        });
        Exchange stopped = template.request("direct:pull-first-two", exchange -> { });
        assertInstanceOf(IllegalStateException.class, stopped.getException().getCause() == null
                ? stopped.getException() : stopped.getException().getCause());
        assertTrue(sim.awaitAbandonedStreams(1, java.time.Duration.ofSeconds(10)), "the HTTP call was aborted");
        RecordedRequest request = sim.takeRequest();
        assertEquals("/api/pull", request.path());
    }

    /** Collects the messages one class logs at INFO, for the duration of a test. */
    static final class CapturedLog extends AbstractAppender implements AutoCloseable {

        private final Logger logger;
        private final Level previous;
        private final List<String> messages;

        private CapturedLog(Logger logger, List<String> messages) {
            super("captured-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
            this.logger = logger;
            this.previous = logger.getLevel();
            this.messages = messages;
        }

        static CapturedLog of(Class<?> type, List<String> messages) {
            Logger logger = (Logger) LogManager.getLogger(type);
            CapturedLog log = new CapturedLog(logger, messages);
            log.start();
            logger.addAppender(log);
            logger.setLevel(Level.INFO);
            return log;
        }

        @Override
        public void append(LogEvent event) {
            synchronized (messages) {
                messages.add(event.getMessage().getFormattedMessage());
            }
        }

        @Override
        public void close() {
            logger.removeAppender(this);
            logger.setLevel(previous);
            stop();
        }
    }
}
