package dev.camelollama;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.api.EmbedRequest;
import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** embed from Java DSL routes: one text, a batch, options, and files read by a file consumer. */
@Timeout(60)
class EmbedTest extends SimulatorTestSupport {

    @TempDir
    static Path inbox;

    private String embed(String extraOptions) {
        return "ollama:embed?baseUrl=" + sim.baseUrl() + "&model=nomic-embed-text"
               + (extraOptions.isEmpty() ? "" : "&" + extraOptions);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().logExhausted(false));
                from("direct:embed").to(embed(""));
                from("direct:embed-options").to(embed("dimensions=4&truncate=false&keepAlive=10m"));
                from("file:" + inbox.toAbsolutePath() + "?noop=true&include=.*\\.txt&sortBy=file:name")
                        .routeId("files").autoStartup(false)
                        .to(embed(""))
                        .to("mock:file-vectors");
            }
        };
    }

    @Test
    void oneTextGivesOneFloatArray() throws Exception {
        Exchange reply = template.request("direct:embed", exchange -> exchange.getIn().setBody("why is the sky blue"));

        Message message = reply.getMessage();
        float[] vector = assertInstanceOf(float[].class, message.getBody());
        assertArrayEquals(OllamaSimulator.expectedEmbedding("why is the sky blue", 0), vector);
        assertEquals("nomic-embed-text", message.getHeader(OllamaConstants.MODEL));
        assertEquals(5L, message.getHeader(OllamaConstants.PROMPT_EVAL_COUNT));
        assertTrue(message.getHeader(OllamaConstants.TOTAL_DURATION, Long.class) > 0);
        assertTrue(message.getHeader(OllamaConstants.LOAD_DURATION, Long.class) > 0);
        JsonNode sent = sim.takeRequest().json();
        assertEquals("why is the sky blue", sent.get("input").asText());
        assertEquals("nomic-embed-text", sent.get("model").asText());
        assertFalse(sent.has("truncate"));
        assertFalse(sent.has("dimensions"));
    }

    @Test
    void aListGivesAListOfFloatArraysInOrder() throws Exception {
        List<?> vectors = template.requestBody("direct:embed", List.of("first", "second", "third"), List.class);

        assertEquals(3, vectors.size());
        assertArrayEquals(OllamaSimulator.expectedEmbedding("first", 0), (float[]) vectors.get(0));
        assertArrayEquals(OllamaSimulator.expectedEmbedding("second", 0), (float[]) vectors.get(1));
        assertArrayEquals(OllamaSimulator.expectedEmbedding("third", 0), (float[]) vectors.get(2));
        assertTrue(sim.takeRequest().json().get("input").isArray());
    }

    @Test
    void aBlankItemInAListIsRefusedBeforeAnyRequestNamingItsPosition() {
        Exchange failed = template.send("direct:embed", e -> e.getIn().setBody(List.of("first", "  ", "third")));

        IllegalArgumentException refused = assertInstanceOf(IllegalArgumentException.class, failed.getException());
        assertTrue(refused.getMessage().contains("element 1"), refused.getMessage());
        assertTrue(refused.getMessage().contains("blank"), refused.getMessage());
        assertEquals(0, sim.requestCount());
    }

    @Test
    void aBadKeepAliveOrOptionStopsTheRouteFromStartingNotTheFirstExchange() {
        for (String bad : List.of("keepAlive=forever", "options.num_ctx=lots")) {
            String option = bad.substring(0, bad.indexOf('='));
            Exception failure = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bad-" + option).to(embed(bad));
                }
            }), bad);
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertTrue(root.getMessage().contains(option), root.getMessage());
        }
        assertEquals(0, sim.requestCount());
    }

    @Test
    void optionsAreSentAndDimensionsHonoured() throws Exception {
        float[] vector = template.requestBody("direct:embed-options", "short", float[].class);

        assertEquals(4, vector.length);
        assertArrayEquals(OllamaSimulator.expectedEmbedding("short", 4), vector);
        JsonNode sent = sim.takeRequest().json();
        assertEquals(4, sent.get("dimensions").intValue());
        assertFalse(sent.get("truncate").booleanValue());
        assertEquals("10m", sent.get("keep_alive").asText());
    }

    @Test
    void anEmbedRequestBodyIsSentAsGiven() throws Exception {
        List<?> vectors = template.requestBody("direct:embed",
                new EmbedRequest(null, List.of("a", "b"), null, 2, null, null), List.class);

        assertEquals(2, vectors.size());
        assertEquals(2, ((float[]) vectors.get(0)).length);
        assertEquals(2, sim.takeRequest().json().get("dimensions").intValue());
    }

    @Test
    void filesFromAFileConsumerAreEmbeddedAsText() throws Exception {
        Files.writeString(inbox.resolve("a.txt"), "the sky is blue", StandardCharsets.UTF_8);
        Files.writeString(inbox.resolve("b.txt"), "grass is green", StandardCharsets.UTF_8);
        MockEndpoint vectors = getMockEndpoint("mock:file-vectors");
        vectors.expectedMessageCount(2);

        context.getRouteController().startRoute("files");

        vectors.assertIsSatisfied(10_000);
        // the producer is asynchronous: the consumer does not wait for one reply before it sends the next file
        java.util.Map<String, float[]> byFile = new java.util.HashMap<>();
        for (Exchange exchange : vectors.getExchanges()) {
            byFile.put(exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class),
                    exchange.getMessage().getBody(float[].class));
        }
        assertArrayEquals(OllamaSimulator.expectedEmbedding("the sky is blue", 0), byFile.get("a.txt"));
        assertArrayEquals(OllamaSimulator.expectedEmbedding("grass is green", 0), byFile.get("b.txt"));
        assertEquals(java.util.Set.of("the sky is blue", "grass is green"), java.util.Set.of(
                sim.takeRequest().json().get("input").asText(), sim.takeRequest().json().get("input").asText()));
    }

    @Test
    void badBodiesFailBeforeAnyRequest() {
        for (Object body : new Object[] {null, "   ", 42, List.of("ok", 7)}) {
            Exchange failed = template.request("direct:embed", exchange -> exchange.getIn().setBody(body));
            assertInstanceOf(IllegalArgumentException.class, failed.getException(), String.valueOf(body));
        }
        assertEquals(0, sim.requestCount());
    }

    @Test
    void anUnknownModelIsModelNotFound() {
        Exchange failed = template.request("direct:embed", exchange -> {
            exchange.getIn().setBody("x");
            exchange.getIn().setHeader(OllamaConstants.MODEL, "no-embedder");
        });
        assertEquals("no-embedder", assertInstanceOf(ModelNotFoundException.class, failed.getException()).getModel());
        assertNull(failed.getMessage().getBody(float[].class));
        assertTrue(Arrays.asList(sim.localModels().toArray()).contains("nomic-embed-text:latest"));
    }
}
