package dev.camelollama;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.client.OllamaException;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a route or the CamelContext never drops a request silently: a call that finishes within Camel's
 * graceful shutdown timeout completes; one that does not is aborted (Ollama sees the client leave) and its
 * exchange fails with a clear exception. Non-streaming calls are aborted too.
 */
@Timeout(60)
class ShutdownTest extends SimulatorTestSupport {

    private static final String LINE = "{\"model\":\"llama3.2\",\"response\":\"done\",\"done\":true}";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:off").routeId("off").to(ollama("generate", "streaming=off&firstByteTimeout=0"));
                from("direct:aggregate").routeId("aggregate").to(ollama("generate", "firstByteTimeout=0"));
            }
        };
    }

    private CompletableFuture<Exchange> sendAndAwaitArrival(String endpoint) throws InterruptedException {
        CompletableFuture<Exchange> reply = template.asyncSend(endpoint, e -> e.getIn().setBody("a slow question"));
        assertTrue(sim.takeRequest(Duration.ofSeconds(10)) != null, "the request reached the server");
        return reply;
    }

    @Test
    void stoppingTheContextAbortsANonStreamingCallThatOutlastsTheShutdownTimeout() throws Exception {
        sim.enqueue(ScriptedReply.status(200).jsonBody(LINE).firstByteDelay(Duration.ofSeconds(30)));
        context.getShutdownStrategy().setTimeout(1);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        CompletableFuture<Exchange> reply = sendAndAwaitArrival("direct:off");

        context.stop();

        Exchange failed = reply.get(20, TimeUnit.SECONDS);
        OllamaException aborted = assertInstanceOf(OllamaException.class, failed.getException());
        assertTrue(aborted.getMessage().contains("stopping"), aborted.getMessage());
        assertTrue(sim.awaitConnectionsClosed(Duration.ofSeconds(10)), "Ollama saw the client leave");
    }

    @Test
    void stoppingARouteAbortsItsCallsToo() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(LINE).firstByteDelay(Duration.ofSeconds(30)));
        context.getShutdownStrategy().setTimeout(1);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        CompletableFuture<Exchange> reply = sendAndAwaitArrival("direct:aggregate");

        context.getRouteController().stopRoute("aggregate");

        Exchange failed = reply.get(20, TimeUnit.SECONDS);
        OllamaException aborted = assertInstanceOf(OllamaException.class, failed.getException());
        assertTrue(aborted.getMessage().contains("stopping"), aborted.getMessage());
        assertTrue(sim.awaitConnectionsClosed(Duration.ofSeconds(10)), "Ollama saw the client leave");
        assertEquals(0, context.getComponent("ollama", OllamaComponent.class).poolStats().getLeased());
    }

    @Test
    void aCallThatFinishesWithinTheShutdownTimeoutCompletes() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(LINE).firstByteDelay(Duration.ofMillis(500)));
        context.getShutdownStrategy().setTimeout(20);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        CompletableFuture<Exchange> reply = sendAndAwaitArrival("direct:aggregate");

        context.stop();

        Exchange done = reply.get(20, TimeUnit.SECONDS);
        assertNull(done.getException());
        assertEquals("done", done.getMessage().getBody());
    }
}
