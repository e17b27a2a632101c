package dev.camelollama;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.client.OllamaStreamInterruptedException;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redelivery only while nothing reached the route; typed failures otherwise. */
@Timeout(60)
class RedeliveryAndFailuresTest extends SimulatorTestSupport {

    private static final String PROMPT = "tell me a story";
    private static final String BUSY = "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:aggregate").to(ollama("generate", "redeliveryDelay=100&backOffMultiplier=2"))
                        .to("mock:reply");
                from("direct:split").to(ollama("generate", "streaming=split&redeliveryDelay=100"))
                        .split(body()).streaming().stopOnException()
                            .to("mock:chunk")
                        .end();
            }
        };
    }

    @Test
    void twoBusyRepliesThenSuccessAfterTheConfiguredBackoff() throws Exception {
        sim.enqueue(ScriptedReply.status(503).jsonBody(BUSY), ScriptedReply.status(503).jsonBody(BUSY));
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));

        long start = System.nanoTime();
        template.sendBody("direct:aggregate", PROMPT);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        reply.assertIsSatisfied(10_000);
        assertEquals(3, sim.requestCount(), "two redeliveries after the first attempt");
        assertTrue(elapsedMillis >= 300, "waited 100 ms then 200 ms before redelivering, took " + elapsedMillis);
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        sim.enqueue(ScriptedReply.status(429).header("Retry-After", "1").jsonBody("{\"error\":\"slow down\"}"));
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedMessageCount(1);

        long start = System.nanoTime();
        template.sendBody("direct:aggregate", PROMPT);

        reply.assertIsSatisfied(10_000);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1000,
                "Retry-After: 1 asks for a second, more than the 100 ms delay");
    }

    @Test
    void busyForeverFailsAfterThreeRedeliveriesWithTheStatus() {
        for (int i = 0; i < 4; i++) {
            sim.enqueue(ScriptedReply.status(503).jsonBody(BUSY));
        }
        CamelExecutionException failure = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:aggregate", PROMPT));
        OllamaServerException server = assertInstanceOf(OllamaServerException.class, failure.getCause());
        assertEquals(503, server.getStatusCode());
        assertTrue(server.getServerMessage().startsWith("server busy"));
        assertEquals(4, sim.requestCount(), "the first attempt and three redeliveries");
    }

    @Test
    void unknownModelFailsAtOnceWithThePullHint() {
        CamelExecutionException failure = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeader("direct:aggregate", PROMPT, OllamaConstants.MODEL, "no-such-model"));
        ModelNotFoundException notFound = assertInstanceOf(ModelNotFoundException.class, failure.getCause());
        assertEquals("no-such-model", notFound.getModel());
        assertTrue(notFound.getMessage().contains("ollama pull no-such-model"), notFound.getMessage());
        assertEquals(1, sim.requestCount(), "404 is never redelivered");
    }

    @Test
    void badRequestIsNeverRedelivered() {
        sim.enqueue(ScriptedReply.status(400).jsonBody("{\"error\":\"missing request body\"}"));
        CamelExecutionException failure = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:aggregate", PROMPT));
        assertInstanceOf(dev.camelollama.client.OllamaBadRequestException.class, failure.getCause());
        assertEquals(1, sim.requestCount());
    }

    @Test
    void aResetBeforeTheReplyIsRedelivered() throws Exception {
        sim.enqueue(ScriptedReply.status(200).disconnectBeforeResponse());
        MockEndpoint reply = getMockEndpoint("mock:reply");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));

        template.sendBody("direct:aggregate", PROMPT);

        reply.assertIsSatisfied(10_000);
        assertEquals(2, sim.requestCount());
    }

    @Test
    void aBreakAfterTheFirstChunkIsNotRedeliveredAndKeepsThePartialText() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(
                "{\"model\":\"llama3.2\",\"response\":\"Once\",\"done\":false}",
                "{\"model\":\"llama3.2\",\"response\":\" upon\",\"done\":false}",
                "{\"model\":\"llama3.2\",\"response\":\" a time\",\"done\":false}").disconnectAfterLine(2));
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedBodiesReceived("Once", " upon");

        Exchange result = template.send("direct:split", exchange -> exchange.getIn().setBody(PROMPT));

        chunks.assertIsSatisfied(10_000);
        OllamaStreamInterruptedException broken = assertInstanceOf(OllamaStreamInterruptedException.class,
                result.getException());
        assertEquals("Once upon", broken.getPartialText());
        assertEquals(2, broken.getChunksReceived());
        assertEquals(1, sim.requestCount(), "never redelivered once a chunk reached the route");
    }

    @Test
    void aBreakInAggregateModeKeepsThePartialTextToo() {
        sim.enqueue(ScriptedReply.ndjson(
                "{\"model\":\"llama3.2\",\"response\":\"Once\",\"done\":false}",
                "{\"model\":\"llama3.2\",\"response\":\" upon\",\"done\":false}",
                "{\"model\":\"llama3.2\",\"response\":\" a time\",\"done\":false}").disconnectAfterLine(2));

        Exchange result = template.send("direct:aggregate", exchange -> exchange.getIn().setBody(PROMPT));

        OllamaStreamInterruptedException broken = assertInstanceOf(OllamaStreamInterruptedException.class,
                result.getException());
        assertEquals("Once upon", broken.getPartialText());
        assertEquals(1, sim.requestCount(), "text had arrived: a retry would generate it again");
    }

    @Test
    void anInStreamErrorLineIsAnErrorDespiteStatus200() {
        sim.enqueue(ScriptedReply.ndjson("{\"model\":\"llama3.2\",\"response\":\"Yes\",\"done\":false}")
                .errorLine("an error was encountered while running the model"));

        Exchange result = template.send("direct:aggregate", exchange -> exchange.getIn().setBody(PROMPT));

        OllamaStreamInterruptedException broken = assertInstanceOf(OllamaStreamInterruptedException.class,
                result.getException());
        assertEquals("Yes", broken.getPartialText());
        OllamaServerException cause = assertInstanceOf(OllamaServerException.class, broken.getCause());
        assertEquals("an error was encountered while running the model", cause.getServerMessage());
        assertEquals(1, sim.requestCount());
    }

    @Test
    void aStreamWithoutItsDoneLineIsAnError() {
        sim.enqueue(ScriptedReply.ndjson("{\"model\":\"llama3.2\",\"response\":\"Yes\",\"done\":false}"));

        Exchange result = template.send("direct:aggregate", exchange -> exchange.getIn().setBody(PROMPT));

        OllamaStreamInterruptedException broken = assertInstanceOf(OllamaStreamInterruptedException.class,
                result.getException());
        assertTrue(broken.getMessage().contains("without its final (done) line"), broken.getMessage());
    }

    @Test
    void aMalformedLineNamesItsLineNumber() {
        sim.enqueue(ScriptedReply.ndjson("{\"model\":\"llama3.2\",\"response\":\"Yes\",\"done\":false}",
                "this is not json"));

        Exchange result = template.send("direct:aggregate", exchange -> exchange.getIn().setBody(PROMPT));

        OllamaStreamInterruptedException broken = assertInstanceOf(OllamaStreamInterruptedException.class,
                result.getException());
        var protocol = assertInstanceOf(dev.camelollama.client.OllamaProtocolException.class, broken.getCause());
        assertEquals(2, protocol.getLineNumber());
        assertTrue(protocol.getSample().startsWith("this is not json"));
    }

    @Test
    void refusedConnectionIsRedeliveredThenReported() throws Exception {
        int deadPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dead").to("ollama:generate?model=llama3.2&baseUrl=http://127.0.0.1:" + deadPort
                                       + "&redeliveryDelay=10&maximumRedeliveries=2");
            }
        });
        Exchange result = template.send("direct:dead", exchange -> exchange.getIn().setBody(PROMPT));
        var refused = assertInstanceOf(dev.camelollama.client.OllamaConnectionException.class, result.getException());
        assertTrue(refused.getMessage().contains("127.0.0.1:" + deadPort), refused.getMessage());
        assertTrue(sim.awaitServedResponses(0, Duration.ofMillis(1)));
    }
}
