package dev.camelollama;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.client.OllamaStreamInterruptedException;
import dev.camelollama.client.OllamaTimeoutException;
import dev.camelollama.client.TimeoutKind;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each timeout names itself, keeps the text received so far, and lets Ollama see the client leave. */
@Timeout(60)
class TimeoutsTest extends SimulatorTestSupport {

    private static final String LINE = "{\"model\":\"llama3.2\",\"response\":\"tick\",\"done\":false}";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:first-byte").to(ollama("generate", "firstByteTimeout=300"));
                from("direct:first-byte-retried")
                        .to(ollama("generate", "firstByteTimeout=300&retryReadTimeouts=true&redeliveryDelay=10"));
                from("direct:idle").to(ollama("generate", "idleTimeout=300"));
                from("direct:idle-split").to(ollama("generate", "idleTimeout=300&streaming=split"))
                        .split(body()).streaming().to("mock:chunk").end();
                from("direct:total").to(ollama("generate", "totalTimeout=400&idleTimeout=0"));
            }
        };
    }

    @Test
    void aSlowModelLoadRunsOutTheFirstByteTimeoutAndIsNotRetried() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(LINE).firstByteDelay(Duration.ofSeconds(5)));

        Exchange result = template.send("direct:first-byte", e -> e.getIn().setBody("hello"));

        OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, result.getException());
        assertEquals(TimeoutKind.FIRST_BYTE, timeout.getKind());
        assertTrue(timeout.getMessage().contains("firstByteTimeout"), timeout.getMessage());
        assertEquals(1, sim.requestCount(), "a read timeout is not redelivered unless asked for");
        assertTrue(sim.awaitConnectionsClosed(Duration.ofSeconds(10)), "the server saw the client leave");
    }

    @Test
    void firstByteTimeoutsAreRedeliveredWhenAskedFor() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(LINE).firstByteDelay(Duration.ofSeconds(5)));

        Exchange result = template.send("direct:first-byte-retried", e -> e.getIn().setBody("hello"));

        assertEquals(null, result.getException());
        assertEquals(2, sim.requestCount());
    }

    @Test
    void aStallMidStreamRunsOutTheIdleTimeoutWithThePartialText() {
        sim.enqueue(ScriptedReply.ndjson(LINE, LINE, LINE).awaitBeforeLine(2, new java.util.concurrent.CountDownLatch(1)));

        Exchange result = template.send("direct:idle", e -> e.getIn().setBody("hello"));

        OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, result.getException());
        assertEquals(TimeoutKind.IDLE, timeout.getKind());
        assertEquals("ticktick", timeout.getPartialText());
        assertEquals(1, sim.requestCount());
    }

    @Test
    void aStallInSplitModeEndsTheSplitWithTheIdleTimeout() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(LINE, LINE, LINE).awaitBeforeLine(2, new java.util.concurrent.CountDownLatch(1)));
        getMockEndpoint("mock:chunk").expectedBodiesReceived("tick", "tick");

        Exchange result = template.send("direct:idle-split", e -> e.getIn().setBody("hello"));

        getMockEndpoint("mock:chunk").assertIsSatisfied(5_000);
        OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, result.getException());
        assertEquals(TimeoutKind.IDLE, timeout.getKind());
        assertEquals("ticktick", timeout.getPartialText());
    }

    @Test
    void aReplyThatKeepsComingRunsOutTheTotalTimeout() {
        String[] lines = new String[200];
        java.util.Arrays.fill(lines, LINE);
        sim.enqueue(ScriptedReply.ndjson(lines).lineDelay(Duration.ofMillis(20)));

        Exchange result = template.send("direct:total", e -> e.getIn().setBody("hello"));

        OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, result.getException());
        assertEquals(TimeoutKind.TOTAL, timeout.getKind());
        assertTrue(timeout.getPartialText().startsWith("ticktick"), timeout.getPartialText());
    }

    @Test
    void negativeTimeoutsAreRefusedAtStartWithTheOptionName() {
        Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> context.addRoutes(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:bad").to(ollama("generate", "idleTimeout=-5"));
                    }
                }));
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("idleTimeout"), root.getMessage());
    }

    @SuppressWarnings("unused")
    private static Class<?> documented() {
        return OllamaStreamInterruptedException.class;
    }
}
