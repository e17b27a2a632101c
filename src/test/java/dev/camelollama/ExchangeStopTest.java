package dev.camelollama;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.AsyncProcessorAwaitManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.camelollama.client.OllamaException;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call whose exchange was stopped while it waited for Ollama is aborted, so Ollama stops generating a reply
 * nobody will read: the sending thread interrupted, the exchange interrupted through Camel's
 * AsyncProcessorAwaitManager (what JMX and the Camel CLI do to a stuck exchange), or marked route-stop by another
 * thread. The exchange keeps the stopper's outcome, and nothing is left leased in the pool.
 */
@Timeout(60)
class ExchangeStopTest extends SimulatorTestSupport {

    private static final String LINE = "{\"model\":\"llama3.2\",\"response\":\"done\",\"done\":true}";

    private final BlockingQueue<Exchange> reachedOllama = new ArrayBlockingQueue<>(4);

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String mode : new String[] {"off", "aggregate", "split"}) {
                    from("direct:" + mode)
                            .process(reachedOllama::add)
                            .to(ollama("generate", "streaming=" + mode + "&firstByteTimeout=0"));
                }
            }
        };
    }

    private void holdTheReply() {
        sim.enqueue(ScriptedReply.ndjson(LINE).firstByteDelay(Duration.ofSeconds(30)));
    }

    private Exchange awaitRequestAtOllama() throws InterruptedException {
        Exchange exchange = reachedOllama.poll(10, TimeUnit.SECONDS);
        assertNotNull(exchange, "the exchange reached the producer");
        assertNotNull(sim.takeRequest(Duration.ofSeconds(10)), "the request reached the server");
        return exchange;
    }

    private void assertCallAbandoned() throws InterruptedException {
        assertTrue(sim.awaitConnectionsClosed(Duration.ofSeconds(10)), "Ollama saw the client leave");
        OllamaComponent component = context.getComponent("ollama", OllamaComponent.class);
        // the pool releases the aborted connection on its I/O thread, a moment after the socket closed
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (component.poolStats().getLeased() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, component.poolStats().getLeased(), "no connection left leased");
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "aggregate", "split"})
    void interruptingTheSendingThreadAbortsTheCall(String mode) throws Exception {
        holdTheReply();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                template.requestBody("direct:" + mode, "a slow question");
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "sender-" + mode);
        sender.start();
        awaitRequestAtOllama();

        sender.interrupt();

        Throwable failure = outcome.get(10, TimeUnit.SECONDS);
        assertNotNull(failure, "the interrupted sender did not get a reply");
        assertCallAbandoned();
        sender.join(10_000);
    }

    @Test
    void interruptingAStuckExchangeThroughCamelAbortsTheCall() throws Exception {
        holdTheReply();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                template.requestBody("direct:off", "a slow question");
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "sender-await-manager");
        sender.start();
        Exchange stuck = awaitRequestAtOllama();
        AsyncProcessorAwaitManager awaitManager = org.apache.camel.support.PluginHelper.getAsyncProcessorAwaitManager(context);
        // the sender registers with the manager once process() returned, which may be after the request went out
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (awaitManager.browse().stream().noneMatch(t -> t.getExchange() == stuck)
               && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        awaitManager.interrupt(stuck.getExchangeId());

        assertNotNull(outcome.get(10, TimeUnit.SECONDS), "the interrupted exchange failed");
        assertTrue(stuck.getExchangeExtension().isInterrupted());
        assertCallAbandoned();
        sender.join(10_000);
    }

    @Test
    void markingTheExchangeToStopRoutingAbortsTheCallAndKeepsTheExchangeAsTheStopperLeftIt() throws Exception {
        holdTheReply();
        CompletableFuture<Exchange> reply = template.asyncSend("direct:aggregate",
                e -> e.getIn().setBody("a slow question"));
        Exchange exchange = awaitRequestAtOllama();

        exchange.setRouteStop(true);

        Exchange stopped = reply.get(10, TimeUnit.SECONDS);
        assertNull(stopped.getException(), "a deliberate stop is not turned into a failure");
        assertEquals("a slow question", stopped.getMessage().getBody(), "no reply replaced the body");
        assertNull(stopped.getMessage().getHeader(OllamaConstants.DONE_REASON));
        assertCallAbandoned();
    }

    @Test
    void anExchangeFailedElsewhereKeepsItsOwnExceptionWithTheAbortSuppressed() throws Exception {
        holdTheReply();
        CompletableFuture<Exchange> reply = template.asyncSend("direct:off", e -> e.getIn().setBody("a slow question"));
        Exchange exchange = awaitRequestAtOllama();
        IllegalStateException theirs = new IllegalStateException("the caller gave up");

        exchange.setException(theirs);

        Exchange failed = reply.get(10, TimeUnit.SECONDS);
        assertEquals(theirs, failed.getException());
        assertEquals(1, theirs.getSuppressed().length);
        assertTrue(theirs.getSuppressed()[0] instanceof OllamaException);
        assertTrue(theirs.getSuppressed()[0].getMessage().contains("failed while it waited"),
                theirs.getSuppressed()[0].getMessage());
        assertCallAbandoned();
    }
}
