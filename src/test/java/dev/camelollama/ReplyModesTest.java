package dev.camelollama;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.RecordedRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three reply modes from Java DSL routes, against the simulator's default replies over real sockets. */
@Timeout(60)
class ReplyModesTest extends SimulatorTestSupport {

    private static final String PROMPT = "why is the sky blue";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:aggregate-chat").to(ollama("chat", "")).to("mock:reply");
                from("direct:off-generate").to(ollama("generate", "streaming=off")).to("mock:reply");
                from("direct:aggregate-generate").to(ollama("generate", "system=be brief")).to("mock:reply");
                from("direct:split-chat").to(ollama("chat", "streaming=split"))
                        .split(body()).streaming()
                            .to("mock:chunk")
                        .end()
                        .to("mock:after-split");
                from("direct:split-full-text").to(ollama("chat", "streaming=split"))
                        .split(body(), new ReplyTextAggregationStrategy()).streaming()
                            .to("mock:chunk")
                        .end()
                        .to("mock:after-split");
            }
        };
    }

    @Test
    void aggregateChatAssemblesTheStreamedReply() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));
        reply.expectedHeaderReceived(OllamaConstants.DONE_REASON, "stop");
        reply.expectedHeaderReceived(OllamaConstants.EVAL_COUNT, 5L);
        reply.expectedHeaderReceived(OllamaConstants.PROMPT_EVAL_COUNT, 5L);
        reply.expectedHeaderReceived(OllamaConstants.MODEL, "llama3.2");
        reply.expectedHeaderReceived(OllamaConstants.CHUNK_COUNT, 6L);

        template.sendBody("direct:aggregate-chat", PROMPT);

        reply.assertIsSatisfied(10_000);
        Message message = reply.getExchanges().get(0).getMessage();
        assertTrue(message.getHeader(OllamaConstants.TOTAL_DURATION, Long.class) > 0);
        RecordedRequest request = sim.takeRequest(Duration.ofSeconds(5));
        JsonNode json = request.json();
        assertEquals("/api/chat", request.path());
        assertTrue(json.get("stream").asBoolean(), "aggregate mode asks Ollama to stream");
        assertEquals("user", json.get("messages").get(0).get("role").asText());
        assertEquals(PROMPT, json.get("messages").get(0).get("content").asText());
    }

    @Test
    void offModeAsksForOneObject() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));
        reply.expectedHeaderReceived(OllamaConstants.DONE_REASON, "stop");
        reply.expectedHeaderReceived(OllamaConstants.CHUNK_COUNT, 1L);

        template.sendBody("direct:off-generate", PROMPT);

        reply.assertIsSatisfied(10_000);
        JsonNode json = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertFalse(json.get("stream").asBoolean(), "off mode sends stream:false");
        assertEquals(PROMPT, json.get("prompt").asText());
    }

    @Test
    void headersOverrideOptionsAndSystemIsSent() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedMessageCount(2);

        template.sendBodyAndHeader("direct:aggregate-generate", "ignored because the header wins",
                OllamaConstants.PROMPT, PROMPT);
        template.sendBodyAndHeader("direct:aggregate-generate", PROMPT, OllamaConstants.MODEL, "qwen3");

        reply.assertIsSatisfied(10_000);
        assertEquals("qwen3", reply.getExchanges().get(1).getMessage().getHeader(OllamaConstants.MODEL));
        JsonNode first = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertEquals(PROMPT, first.get("prompt").asText());
        assertEquals("be brief", first.get("system").asText());
        assertEquals("llama3.2", first.get("model").asText());
        JsonNode second = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertEquals("qwen3", second.get("model").asText());
    }

    @Test
    void chatTakesAListOfMessages() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply("and mie scattering", 5));

        template.sendBody("direct:aggregate-chat", List.of(ChatMessage.user("why is the sky blue"),
                ChatMessage.assistant("rayleigh scattering"), ChatMessage.user("and mie scattering")));

        reply.assertIsSatisfied(10_000);
        assertEquals(3, sim.takeRequest(Duration.ofSeconds(5)).json().get("messages").size());
    }

    @Test
    void splitModeGivesOneExchangePerChunk() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedBodiesReceived("why", " is", " the", " sky", " blue", "");
        MockEndpoint after = getMockEndpoint("mock:after-split");
        after.expectedMessageCount(1);

        template.sendBody("direct:split-chat", PROMPT);

        chunks.assertIsSatisfied(10_000);
        after.assertIsSatisfied(10_000);
        List<Exchange> received = chunks.getExchanges();
        for (int i = 0; i < received.size(); i++) {
            Message chunk = received.get(i).getMessage();
            assertEquals((long) i, chunk.getHeader(OllamaConstants.CHUNK_INDEX, Long.class));
            assertEquals(i == 5, chunk.getHeader(OllamaConstants.DONE, Boolean.class));
        }
        Message last = received.get(5).getMessage();
        assertEquals("stop", last.getHeader(OllamaConstants.DONE_REASON));
        assertEquals(5L, last.getHeader(OllamaConstants.EVAL_COUNT));
        assertNull(received.get(0).getMessage().getHeader(OllamaConstants.DONE_REASON));
    }

    @Test
    void splitThenAggregationStrategyGivesTheFullText() throws Exception {
        MockEndpoint after = getMockEndpoint("mock:after-split");
        after.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));
        after.expectedHeaderReceived(OllamaConstants.DONE_REASON, "stop");

        template.sendBody("direct:split-full-text", PROMPT);

        after.assertIsSatisfied(10_000);
    }

    @Test
    void splitModeDeliversTheFirstChunkWhileTheRestIsWithheld() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        sim.enqueue(dev.camelollama.simulator.ScriptedReply.ndjson(
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"first\"},\"done\":false}",
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\" second\"},\"done\":false}",
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                + "\"done_reason\":\"stop\",\"eval_count\":2}")
                .awaitBeforeLine(1, gate));
        CountDownLatch firstChunkInRoute = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:gated").to(ollama("chat", "streaming=split"))
                        .split(body()).streaming()
                            .process(exchange -> {
                                if ("first".equals(exchange.getMessage().getBody(String.class))) {
                                    firstChunkInRoute.countDown();
                                }
                            })
                            .to("mock:gated-chunk")
                        .end();
            }
        });
        MockEndpoint chunks = getMockEndpoint("mock:gated-chunk");
        chunks.expectedBodiesReceived("first", " second", "");

        var reply = template.asyncSendBody("direct:gated", PROMPT);

        assertTrue(firstChunkInRoute.await(10, TimeUnit.SECONDS),
                "chunk 1 must reach the route while the simulator still withholds chunk 2");
        assertEquals(1, gate.getCount(), "the gate was still closed when chunk 1 arrived");
        gate.countDown();
        reply.get(10, TimeUnit.SECONDS);
        chunks.assertIsSatisfied(10_000);
    }
}
