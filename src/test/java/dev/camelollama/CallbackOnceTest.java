package dev.camelollama;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaConnectionException;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.client.OllamaStreamInterruptedException;
import dev.camelollama.client.OllamaTimeoutException;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous producer completes its callback exactly once on every path, and never on the caller's thread
 * while the request is in flight.
 */
@Timeout(60)
class CallbackOnceTest extends SimulatorTestSupport {

    private static final String CHUNK = "{\"model\":\"llama3.2\",\"response\":\"partial\",\"done\":false}";

    /** What one call to process() did with its callback. */
    private record Outcome(Exchange exchange, boolean completedSynchronously, int callbacks) {
    }

    private Outcome call(String uri, Consumer<Exchange> input) throws Exception {
        AsyncProducer producer = context.getEndpoint(uri).createAsyncProducer();
        producer.start();
        try {
            Exchange exchange = new DefaultExchange(context);
            input.accept(exchange);
            AtomicInteger callbacks = new AtomicInteger();
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch second = new CountDownLatch(2);
            boolean sync = producer.process(exchange, doneSync -> {
                callbacks.incrementAndGet();
                first.countDown();
                second.countDown();
            });
            assertTrue(first.await(20, TimeUnit.SECONDS), "the callback was completed");
            assertFalse(second.await(300, TimeUnit.MILLISECONDS), "the callback was completed a second time");
            return new Outcome(exchange, sync, callbacks.get());
        } finally {
            producer.stop();
        }
    }

    @Test
    void success() throws Exception {
        Outcome outcome = call(ollama("generate", ""), e -> e.getIn().setBody("one two"));
        assertFalse(outcome.completedSynchronously(), "the request in flight held no thread");
        assertNull(outcome.exchange().getException());
        assertEquals(OllamaSimulator.expectedReply("one two", 5), outcome.exchange().getMessage().getBody());
        assertEquals(1, outcome.callbacks());
    }

    @Test
    void splitSuccess() throws Exception {
        Outcome outcome = call(ollama("generate", "streaming=split"), e -> e.getIn().setBody("one two"));
        assertInstanceOf(ChunkMessageIterator.class, outcome.exchange().getMessage().getBody());
        assertEquals(1, outcome.callbacks());
        ((ChunkMessageIterator) outcome.exchange().getMessage().getBody()).close();
    }

    @Test
    void httpError() throws Exception {
        Outcome outcome = call(ollama("generate", ""), e -> {
            e.getIn().setBody("hello");
            e.getIn().setHeader(OllamaConstants.MODEL, "absent");
        });
        assertInstanceOf(ModelNotFoundException.class, outcome.exchange().getException());
        assertEquals(1, outcome.callbacks());
    }

    @Test
    void retriesExhausted() throws Exception {
        for (int i = 0; i < 3; i++) {
            sim.enqueue(ScriptedReply.status(503).jsonBody("{\"error\":\"busy\"}"));
        }
        Outcome outcome = call(ollama("generate", "maximumRedeliveries=2&redeliveryDelay=10"),
                e -> e.getIn().setBody("hello"));
        assertInstanceOf(OllamaServerException.class, outcome.exchange().getException());
        assertEquals(1, outcome.callbacks());
    }

    @Test
    void refusedConnection() throws Exception {
        int deadPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        Outcome outcome = call("ollama:generate?model=llama3.2&redeliveryDelay=10&baseUrl=http://127.0.0.1:" + deadPort,
                e -> e.getIn().setBody("hello"));
        assertInstanceOf(OllamaConnectionException.class, outcome.exchange().getException());
        assertEquals(1, outcome.callbacks());
    }

    @Test
    void timeout() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(CHUNK).firstByteDelay(Duration.ofSeconds(3)));
        Outcome outcome = call(ollama("generate", "firstByteTimeout=200"), e -> e.getIn().setBody("hello"));
        assertInstanceOf(OllamaTimeoutException.class, outcome.exchange().getException());
        assertEquals(1, outcome.callbacks());
    }

    @Test
    void inStreamError() throws Exception {
        sim.enqueue(ScriptedReply.ndjson(CHUNK).errorLine("the runner crashed"));
        Outcome outcome = call(ollama("generate", ""), e -> e.getIn().setBody("hello"));
        assertInstanceOf(OllamaStreamInterruptedException.class, outcome.exchange().getException());
        assertEquals(1, outcome.callbacks());
    }

    @Test
    void badInputFailsBeforeAnyHttpCall() throws Exception {
        Outcome outcome = call(ollama("generate", ""), e -> e.getIn().setBody(null));
        assertTrue(outcome.completedSynchronously());
        assertInstanceOf(IllegalArgumentException.class, outcome.exchange().getException());
        assertTrue(outcome.exchange().getException().getMessage().contains("CamelOllamaPrompt"));
        assertEquals(1, outcome.callbacks());
        assertEquals(0, sim.requestCount());
    }
}
