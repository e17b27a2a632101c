package dev.camelollama;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;
import dev.camelollama.simulator.ServedResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** autoPull=true: a request for a model the server lacks pulls it, then goes out once more. */
@Timeout(60)
class AutoPullTest extends SimulatorTestSupport {

    private static final String PROMPT = "why is the sky blue";

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
                from("direct:chat").to(op("chat", "mistral", "autoPull=true"));
                from("direct:chat-split").to(op("chat", "gemma3", "autoPull=true&streaming=split"))
                        .split(body()).streaming()
                            .to("mock:chunk")
                        .end();
                from("direct:chat-no-auto").to(op("chat", "mistral", ""));
                from("direct:embed").to(op("embed", "all-minilm", "autoPull=true"));
            }
        };
    }

    @Test
    void chatOnAMissingModelPullsItThenAnswers() throws Exception {
        assertTrue(!sim.localModels().contains("mistral:latest"));

        Exchange reply = template.request("direct:chat", exchange -> exchange.getIn().setBody(PROMPT));

        assertNull(reply.getException());
        assertEquals(OllamaSimulator.expectedReply(PROMPT, 5), reply.getMessage().getBody());
        assertEquals(List.of("/api/chat", "/api/pull", "/api/chat"), paths(3));
        assertTrue(sim.localModels().contains("mistral:latest"));
    }

    @Test
    void splitModeChatPullsFirstToo() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedBodiesReceived("why", " is", " the", " sky", " blue", "");

        template.sendBody("direct:chat-split", PROMPT);

        chunks.assertIsSatisfied(10_000);
        assertEquals(List.of("/api/chat", "/api/pull", "/api/chat"), paths(3));
    }

    @Test
    void embedOnAMissingModelPullsItThenAnswers() throws Exception {
        float[] vector = template.requestBody("direct:embed", "hello", float[].class);

        assertArrayEquals(OllamaSimulator.expectedEmbedding("hello", 0), vector);
        assertEquals(List.of("/api/embed", "/api/pull", "/api/embed"), paths(3));
    }

    @Test
    void aModelTheRegistryLacksFailsAfterOnePull() throws Exception {
        Exchange failed = template.request("direct:embed", exchange -> {
            exchange.getIn().setBody(PROMPT);
            exchange.getIn().setHeader(OllamaConstants.MODEL, "no-such-model");
        });

        ModelNotFoundException missing = assertInstanceOf(ModelNotFoundException.class, failed.getException());
        assertTrue(missing.isRegistryMiss());
        assertEquals(List.of("/api/embed", "/api/pull"), paths(2));
        assertNull(sim.takeRequest(Duration.ofMillis(200)), "no third request");
    }

    @Test
    void withoutAutoPullTheModelIsSimplyMissing() throws Exception {
        Exchange failed = template.request("direct:chat-no-auto", exchange -> exchange.getIn().setBody(PROMPT));

        assertInstanceOf(ModelNotFoundException.class, failed.getException());
        assertEquals(1, sim.requestCount());
    }

    @Test
    void concurrentRequestsForOneMissingModelShareOnePull() throws Exception {
        CountDownLatch pullMayAnswer = new CountDownLatch(1);
        sim.enqueueFor("/api/pull", ScriptedReply.ndjson("{\"status\":\"pulling manifest\"}",
                "{\"status\":\"success\"}").awaitBeforeLine(0, pullMayAnswer));
        List<CompletableFuture<float[]>> replies = new ArrayList<>();
        for (String text : List.of("one", "two", "three")) {
            replies.add(template.asyncRequestBody("direct:embed", text, float[].class));
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(sim.takeRequest().path());
        }
        assertEquals(3, seen.stream().filter("/api/embed"::equals).count());
        assertEquals(1, seen.stream().filter("/api/pull"::equals).count());
        // a request is recorded before it is answered: wait for the three 404s before the model appears
        assertTrue(sim.awaitServedResponses(3, Duration.ofSeconds(10)));
        assertEquals(List.of(404, 404, 404), sim.servedResponses().stream().map(ServedResponse::status).toList());

        sim.models("llama3.2", "all-minilm");   // what the scripted pull would have done
        pullMayAnswer.countDown();

        for (CompletableFuture<float[]> reply : replies) {
            assertEquals(8, reply.get(10, TimeUnit.SECONDS).length);
        }
        assertEquals(List.of("/api/embed", "/api/embed", "/api/embed"), paths(3));
        assertNull(sim.takeRequest(Duration.ofMillis(200)), "one pull for the three requests");
    }

    private List<String> paths(int count) throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = sim.takeRequest();
            paths.add(request.path());
        }
        return paths;
    }
}
