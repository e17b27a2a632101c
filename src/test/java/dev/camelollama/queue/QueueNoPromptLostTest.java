package dev.camelollama.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.queue.QueueOutcomes.Outcome;
import dev.camelollama.simulator.FaultInjector;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

/**
 * Issue 4, no prompt lost, the queue: as BatchJobRestartTest, with a real JMS broker instead of folders. 1,000
 * prompts on an embedded Artemis queue go through {@link PromptQueueRoute} (a transacted consumer) while the
 * simulator injects a deterministic mix of faults into ~10% of the requests, and 2% of the prompts are poison: half
 * of them blank (a producer's bug, refused by the component before any request), half failed by the server with a
 * 503 on every attempt. The CamelContext is stopped abruptly at about half-way
 * and a new one is started on the same broker. At the end every prompt is exactly once in the replies or in the
 * dead-letter queue (with its reason), none is missing, none duplicated, and the prompt queue is empty.
 */
class QueueNoPromptLostTest {

    private static final int PROMPTS = 1000;
    private static final int CHUNKS = 4;
    /** One fault per this many requests. */
    private static final int FAULT_EVERY = 10;
    /**
     * Every this many prompts, one is poison: alternately blank (the component refuses it on every delivery, before
     * any request) and one the server answers with 503 every time.
     */
    private static final int POISON_EVERY = 50;
    private static final String SERVER_FAILS = "[the server fails on this prompt]";
    /** What a dead letter's reason looks like: the exception's class, then its message. */
    private static final Pattern REASON = Pattern.compile("[\\w.$]+(Exception|Error): \\S.*", Pattern.DOTALL);
    /** The route dead-letters on this delivery; the broker's own limit is two higher, a backstop only. */
    private static final int MAX_ATTEMPTS = 3;
    private static final int CONSUMERS = 4;
    /** The component's own redeliveries per broker delivery (its default). */
    private static final int OLLAMA_REDELIVERIES = 3;
    private static final Duration RUN_BOUND = Duration.ofSeconds(40);
    private static final String CHUNK = "{\"model\":\"llama3.2\",\"response\":\"partial \",\"done\":false}";

    @TempDir
    Path dir;

    private OllamaSimulator sim;
    private EmbeddedArtemis broker;
    private QueueOutcomes outcomes;
    private PromptQueueContext camel;

    @BeforeEach
    void start() throws Exception {
        sim = OllamaSimulator.start().chunkCount(CHUNKS).chunkDelay(Duration.ofMillis(2))
                .answerEvery(request -> request.bodyUtf8().contains(SERVER_FAILS),
                        ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));
        broker = EmbeddedArtemis.start(dir, MAX_ATTEMPTS + 2, 10, PromptQueueRoute.PROMPTS, PromptQueueRoute.REPLIES,
                PromptQueueRoute.DEAD_LETTERS);
        outcomes = QueueOutcomes.listen(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.REPLIES,
                PromptQueueRoute.DEAD_LETTERS);
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

    /** The deterministic fault mix of BatchJobRestartTest, one entry per injected fault, cycled. */
    private static List<ScriptedReply[]> faultMix() {
        ScriptedReply busy = ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}");
        return List.of(
                new ScriptedReply[] { busy },                                       // component redelivers -> reply
                new ScriptedReply[] { ScriptedReply.status(200).disconnectBeforeResponse() }, // component redelivers
                new ScriptedReply[] { ScriptedReply.ndjson(CHUNK).errorLine("CUDA error: out of memory") }, // broker
                new ScriptedReply[] { ScriptedReply.ndjson(CHUNK, CHUNK, CHUNK).lineDelay(Duration.ofMillis(1200)) },
                new ScriptedReply[] { ScriptedReply.ndjson(CHUNK, CHUNK).resetAfterLine(1) }, // interrupted -> broker
                new ScriptedReply[] { busy, busy, busy, busy });                    // component exhausted -> broker
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyPromptExactlyOnceInRepliesOrDeadLettersAcrossAnAbruptRestart() throws Exception {
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 1; i <= PROMPTS; i++) {
            prompts.add(new Prompt(id(i), text(i), null));
        }
        Prompt.send(EmbeddedArtemis.connectionFactory(), PromptQueueRoute.PROMPTS, prompts);

        // inject faults while the route runs: one whenever another FAULT_EVERY requests have arrived
        FaultInjector injector = FaultInjector.start(sim, FAULT_EVERY, faultMix());

        // first run: stopped abruptly (a one-second grace, then forced) once about half of the prompts are out
        long started = System.nanoTime();
        camel = PromptQueueContext.start(sim.baseUrl(), MAX_ATTEMPTS, CONSUMERS, OLLAMA_REDELIVERIES);
        assertTrue(outcomes.awaitTotal(PROMPTS / 2, RUN_BOUND), "half of the prompts should be out within "
                                                                 + RUN_BOUND);
        int outAtStop = outcomes.all().size();
        long stopStarted = System.nanoTime();
        camel.close();
        camel = null;
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
        long leftAfterStop = broker.messageCount(PromptQueueRoute.PROMPTS);
        System.out.println("[queue] stopped with " + outAtStop + " out, " + outcomes.all().size()
                           + " after the stop (" + stopMillis + " ms); " + leftAfterStop + " prompts left in the queue");
        assertTrue(leftAfterStop > 0, "the stop should come before the end");

        // second run: a new CamelContext on the same broker
        camel = PromptQueueContext.start(sim.baseUrl(), MAX_ATTEMPTS, CONSUMERS, OLLAMA_REDELIVERIES);
        assertTrue(outcomes.awaitTotal(PROMPTS, RUN_BOUND), "every prompt should be out within " + RUN_BOUND
                                                            + ", got " + outcomes.all().size());
        // stop before counting, so that no transaction is open while the broker is asked
        camel.close();
        camel = null;
        injector.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // the accounting
        Map<String, List<Outcome>> byId = new HashMap<>();
        for (Outcome outcome : outcomes.all()) {
            byId.computeIfAbsent(outcome.promptId(), any -> new ArrayList<>()).add(outcome);
        }
        List<String> problems = new ArrayList<>();
        int missing = 0;
        int duplicated = 0;
        int replies = 0;
        int deadLetters = 0;
        int redeliveredReplies = 0;
        Map<String, Integer> reasonKinds = new TreeMap<>();
        for (int i = 1; i <= PROMPTS; i++) {
            List<Outcome> found = byId.getOrDefault(id(i), List.of());
            boolean poison = i % POISON_EVERY == 0;
            if (found.isEmpty()) {
                missing++;
                problems.add(id(i) + " missing");
                continue;
            }
            if (found.size() > 1) {
                duplicated++;
                problems.add(id(i) + " " + found.size() + " times: " + found);
                continue;
            }
            Outcome outcome = found.get(0);
            if (outcome.queue().equals(PromptQueueRoute.REPLIES)) {
                replies++;
                if (poison) {
                    problems.add(id(i) + " is poison and was replied");
                }
                if (!OllamaSimulator.expectedReply(text(i), CHUNKS).equals(outcome.body())) {
                    problems.add(id(i) + " has a wrong reply");
                }
                if (outcome.deliveries() > 1) {
                    redeliveredReplies++;
                }
            } else {
                deadLetters++;
                String reason = outcome.failureReason();
                if (reason == null || !REASON.matcher(reason).matches()) {
                    problems.add(id(i) + " dead-lettered without a reason naming the failure: " + reason);
                } else {
                    String expected = serverFails(i) ? "OllamaServerException" : blank(i)
                            ? "IllegalArgumentException" : null;
                    if (expected != null && !reason.contains(expected)) {
                        problems.add(id(i) + " dead-lettered for " + reason + ", not " + expected);
                    }
                    reasonKinds.merge(reason.substring(reason.lastIndexOf('.', reason.indexOf(':')) + 1,
                            reason.indexOf(':')), 1, Integer::sum);
                }
                if (!text(i).equals(outcome.body())) {
                    problems.add(id(i) + " dead-lettered without its prompt");
                }
                if (outcome.deliveries() < MAX_ATTEMPTS) {
                    problems.add(id(i) + " dead-lettered after " + outcome.deliveries() + " deliveries");
                }
            }
        }
        long repliesAdded = broker.messagesAdded(PromptQueueRoute.REPLIES);
        long deadLettersAdded = broker.messagesAdded(PromptQueueRoute.DEAD_LETTERS);
        System.out.println("[queue] dead-letter reasons: " + reasonKinds);
        System.out.println(String.format(Locale.ROOT, "[queue] %d prompts: %d replies (%d after a broker redelivery), "
                + "%d dead letters (%d poison prompts), %d missing, %d duplicated; broker added %d replies "
                + "and %d dead letters; %d requests, %d faults injected; %d ms", PROMPTS, replies, redeliveredReplies,
                deadLetters, PROMPTS / POISON_EVERY, missing, duplicated, repliesAdded, deadLettersAdded,
                sim.requestCount(), injector.injected(), millis));

        assertEquals(List.of(), problems);
        assertEquals(PROMPTS, replies + deadLetters);
        // the broker's own count: a reply or dead letter committed twice would show here even if the listener missed it
        assertEquals(PROMPTS, repliesAdded + deadLettersAdded, "messages the broker committed to replies and DLQ");
        assertEquals(0, broker.messageCount(PromptQueueRoute.PROMPTS), "no prompt left in the queue");
        assertTrue(deadLetters >= PROMPTS / POISON_EVERY, "every poison prompt is dead-lettered");
        assertTrue(reasonKinds.getOrDefault("OllamaServerException", 0) >= PROMPTS / POISON_EVERY / 2,
                "the prompts the server fails are dead-lettered with the server's failure: " + reasonKinds);
        assertTrue(redeliveredReplies > 0, "some prompts should be replied after the broker redelivered them");
        assertTrue(injector.injected() >= PROMPTS / FAULT_EVERY / 2, "faults injected: " + injector.injected());
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "prompt-%04d", i);
    }

    private static boolean blank(int i) {
        return i % (2 * POISON_EVERY) == POISON_EVERY;
    }

    private static boolean serverFails(int i) {
        return i % (2 * POISON_EVERY) == 0;
    }

    private static String text(int i) {
        if (blank(i)) {
            return " ";
        }
        return (serverFails(i) ? SERVER_FAILS + " " : "") + "Tell me fact number " + i + " about secretive octopuses";
    }
}
