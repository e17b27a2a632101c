package dev.camelollama.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.queue.QueueOutcomes.Outcome;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

/**
 * The queue route one prompt at a time (one consumer, so the simulator's script meets exactly that prompt): what
 * the broker redelivers, when the route dead-letters and with which reason, and that a reply is part of the
 * prompt's transaction.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueDeadLetterTest {

    private static final int MAX_ATTEMPTS = 3;
    /** The component's own redeliveries per broker delivery: each delivery makes up to 2 requests. */
    private static final int OLLAMA_REDELIVERIES = 1;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TEXT = "Why do octopuses have three hearts";

    @TempDir
    Path dir;

    private OllamaSimulator sim;
    private EmbeddedArtemis broker;
    private QueueOutcomes outcomes;
    private PromptQueueContext camel;

    @BeforeEach
    void start() throws Exception {
        sim = OllamaSimulator.start().chunkCount(3);
        // the broker's own limit is above the route's, so that the route decides (see docs/reliability.md)
        broker = EmbeddedArtemis.start(dir, MAX_ATTEMPTS + 2, 10, PromptQueueRoute.PROMPTS, PromptQueueRoute.REPLIES,
                PromptQueueRoute.DEAD_LETTERS);
        outcomes = QueueOutcomes.listen(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.REPLIES,
                PromptQueueRoute.DEAD_LETTERS);
        camel = startCamel(sim.baseUrl(), MAX_ATTEMPTS, OLLAMA_REDELIVERIES);
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (outcomes != null) {
            outcomes.close();
        }
        if (broker != null) {
            broker.close();
        }
        sim.close();
    }

    /** The context under test, with the Java route and one consumer. */
    PromptQueueContext startCamel(String baseUrl, int maxAttempts, int ollamaRedeliveries) throws Exception {
        return PromptQueueContext.start(baseUrl, maxAttempts, 1, ollamaRedeliveries);
    }

    /** Stops the route's context before counting, so that no transaction is still open. */
    private void stopCamel() {
        camel.close();
        camel = null;
    }

    @Test
    void aPromptThatFailsEveryTimeIsDeadLetteredAfterMaxAttemptsWithItsReason() throws Exception {
        ScriptedReply busy = ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}");
        for (int i = 0; i < MAX_ATTEMPTS * (1 + OLLAMA_REDELIVERIES); i++) {
            sim.enqueue(busy);
        }
        Prompt.send(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.PROMPTS, List.of(new Prompt("p-1", TEXT,
                null)));

        assertTrue(outcomes.awaitTotal(1, WAIT), "the prompt should come out on the replies or the DLQ");
        Outcome outcome = outcomes.all().get(0);
        assertEquals(PromptQueueRoute.DEAD_LETTERS, outcome.queue());
        assertEquals("p-1", outcome.promptId());
        assertEquals(TEXT, outcome.body(), "the dead letter is the original prompt");
        assertEquals(MAX_ATTEMPTS, outcome.deliveries(), "dead-lettered on the last attempt, not before");
        assertTrue(outcome.failureReason().startsWith("dev.camelollama.client.OllamaServerException: "),
                outcome.failureReason());
        assertTrue(outcome.failureReason().contains("server busy"), outcome.failureReason());
        stopCamel();
        // every broker delivery went through the component's own redelivery as well
        assertEquals(MAX_ATTEMPTS * (1 + OLLAMA_REDELIVERIES), sim.requestCount());
        assertEquals(0, sim.queuedReplies());
        assertEquals(0, broker.messageCount(PromptQueueRoute.PROMPTS), "the prompt left its queue");
        assertEquals(1, broker.messagesAdded(PromptQueueRoute.DEAD_LETTERS));
        assertEquals(0, broker.messagesAdded(PromptQueueRoute.REPLIES));
    }

    @Test
    void aPromptThatFailsOnceIsRedeliveredByTheBrokerAndReplied() throws Exception {
        // an in-stream error after the first chunk: the component never redelivers once text arrived, the broker does
        sim.enqueue(ScriptedReply.ndjson("{\"model\":\"llama3.2\",\"response\":\"Three\",\"done\":false}")
                .errorLine("CUDA error: out of memory"));
        Prompt.send(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.PROMPTS, List.of(new Prompt("p-1", TEXT,
                null)));

        assertTrue(outcomes.awaitTotal(1, WAIT), "the prompt should come out on the replies or the DLQ");
        Outcome outcome = outcomes.all().get(0);
        assertEquals(PromptQueueRoute.REPLIES, outcome.queue());
        assertEquals("p-1", outcome.promptId());
        assertEquals(OllamaSimulator.expectedReply(TEXT, 3), outcome.body());
        assertEquals(2, outcome.deliveries(), "replied on the broker's second delivery");
        stopCamel();
        assertEquals(2, sim.requestCount());
        assertEquals(0, broker.messageCount(PromptQueueRoute.PROMPTS), "the prompt left its queue");
        assertEquals(1, broker.messagesAdded(PromptQueueRoute.REPLIES));
        assertEquals(0, broker.messagesAdded(PromptQueueRoute.DEAD_LETTERS));
    }

    @Test
    void aReplySentBeforeAFailureRollsBackWithThePrompt() throws Exception {
        // the reply is sent, then the route fails once: if the send were outside the prompt's transaction, the
        // broker would hold two replies after the redelivery
        AtomicBoolean failed = new AtomicBoolean();
        AdviceWith.adviceWith(camel.camelContext(), PromptQueueRoute.ROUTE_ID, route -> route
                .weaveByToUri("jms:queue:" + PromptQueueRoute.REPLIES).after().process(exchange -> {
                    if (failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("fails after the reply was sent");
                    }
                }));
        Prompt.send(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.PROMPTS, List.of(new Prompt("p-1", TEXT,
                null)));

        assertTrue(outcomes.awaitTotal(1, WAIT), "the prompt should come out on the replies or the DLQ");
        stopCamel();
        assertTrue(failed.get());
        Outcome outcome = outcomes.all().get(0);
        assertEquals(PromptQueueRoute.REPLIES, outcome.queue());
        assertEquals(2, outcome.deliveries(), "the reply that stayed is the second delivery's");
        assertEquals(1, broker.messagesAdded(PromptQueueRoute.REPLIES), "the first reply was rolled back");
        assertEquals(2, sim.requestCount());
    }

    @Test
    void aDeadLetterSentBeforeAFailureRollsBackWithThePrompt() throws Exception {
        // the last attempt's dead letter is sent, then the route fails once: the dead letter must roll back with
        // the prompt, and the next delivery (the broker allows more than the route) dead-letters it again, once
        AtomicBoolean failed = new AtomicBoolean();
        AdviceWith.adviceWith(camel.camelContext(), PromptQueueRoute.ROUTE_ID, route -> route
                .weaveByToUri("jms:queue:" + PromptQueueRoute.DEAD_LETTERS).after().process(exchange -> {
                    if (failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("fails after the dead letter was sent");
                    }
                }));
        ScriptedReply busy = ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}");
        for (int i = 0; i < (MAX_ATTEMPTS + 1) * (1 + OLLAMA_REDELIVERIES); i++) {
            sim.enqueue(busy);
        }
        Prompt.send(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.PROMPTS, List.of(new Prompt("p-1", TEXT,
                null)));

        assertTrue(outcomes.awaitTotal(1, WAIT), "the prompt should come out on the replies or the DLQ");
        stopCamel();
        assertTrue(failed.get());
        Outcome outcome = outcomes.all().get(0);
        assertEquals(PromptQueueRoute.DEAD_LETTERS, outcome.queue());
        assertEquals(MAX_ATTEMPTS + 1, outcome.deliveries(), "the dead letter that stayed is the fourth delivery's");
        assertEquals(1, broker.messagesAdded(PromptQueueRoute.DEAD_LETTERS), "the first dead letter was rolled back");
        assertEquals(0, broker.messagesAdded(PromptQueueRoute.REPLIES));
        assertEquals(0, broker.messageCount(PromptQueueRoute.PROMPTS), "the prompt left its queue");
    }

    /**
     * Here the forced stop interrupts the listener's thread before the component aborts the call, so the failure
     * never reaches the route's catch; the route's "not while Camel is stopping" guard covers the other order. Either
     * way the prompt must roll back, not be dead-lettered.
     */
    @Test
    void aLastAttemptCutShortByAStopIsRetriedAfterTheRestartNotDeadLettered() throws Exception {
        ScriptedReply busy = ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}");
        for (int i = 0; i < (MAX_ATTEMPTS - 1) * (1 + OLLAMA_REDELIVERIES); i++) {
            sim.enqueue(busy);
        }
        // the last attempt's call waits for Ollama until the stop aborts it
        CountDownLatch neverBeforeTheStop = new CountDownLatch(1);
        sim.enqueue(ScriptedReply.ndjson("{\"model\":\"llama3.2\",\"response\":\"Three\",\"done\":true}")
                .awaitBeforeLine(0, neverBeforeTheStop));
        try {
            Prompt.send(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.PROMPTS, List.of(new Prompt("p-1",
                    TEXT, null)));
            for (int i = 0; i <= (MAX_ATTEMPTS - 1) * (1 + OLLAMA_REDELIVERIES); i++) {
                sim.takeRequest();
            }
            stopCamel();
        } finally {
            neverBeforeTheStop.countDown();
        }
        assertEquals(List.of(), outcomes.all(), "the stop neither replied nor dead-lettered the prompt");
        assertEquals(1, broker.messageCount(PromptQueueRoute.PROMPTS), "the prompt is back in its queue");

        camel = startCamel(sim.baseUrl(), MAX_ATTEMPTS, OLLAMA_REDELIVERIES);
        assertTrue(outcomes.awaitTotal(1, WAIT), "the prompt should come out on the replies or the DLQ");
        Outcome outcome = outcomes.all().get(0);
        assertEquals(PromptQueueRoute.REPLIES, outcome.queue(), "the restart tried once more: " + outcome);
        assertEquals(MAX_ATTEMPTS + 1, outcome.deliveries());
        assertEquals(OllamaSimulator.expectedReply(TEXT, 3), outcome.body());
    }
}
