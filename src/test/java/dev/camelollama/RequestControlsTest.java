package dev.camelollama;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AggregationStrategies;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.api.ToolCall;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request controls of chat and generate: what the route sets is what Ollama receives, typed as Ollama wants. */
@Timeout(60)
class RequestControlsTest extends SimulatorTestSupport {

    /** A type for structured output. */
    public record Person(String name, int age) {
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:typed").to(ollama("generate",
                        "temperature=0.2&numCtx=8192&numPredict=64&seed=42&topK=40&topP=0.9&minP=0.05"
                        + "&repeatPenalty=1.1&stop=END,STOP&options.num_batch=256&options.mirostat=1&keepAlive=10m"));
                from("direct:chat").to(ollama("chat", "")).to("mock:chat");
                from("direct:generate").to(ollama("generate", "")).to("mock:generate");
                from("direct:json").to(ollama("generate", "format=json"));
                from("direct:schema-resource").to(ollama("chat", "format=resource:classpath:ollama/person-schema.json"));
                from("direct:person").to(ollama("chat", "outputClass=" + Person.class.getName()));
                from("direct:think").to(ollama("chat", "think=high"));
                from("direct:drop-thinking").to(ollama("chat", "dropThinking=true"));
                from("direct:extras").to(ollama("generate", "suffix=return result&template=resource:classpath:ollama/template.txt"));
                from("direct:raw").to(ollama("generate", "raw=true"));
                from("direct:system-resource").to(ollama("chat", "system=resource:classpath:ollama/system.txt"));
                from("direct:prompt-template").to(ollama("generate", "promptTemplate=Summarise in one line: ${body}"));
                from("direct:learn-window").to(ollama("generate", "learnContextWindow=true"));
                from("direct:small-window").to(ollama("generate", "numCtx=3"));
                from("direct:memory").to(ollama("chat", "system=be brief"));
                from("direct:memory-split").to(ollama("chat", "streaming=split"))
                        .split(body()).streaming().to("mock:memory-chunk").end();
            }
        };
    }

    @Test
    void typedOptionsGoOutWithOllamasJsonTypes() throws Exception {
        template.sendBody("direct:typed", "hello");

        JsonNode request = sim.takeRequest(Duration.ofSeconds(5)).json();
        JsonNode options = request.get("options");
        assertTrue(options.get("temperature").isDouble());
        assertEquals(0.2, options.get("temperature").asDouble());
        assertTrue(options.get("num_ctx").isIntegralNumber());
        assertEquals(8192, options.get("num_ctx").asInt());
        assertEquals(64, options.get("num_predict").asInt());
        assertEquals(42, options.get("seed").asInt());
        assertEquals(40, options.get("top_k").asInt());
        assertEquals(0.9, options.get("top_p").asDouble());
        assertEquals(0.05, options.get("min_p").asDouble());
        assertEquals(1.1, options.get("repeat_penalty").asDouble());
        assertTrue(options.get("stop").isArray());
        assertEquals("END", options.get("stop").get(0).asText());
        assertEquals("STOP", options.get("stop").get(1).asText());
        assertTrue(options.get("num_batch").isIntegralNumber(), "options.* values are typed too");
        assertTrue(options.get("mirostat").isIntegralNumber(), "unknown keys pass through, typed when numeric");
        assertEquals("10m", request.get("keep_alive").asText());
    }

    @Test
    void wronglyTypedOptionsFailAtStartNamingTheOption() {
        Exception failure = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad-option").to(ollama("generate", "options.num_ctx=lots"));
            }
        }));
        assertTrue(rootMessage(failure).contains("options.num_ctx"), rootMessage(failure));
        assertEquals(0, sim.requestCount());
    }

    @Test
    void badKeepAliveAndThinkFailAtStartNamingTheOption() {
        Exception keepAlive = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad-keep-alive").to(ollama("generate", "keepAlive=forever"));
            }
        }));
        assertTrue(rootMessage(keepAlive).contains("keepAlive"), rootMessage(keepAlive));
        Exception think = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad-think").to(ollama("chat", "think=deeply"));
            }
        }));
        assertTrue(rootMessage(think).contains("think"), rootMessage(think));
    }

    @Test
    void headersOverrideOptionsAndAreCheckedBeforeAnyRequest() throws Exception {
        template.send("direct:generate", e -> {
            e.getIn().setBody("hello");
            e.getIn().setHeader(OllamaConstants.OPTIONS, Map.of("num_ctx", "2048"));
            e.getIn().setHeader(OllamaConstants.KEEP_ALIVE, "300");
            e.getIn().setHeader(OllamaConstants.THINK, "low");
            e.getIn().setHeader(OllamaConstants.FORMAT, "json");
        });
        JsonNode request = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertEquals(2048, request.get("options").get("num_ctx").asInt());
        assertTrue(request.get("keep_alive").isIntegralNumber(), "seconds go as a number, not a unitless string");
        assertEquals(300, request.get("keep_alive").asInt());
        assertEquals("low", request.get("think").asText());
        assertEquals("json", request.get("format").asText());

        Exchange bad = template.send("direct:generate", e -> {
            e.getIn().setBody("hello");
            e.getIn().setHeader(OllamaConstants.OPTIONS, Map.of("temperature", "hot"));
        });
        assertTrue(bad.getException().getMessage().contains("temperature"), bad.getException().getMessage());
        assertEquals(1, sim.requestCount(), "the bad one never left");
    }

    @Test
    void formatJsonInlineAndFromAResource() throws Exception {
        template.sendBody("direct:json", "list three colours");
        assertEquals("json", sim.takeRequest(Duration.ofSeconds(5)).json().get("format").asText());

        template.sendBody("direct:schema-resource", "who are you");
        JsonNode schema = sim.takeRequest(Duration.ofSeconds(5)).json().get("format");
        assertEquals("object", schema.get("type").asText());
        assertEquals("integer", schema.get("properties").get("age").get("type").asText());
    }

    @Test
    void outputClassDerivesTheSchemaAndReadsTheReply() throws Exception {
        sim.enqueue(ScriptedReply.status(200).jsonBody("{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"{\\\"name\\\":\\\"Ada\\\",\\\"age\\\":36}\"},\"done\":true,\"done_reason\":\"stop\"}"));

        Object body = template.requestBody("direct:person", "Who wrote the first program?");

        assertEquals(new Person("Ada", 36), body);
        JsonNode format = sim.takeRequest(Duration.ofSeconds(5)).json().get("format");
        assertEquals("string", format.get("properties").get("name").get("type").asText());
        assertEquals("integer", format.get("properties").get("age").get("type").asText());
        assertEquals(2, format.get("required").size());
    }

    @Test
    void thinkingIsSentKeptApartAndCanBeDropped() throws Exception {
        String thinking = "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Hmm, \"},"
                          + "\"done\":false}";
        String more = "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"blue.\"},"
                      + "\"done\":false}";
        String answer = "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"Blue.\"},\"done\":false}";
        String done = "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}";
        sim.enqueue(ScriptedReply.ndjson(thinking, more, answer, done), ScriptedReply.ndjson(thinking, more, answer, done));

        Exchange kept = template.request("direct:think", e -> e.getIn().setBody("colour of the sky?"));
        assertEquals("Blue.", kept.getMessage().getBody());
        assertEquals("Hmm, blue.", kept.getMessage().getHeader(OllamaConstants.THINKING));
        assertEquals("high", sim.takeRequest(Duration.ofSeconds(5)).json().get("think").asText());

        Exchange dropped = template.request("direct:drop-thinking", e -> e.getIn().setBody("colour of the sky?"));
        assertEquals("Blue.", dropped.getMessage().getBody());
        assertNull(dropped.getMessage().getHeader(OllamaConstants.THINKING));
    }

    @Test
    void imagesGoAsBareBase64() throws Exception {
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
        String base64 = Base64.getEncoder().encodeToString(png);
        template.send("direct:chat", e -> {
            e.getIn().setBody("what is in these pictures?");
            e.getIn().setHeader(OllamaConstants.IMAGES, List.of(png, "data:image/png;base64," + base64));
        });
        JsonNode message = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages").get(0);
        assertEquals(base64, message.get("images").get(0).asText());
        assertEquals(base64, message.get("images").get(1).asText(), "the data: prefix is removed");

        template.send("direct:generate", e -> {
            e.getIn().setBody("describe");
            e.getIn().setHeader(OllamaConstants.IMAGES, png);
        });
        assertEquals(base64, sim.takeRequest(Duration.ofSeconds(5)).json().get("images").get(0).asText());

        Exchange bad = template.send("direct:chat", e -> {
            e.getIn().setBody("what is this?");
            e.getIn().setHeader(OllamaConstants.IMAGES, "not base64 at all!");
        });
        assertTrue(bad.getException().getMessage().contains(OllamaConstants.IMAGES));
        assertEquals(2, sim.requestCount());
    }

    @Test
    void imagesFromAFileConsumer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path inbox) throws Exception {
        byte[] picture = { 7, 7, 7, 1 };
        java.nio.file.Files.write(inbox.resolve("cat.png"), picture);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + inbox + "?noop=true&initialDelay=0&delay=50")
                        .setHeader(OllamaConstants.IMAGES, body())
                        .setHeader(OllamaConstants.PROMPT, constant("what animal is this?"))
                        .to(ollama("chat", ""))
                        .to("mock:described");
            }
        });
        MockEndpoint described = getMockEndpoint("mock:described");
        described.expectedMessageCount(1);
        described.assertIsSatisfied(10_000);
        JsonNode message = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages").get(0);
        assertEquals("what animal is this?", message.get("content").asText());
        assertEquals(Base64.getEncoder().encodeToString(picture), message.get("images").get(0).asText());
    }

    @Test
    void generateExtrasAndContextRoundTrip() throws Exception {
        sim.enqueue(ScriptedReply.ndjson("{\"model\":\"llama3.2\",\"response\":\"x\",\"done\":false}",
                "{\"model\":\"llama3.2\",\"response\":\"\",\"done\":true,\"context\":[1,2,3]}"));
        Exchange first = template.request("direct:extras", e -> e.getIn().setBody("def add(a, b):"));
        assertEquals(List.of(1L, 2L, 3L), first.getMessage().getHeader(OllamaConstants.CONTEXT));
        JsonNode request = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertEquals("return result", request.get("suffix").asText());
        assertEquals("{{ .Prompt }}", request.get("template").asText());

        template.send("direct:generate", e -> {
            e.getIn().setBody("and then?");
            e.getIn().setHeader(OllamaConstants.CONTEXT, first.getMessage().getHeader(OllamaConstants.CONTEXT));
        });
        assertEquals(3, sim.takeRequest(Duration.ofSeconds(5)).json().get("context").size());

        template.sendBody("direct:raw", "[INST] hi [/INST]");
        assertTrue(sim.takeRequest(Duration.ofSeconds(5)).json().get("raw").asBoolean());
    }

    @Test
    void rawWithSystemIsRefusedAtStart() {
        Exception failure = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:raw-system").to(ollama("generate", "raw=true&system=be brief"));
            }
        }));
        assertTrue(rootMessage(failure).contains("raw"), rootMessage(failure));
    }

    @Test
    void systemFromAResourceAndAPromptTemplate() throws Exception {
        template.sendBody("direct:system-resource", "hi");
        JsonNode messages = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages");
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("You are a terse assistant.", messages.get(0).get("content").asText());

        template.sendBody("direct:prompt-template", "a long text");
        assertEquals("Summarise in one line: a long text",
                sim.takeRequest(Duration.ofSeconds(5)).json().get("prompt").asText());
    }

    @Test
    void aPromptThatFillsTheContextWindowIsFlagged() {
        Exchange reply = template.request("direct:small-window", e -> e.getIn().setBody("one two three four five"));
        assertEquals(true, reply.getMessage().getHeader(OllamaConstants.PROMPT_TRUNCATED));

        Exchange fits = template.request("direct:generate", e -> e.getIn().setBody("one two"));
        assertNull(fits.getMessage().getHeader(OllamaConstants.PROMPT_TRUNCATED));
    }

    @Test
    void withoutNumCtxTheWindowIsLearntFromShowModel() throws Exception {
        template.sendBody("direct:learn-window", "one two");
        assertTrue(sim.awaitServedResponses(2, Duration.ofSeconds(10)), "the generate and the /api/show look-up");
        ContextWindows windows = context.getComponent("ollama", OllamaComponent.class).contextWindows();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (windows.known(sim.baseUrl(), "llama3.2") == null && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertEquals(131_072L, windows.known(sim.baseUrl(), "llama3.2"));
        sim.enqueue(ScriptedReply.status(200).jsonBody("{\"model\":\"llama3.2\",\"response\":\"ok\",\"done\":true,"
                                                       + "\"prompt_eval_count\":131072}"));

        Exchange full = template.request("direct:learn-window", e -> e.getIn().setBody("a very long prompt"));

        assertEquals(true, full.getMessage().getHeader(OllamaConstants.PROMPT_TRUNCATED));
    }

    @Test
    void theWindowIsReadFromTheModelfileFirst() {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(8192L, ContextWindows.parse(mapper, ("{\"parameters\":\"stop x\\nnum_ctx                        8192\","
                                                          + "\"model_info\":{\"llama.context_length\":131072}}").getBytes()));
        assertEquals(131072L, ContextWindows.parse(mapper, "{\"model_info\":{\"llama.context_length\":131072}}".getBytes()));
        assertNull(ContextWindows.parse(mapper, "{}".getBytes()));
    }

    @Test
    void changedLoadTimeOptionsAreNoticed() {
        ModelLoadTracker tracker = new ModelLoadTracker();
        assertEquals(false, tracker.record("http://a", "m", Map.of("num_ctx", 4096L, "temperature", 0.1), null));
        assertEquals(false, tracker.record("http://a", "m", Map.of("num_ctx", 4096L, "temperature", 0.9), null),
                "sampling options do not reload the model");
        assertEquals(true, tracker.record("http://a", "m", Map.of("num_ctx", 8192L), null));
        assertEquals(false, tracker.record("http://a", "other", Map.of("num_ctx", 2048L), null), "per model");
    }

    @Test
    void aConversationKeepsItsHistory() throws Exception {
        template.sendBodyAndHeader("direct:memory", "my name is Ada", OllamaConstants.CONVERSATION_ID, "c1");
        template.sendBodyAndHeader("direct:memory", "what is my name", OllamaConstants.CONVERSATION_ID, "c1");
        template.sendBodyAndHeader("direct:memory", "hello", OllamaConstants.CONVERSATION_ID, "c2");

        sim.takeRequest(Duration.ofSeconds(5));
        JsonNode second = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages");
        List<String> roles = new ArrayList<>();
        second.forEach(m -> roles.add(m.get("role").asText()));
        assertEquals(List.of("system", "user", "assistant", "user"), roles);
        assertEquals(OllamaSimulator.expectedReply("my name is Ada", 5), second.get(2).get("content").asText());
        JsonNode third = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages");
        assertEquals(2, third.size(), "another conversation starts afresh");
    }

    @Test
    void splitModeRemembersTheConversationToo() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:memory-chunk");
        chunks.expectedMessageCount(12);
        template.sendBodyAndHeader("direct:memory-split", "first question", OllamaConstants.CONVERSATION_ID, "s1");
        template.sendBodyAndHeader("direct:memory-split", "second question", OllamaConstants.CONVERSATION_ID, "s1");
        chunks.assertIsSatisfied(10_000);

        sim.takeRequest(Duration.ofSeconds(5));
        JsonNode second = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages");
        assertEquals(3, second.size());
        assertEquals(OllamaSimulator.expectedReply("first question", 5), second.get(1).get("content").asText());
    }

    /** The documented route-driven tool loop: chat, run a route per tool call, send the results, chat again. */
    @Test
    void aRouteDrivenToolLoop() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":"
                + "[{\"id\":\"call_1\",\"function\":{\"index\":0,\"name\":\"get_weather\",\"arguments\":{\"city\":\"Tokyo\"}}}]},"
                + "\"done\":false}",
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                + "\"done_reason\":\"stop\"}"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:agent")
                        .to(ollama("chat", "tools=resource:classpath:ollama/weather-tools.json"))
                        // bounded: at most 5 tool rounds
                        .loopDoWhile(exchange -> exchange.getIn().getHeader(OllamaConstants.TOOL_CALLS) != null
                                                 && exchange.getProperty(Exchange.LOOP_INDEX, 0, Integer.class) < 5)
                            .split(header(OllamaConstants.TOOL_CALLS),
                                    AggregationStrategies.flexible(ChatMessage.class)
                                            .accumulateInCollection(ArrayList.class))
                                .process(e -> {
                                    ToolCall call = e.getIn().getBody(ToolCall.class);
                                    e.getIn().setHeader("toolName", call.function().name());
                                    e.getIn().setHeader("city", call.function().arguments().get("city"));
                                })
                                .toD("direct:tool-${header.toolName}")
                                .process(e -> e.getIn().setBody(ChatMessage.tool(
                                        e.getIn().getHeader("toolName", String.class),
                                        e.getIn().getBody(String.class))))
                            .end()
                            .removeHeader(OllamaConstants.TOOL_CALLS)
                            .to(ollama("chat", "tools=resource:classpath:ollama/weather-tools.json"))
                        .end()
                        .to("mock:agent");
                from("direct:tool-get_weather").setBody(simple("sunny and 22 degrees in ${header.city}"));
            }
        });
        MockEndpoint done = getMockEndpoint("mock:agent");
        done.expectedBodiesReceived(OllamaSimulator.expectedReply("what is the weather in Tokyo?", 5));

        template.sendBodyAndHeader("direct:agent", "what is the weather in Tokyo?", OllamaConstants.CONVERSATION_ID,
                "agent-1");

        done.assertIsSatisfied(10_000);
        JsonNode first = sim.takeRequest(Duration.ofSeconds(5)).json();
        assertEquals("get_weather", first.get("tools").get(0).get("function").get("name").asText());
        JsonNode messages = sim.takeRequest(Duration.ofSeconds(5)).json().get("messages");
        assertEquals(3, messages.size());
        assertEquals("get_weather", messages.get(1).get("tool_calls").get(0).get("function").get("name").asText());
        assertEquals("tool", messages.get(2).get("role").asText());
        assertEquals("get_weather", messages.get(2).get("tool_name").asText());
        assertEquals("sunny and 22 degrees in Tokyo", messages.get(2).get("content").asText());
        assertEquals(2, sim.requestCount());
    }

    @Test
    void toolCallsAreATypedHeader() {
        sim.enqueue(ScriptedReply.status(200).jsonBody("{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "{\"city\":\"Paris\"}}}]},\"done\":true}"));
        Exchange reply = template.request("direct:chat", e -> e.getIn().setBody("weather in Paris?"));
        List<?> calls = reply.getMessage().getHeader(OllamaConstants.TOOL_CALLS, List.class);
        ToolCall call = assertInstanceOf(ToolCall.class, calls.get(0));
        assertEquals("Paris", call.function().arguments().get("city"));
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
