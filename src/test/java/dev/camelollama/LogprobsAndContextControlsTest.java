package dev.camelollama;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.api.ChatRequest;
import dev.camelollama.api.GenerateRequest;
import dev.camelollama.api.TokenLogprob;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * truncate, shift, logprobs and top_logprobs for chat and generate: what goes out for each option, header and body
 * field, what is refused before any request, and the log probabilities that come back in every reply mode.
 */
@Timeout(60)
class LogprobsAndContextControlsTest extends SimulatorTestSupport {

    private static final String PROMPT = "why is the sky blue";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:plain-chat").to(ollama("chat", "")).to("mock:reply");
                from("direct:plain-generate").to(ollama("generate", "")).to("mock:reply");
                from("direct:all-chat").to(ollama("chat", "truncate=false&shift=false&logprobs=true&topLogprobs=3"));
                from("direct:all-generate")
                        .to(ollama("generate", "truncate=true&shift=true&logprobs=true&topLogprobs=0"));
                from("direct:top-only").to(ollama("generate", "topLogprobs=2"));
                from("direct:logprobs-off").to(ollama("chat", "logprobs=false"));
                from("direct:off-chat").to(ollama("chat", "streaming=off&logprobs=true")).to("mock:reply");
                from("direct:off-generate").to(ollama("generate", "streaming=off&topLogprobs=2")).to("mock:reply");
                from("direct:aggregate-chat").to(ollama("chat", "logprobs=true&topLogprobs=2")).to("mock:reply");
                from("direct:aggregate-generate").to(ollama("generate", "logprobs=true")).to("mock:reply");
                from("direct:split-chat").to(ollama("chat", "streaming=split&logprobs=true&topLogprobs=1"))
                        .split(body()).streaming().to("mock:chunk").end();
                from("direct:split-generate").to(ollama("generate", "streaming=split&logprobs=true"))
                        .split(body()).streaming().to("mock:chunk").end();
                from("direct:split-plain").to(ollama("chat", "streaming=split"))
                        .split(body()).streaming().to("mock:chunk").end();
                from("direct:split-assembled").to(ollama("generate", "streaming=split&logprobs=true"))
                        .split(body(), new ReplyTextAggregationStrategy()).streaming().to("mock:chunk").end()
                        .to("mock:reply");
                from("direct:shift-off").to(ollama("generate", "shift=false"));
            }
        };
    }

    // ---- what goes out

    @Test
    void theOptionsGoOutUnderOllamasNames() throws Exception {
        template.requestBody("direct:all-chat", PROMPT);
        JsonNode chat = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertFalse(chat.get("truncate").booleanValue());
        assertFalse(chat.get("shift").booleanValue());
        assertTrue(chat.get("logprobs").booleanValue());
        assertTrue(chat.get("top_logprobs").isIntegralNumber());
        assertEquals(3, chat.get("top_logprobs").intValue());
        assertNull(chat.get("options"), "none of the four is a model option");

        template.requestBody("direct:all-generate", PROMPT);
        JsonNode generate = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertTrue(generate.get("truncate").booleanValue());
        assertTrue(generate.get("shift").booleanValue());
        assertTrue(generate.get("logprobs").booleanValue());
        assertEquals(0, generate.get("top_logprobs").intValue(), "an explicit 0 is sent, since it was given");
    }

    @Test
    void nothingIsSentThatWasNotGiven() throws Exception {
        template.requestBody("direct:plain-chat", PROMPT);
        template.requestBody("direct:plain-generate", PROMPT);
        for (int i = 0; i < 2; i++) {
            JsonNode request = sim.takeRequest(Duration.ofSeconds(5)).json();
            for (String field : List.of("truncate", "shift", "logprobs", "top_logprobs")) {
                assertFalse(request.has(field), field + " must not be sent by default");
            }
        }
    }

    @Test
    void topLogprobsAboveZeroTurnsLogprobsOn() throws Exception {
        template.requestBody("direct:top-only", PROMPT);
        JsonNode request = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertTrue(request.get("logprobs").booleanValue(), "Ollama ignores top_logprobs without logprobs");
        assertEquals(2, request.get("top_logprobs").intValue());

        template.send("direct:plain-generate", e -> {
            e.getIn().setBody(PROMPT);
            e.getIn().setHeader(OllamaConstants.TOP_LOGPROBS, 4);
        });
        request = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertTrue(request.get("logprobs").booleanValue());
        assertEquals(4, request.get("top_logprobs").intValue());
    }

    @Test
    void headersOverrideTheOptions() throws Exception {
        template.send("direct:all-chat", e -> {
            e.getIn().setBody(PROMPT);
            e.getIn().setHeader(OllamaConstants.TOP_LOGPROBS, "5");
        });
        JsonNode request = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertEquals(5, request.get("top_logprobs").intValue(), "a number given as text is sent as a number");
        assertTrue(request.get("logprobs").booleanValue());

        template.send("direct:logprobs-off", e -> {
            e.getIn().setBody(PROMPT);
            e.getIn().setHeader(OllamaConstants.LOGPROBS, "true");
        });
        assertTrue(sim.takeRequest(Duration.ofSeconds(5)).json().get("logprobs").booleanValue());

        template.send("direct:all-chat", e -> {
            e.getIn().setBody(PROMPT);
            e.getIn().setHeader(OllamaConstants.LOGPROBS, false);
            e.getIn().setHeader(OllamaConstants.TOP_LOGPROBS, 0);
        });
        request = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertFalse(request.get("logprobs").booleanValue());
        assertEquals(0, request.get("top_logprobs").intValue());
    }

    @Test
    void theBodyRecordsCarryTheFieldsAndWinOverOptions() throws Exception {
        template.requestBody("direct:all-chat", new ChatRequest(null, List.of(ChatMessage.user("hi")), null, null,
                null, null, null, null, true, true, null, 7));
        JsonNode chat = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertTrue(chat.get("truncate").booleanValue(), "the body's truncate wins over truncate=false");
        assertTrue(chat.get("shift").booleanValue());
        assertEquals(7, chat.get("top_logprobs").intValue());
        assertTrue(chat.get("logprobs").booleanValue(), "from the endpoint");

        template.requestBody("direct:plain-generate", new GenerateRequest(null, "hi", null, null, null, null, null,
                null, null, null, null, null, null, false, null, null, 1));
        JsonNode generate = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertFalse(generate.get("truncate").booleanValue());
        assertFalse(generate.has("shift"));
        assertTrue(generate.get("logprobs").booleanValue(), "top_logprobs 1 turns logprobs on for a body too");
        assertEquals(1, generate.get("top_logprobs").intValue());
    }

    // ---- refused before any request

    @Test
    void aTopLogprobsOptionOutsideZeroToTwentyFailsTheStart() {
        for (String options : List.of("topLogprobs=21", "topLogprobs=-1", "logprobs=false&topLogprobs=2")) {
            Exception failure = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bad-" + options.hashCode()).to(ollama("generate", options));
                }
            }), options);
            assertTrue(rootMessage(failure).contains("topLogprobs") || rootMessage(failure).contains("top_logprobs"),
                    rootMessage(failure));
        }
        Exception wordy = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad-word").to(ollama("chat", "topLogprobs=many"));
            }
        }));
        assertTrue(rootMessage(wordy).contains("topLogprobs=many"), rootMessage(wordy));
        assertTrue(rootMessage(failureOf("topLogprobs=21")).contains("0 to 20"));
        assertEquals(0, sim.requestCount());
    }

    @Test
    void badHeadersAndBodiesFailBeforeAnyRequest() {
        assertRefused("direct:plain-chat", OllamaConstants.TOP_LOGPROBS, 21, "CamelOllamaTopLogprobs", "0 to 20");
        assertRefused("direct:plain-chat", OllamaConstants.TOP_LOGPROBS, "lots", "CamelOllamaTopLogprobs", "0 to 20");
        assertRefused("direct:plain-generate", OllamaConstants.TOP_LOGPROBS, 2.5, "CamelOllamaTopLogprobs", "whole");
        assertRefused("direct:plain-generate", OllamaConstants.LOGPROBS, "maybe", "CamelOllamaLogprobs",
                "true or false");
        assertRefused("direct:all-chat", OllamaConstants.LOGPROBS, false, "logprobs is false", "set topLogprobs");

        Exchange body = template.send("direct:plain-chat", e -> e.getIn().setBody(new ChatRequest(null,
                List.of(ChatMessage.user("hi")), null, null, null, null, null, null, null, null, true, 30)));
        assertTrue(body.getException().getMessage().contains("ChatRequest body's top_logprobs"),
                body.getException().getMessage());
        assertEquals(0, sim.requestCount(), "none of them left");
    }

    // ---- what comes back

    @Test
    void offModeCarriesAllTokensLogprobs() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedMessageCount(2);
        template.requestBody("direct:off-chat", PROMPT);
        template.requestBody("direct:off-generate", PROMPT);
        reply.assertIsSatisfied(10_000);

        List<TokenLogprob> chat = logprobs(reply.getExchanges().get(0).getMessage());
        assertTokens(chat, 0, 5, 0);
        List<TokenLogprob> generate = logprobs(reply.getExchanges().get(1).getMessage());
        assertTokens(generate, 0, 5, 2);
        assertFalse(sim.takeRequest(Duration.ofSeconds(5)).json().get("stream").booleanValue());
    }

    @Test
    void aggregateModeConcatenatesEveryChunksLogprobs() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedMessageCount(2);
        template.requestBody("direct:aggregate-chat", PROMPT);
        template.requestBody("direct:aggregate-generate", PROMPT);
        reply.assertIsSatisfied(10_000);

        Message chat = reply.getExchanges().get(0).getMessage();
        assertEquals(OllamaSimulator.expectedReply(PROMPT, 5), chat.getBody(String.class));
        assertTokens(logprobs(chat), 0, 5, 2);
        TokenLogprob first = logprobs(chat).get(0);
        assertEquals("why", first.token());
        assertEquals(List.of((int) 'w', (int) 'h', (int) 'y'), first.bytes());
        assertEquals(Math.exp(first.logprob()), first.probability());
        assertEquals("alt1", first.topLogprobs().get(1).token());
        assertNull(first.topLogprobs().get(1).topLogprobs());
        assertTokens(logprobs(reply.getExchanges().get(1).getMessage()), 0, 5, 0);
    }

    @Test
    void splitModeGivesEachChunkItsOwnLogprobs() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedMessageCount(12);
        template.requestBody("direct:split-chat", PROMPT);
        template.requestBody("direct:split-generate", PROMPT);
        chunks.assertIsSatisfied(10_000);

        for (int call = 0; call < 2; call++) {
            for (int i = 0; i < 6; i++) {
                Message chunk = chunks.getExchanges().get(call * 6 + i).getMessage();
                if (i == 5) {
                    assertTrue(chunk.getHeader(OllamaConstants.DONE, Boolean.class));
                    assertNull(chunk.getHeader(OllamaConstants.TOKEN_LOGPROBS), "the final chunk has no tokens");
                    continue;
                }
                List<TokenLogprob> own = logprobs(chunk);
                assertTokens(own, i, 1, call == 0 ? 1 : 0);
                assertEquals(chunk.getBody(String.class), own.get(0).token());
            }
        }
    }

    @Test
    void afterASplitTheAssembledReplyHasEveryChunksLogprobs() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));
        template.requestBody("direct:split-assembled", PROMPT);
        reply.assertIsSatisfied(10_000);
        assertTokens(logprobs(reply.getExchanges().get(0).getMessage()), 0, 5, 0);
    }

    @Test
    void absentWhenNotAskedFor() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedMessageCount(2);
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedMessageCount(6);
        template.requestBody("direct:plain-chat", PROMPT);
        template.requestBody("direct:plain-generate", PROMPT);
        template.requestBody("direct:split-plain", PROMPT);
        reply.assertIsSatisfied(10_000);
        chunks.assertIsSatisfied(10_000);
        for (Exchange exchange : reply.getExchanges()) {
            assertNull(exchange.getMessage().getHeader(OllamaConstants.TOKEN_LOGPROBS));
        }
        for (Exchange exchange : chunks.getExchanges()) {
            assertNull(exchange.getMessage().getHeader(OllamaConstants.TOKEN_LOGPROBS));
        }
    }

    @Test
    void oddLogprobEntriesAreReadLeniently() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(
                "{\"model\":\"llama3.2\",\"response\":\"Hi\",\"done\":false,\"logprobs\":[{\"token\":\"Hi\","
                + "\"logprob\":\"high\",\"bytes\":\"SGk=\",\"rank\":1,\"top_logprobs\":{\"x\":1}},7,"
                + "{\"token\":\"!\",\"logprob\":-1,\"bytes\":[33,\"x\"],\"top_logprobs\":[null,{\"token\":\"?\"}]}]}",
                "{\"model\":\"llama3.2\",\"response\":\"\",\"done\":true,\"logprobs\":null}"));

        Exchange exchange = template.request("direct:plain-generate", e -> e.getIn().setBody(PROMPT));

        assertNull(exchange.getException());
        List<TokenLogprob> entries = logprobs(exchange.getMessage());
        assertEquals(2, entries.size(), "a non-object entry is skipped");
        assertEquals(new TokenLogprob("Hi", null, null, null), entries.get(0));
        assertEquals(new TokenLogprob("!", -1.0, List.of(33), List.of(new TokenLogprob("?", null, null, null))),
                entries.get(1));
    }

    // ---- shift reloads the model

    @Test
    void changingShiftIsWarnedAsAReload() throws Exception {
        List<String> logged = new ArrayList<>();
        try (ProgressOperationsTest.CapturedLog log = ProgressOperationsTest.CapturedLog.of(ModelLoadTracker.class,
                logged)) {
            template.requestBody("direct:plain-generate", PROMPT);
            template.requestBody("direct:all-generate", PROMPT);
            assertTrue(logged.isEmpty(), "shift=true is Ollama's default, the same as no shift: " + logged);
            template.requestBody("direct:shift-off", PROMPT);
        }
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("shift=false") && logged.get(0).contains("reload"), logged.get(0));

        ModelLoadTracker tracker = new ModelLoadTracker();
        assertFalse(tracker.record("http://a", "m", Map.of("num_ctx", 4096L), null));
        assertFalse(tracker.record("http://a", "m", Map.of("num_ctx", 4096L), true));
        assertTrue(tracker.record("http://a", "m", Map.of("num_ctx", 4096L), false));
        assertTrue(tracker.record("http://a", "m", Map.of("num_ctx", 4096L), null));
    }

    // ---- helpers

    private Exception failureOf(String options) {
        return assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:again-" + System.nanoTime()).to(ollama("generate", options));
            }
        }));
    }

    private void assertRefused(String uri, String header, Object value, String... expected) {
        Exchange exchange = template.send(uri, e -> {
            e.getIn().setBody(PROMPT);
            e.getIn().setHeader(header, value);
        });
        assertNotNull(exchange.getException(), header + "=" + value);
        String message = exchange.getException().getMessage();
        for (String part : expected) {
            assertTrue(message.contains(part), message);
        }
    }

    /** Checks {@code count} entries for chunks {@code from}, {@code from + 1}, ... of the default reply to PROMPT. */
    private static void assertTokens(List<TokenLogprob> entries, int from, int count, int top) {
        assertEquals(count, entries.size());
        for (int i = 0; i < count; i++) {
            TokenLogprob entry = entries.get(i);
            int chunk = from + i;
            String expectedText = OllamaSimulator.expectedReply(PROMPT, chunk + 1)
                    .substring(OllamaSimulator.expectedReply(PROMPT, chunk).length());
            assertEquals(expectedText, entry.token(), "chunk " + chunk);
            assertEquals(OllamaSimulator.expectedLogprob(PROMPT, chunk), entry.logprob(), "chunk " + chunk);
            if (top == 0) {
                assertNull(entry.topLogprobs());
            } else {
                assertEquals(top, entry.topLogprobs().size());
                assertEquals(expectedText, entry.topLogprobs().get(0).token());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<TokenLogprob> logprobs(Message message) {
        Object header = message.getHeader(OllamaConstants.TOKEN_LOGPROBS);
        assertNotNull(header, "no " + OllamaConstants.TOKEN_LOGPROBS + " header");
        return (List<TokenLogprob>) header;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
