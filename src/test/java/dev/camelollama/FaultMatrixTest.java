package dev.camelollama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaBadRequestException;
import dev.camelollama.client.OllamaConnectionException;
import dev.camelollama.client.OllamaProtocolException;
import dev.camelollama.client.OllamaReplyTooLargeException;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.client.OllamaStreamInterruptedException;
import dev.camelollama.client.OllamaTimeoutException;
import dev.camelollama.client.TimeoutKind;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault matrix (issue 4): every fault × every reply mode, each cell bounded in time. For every cell: the
 * documented outcome (the right reply after redeliveries where the fault is transient, else the right typed
 * exception with the partial text), the producer's callback completed exactly once, no thread left behind beyond
 * the component's own pools, no leased pool connection, and — where the client gave up on a reply — the simulator
 * saw the connection closed. The table is in docs/reliability.md; {@code target/fault-matrix.md} gets the run's
 * timings.
 */
class FaultMatrixTest extends SimulatorTestSupport {

    private static final String PROMPT = "one two three";
    private static final String REPLY = OllamaSimulator.expectedReply(PROMPT, 5);
    private static final String DONE = "{\"model\":\"llama3.2\",\"response\":\"\",\"done\":true,\"done_reason\":\"stop\"}";
    private static final int BIG_LINE_CHARS = 8 * 1024 * 1024;
    /** Redelivery fast enough for a test, same count as the default. */
    private static final String FAST_REDELIVERY = "redeliveryDelay=10&maximumRedeliveries=3";
    /** Threads the component and the test harness may start and keep: pools, reactor, timers, the simulator. */
    private static final List<String> OWN_THREADS =
            List.of("OllamaReply", "httpclient", "ollama-client-timer", "ollama-simulator", "junit");

    /** Cell ("fault / mode") to milliseconds, for the report. */
    private static final Map<String, String> TIMINGS = new ConcurrentSkipListMap<>();

    private static String line(String text) {
        return "{\"model\":\"llama3.2\",\"response\":\"" + text + "\",\"done\":false}";
    }

    /** What a cell did. {@code text} is the reply (or, in split mode, the text taken before a failure). */
    record Result(String text, Throwable failure, AtomicInteger callbacks, long millis) {
    }

    /** One fault: how to script it, the endpoint options it needs, and what every mode must see. */
    record Fault(String name, long boundMillis, boolean clientGivesUp, String options,
                 java.util.function.BiFunction<String, CountDownLatch, List<ScriptedReply>> script,
                 Check check) {

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Check {
        void verify(String mode, Result result, OllamaSimulator sim) throws Exception;
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        // -DfaultMatrix.only=8 MB runs only the faults whose name contains it
        String only = System.getProperty("faultMatrix.only", "");
        for (Fault fault : faults()) {
            if (!fault.name().contains(only)) {
                continue;
            }
            for (String mode : List.of("off", "aggregate", "split")) {
                cells.add(Arguments.of(fault, mode));
            }
        }
        return cells.stream();
    }

    static List<Fault> faults() {
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault("connection refused", 5_000, false, "REFUSED",
                (mode, gate) -> List.of(), (mode, r, sim) -> {
                    OllamaConnectionException refused = assertInstanceOf(OllamaConnectionException.class, r.failure());
                    assertTrue(refused.getMessage().contains("Cannot connect"), refused.getMessage());
                    assertEquals(0, sim.requestCount());
                }));
        faults.add(new Fault("reset before the response", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.status(200).disconnectBeforeResponse()),
                (mode, r, sim) -> succeededAfter(r, sim, 2)));
        faults.add(new Fault("reset (RST) after the first chunk", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.ndjson(line("Once"), line(" upon"), DONE).resetAfterLine(1)),
                FaultMatrixTest::resetAfterFirstChunk));
        for (int status : new int[] {500, 502, 504, 429}) {
            faults.add(new Fault(status + " then success", 5_000, false, "",
                    (mode, gate) -> List.of(ScriptedReply.status(status).jsonBody("{\"error\":\"transient\"}")),
                    (mode, r, sim) -> succeededAfter(r, sim, 2)));
        }
        faults.add(new Fault("503 without Retry-After", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"),
                        ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}")),
                (mode, r, sim) -> {
                    succeededAfter(r, sim, 3);
                    assertTrue(r.millis() < 1_000, "redelivered after the 10 ms back-off, took " + r.millis());
                }));
        faults.add(new Fault("503 with Retry-After: 1", 6_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.status(503).header("Retry-After", "1")
                        .jsonBody("{\"error\":\"server busy\"}")),
                (mode, r, sim) -> {
                    succeededAfter(r, sim, 2);
                    assertTrue(r.millis() >= 1_000, "Retry-After: 1 outweighs the 10 ms delay, took " + r.millis());
                }));
        faults.add(new Fault("503 forever", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"),
                        ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"),
                        ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"),
                        ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}")),
                (mode, r, sim) -> {
                    OllamaServerException busy = assertInstanceOf(OllamaServerException.class, r.failure());
                    assertEquals(503, busy.getStatusCode());
                    assertEquals("server busy", busy.getServerMessage());
                    assertEquals(4, sim.requestCount(), "the first attempt and three redeliveries");
                }));
        faults.add(new Fault("404 model not found", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.status(404)
                        .jsonBody("{\"error\":\"model \\\"llama3.2\\\" not found, try pulling it first\"}")),
                (mode, r, sim) -> {
                    ModelNotFoundException missing = assertInstanceOf(ModelNotFoundException.class, r.failure());
                    assertEquals("llama3.2", missing.getModel());
                    assertEquals(1, sim.requestCount(), "404 is never redelivered");
                }));
        faults.add(new Fault("400 bad request", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.status(400).jsonBody("{\"error\":\"invalid options\"}")),
                (mode, r, sim) -> {
                    OllamaBadRequestException bad = assertInstanceOf(OllamaBadRequestException.class, r.failure());
                    assertEquals(400, bad.getStatusCode());
                    assertEquals(1, sim.requestCount(), "400 is never redelivered");
                }));
        faults.add(new Fault("slow first byte > firstByteTimeout", 5_000, true, "firstByteTimeout=300",
                // a gate before line 0 holds back the status line too; opened once the client gave up
                (mode, gate) -> List.of(ScriptedReply.ndjson(line("a"), line("b"), line("c"), line("d"), DONE)
                        .awaitBeforeLine(0, gate)),
                (mode, r, sim) -> {
                    OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, r.failure());
                    assertEquals(TimeoutKind.FIRST_BYTE, timeout.getKind());
                    assertEquals("", timeout.getPartialText());
                    assertTrue(r.millis() >= 300 && r.millis() < 2_000, "took " + r.millis());
                    assertEquals(1, sim.requestCount(), "a first-byte timeout is not redelivered by default");
                }));
        faults.add(new Fault("stall mid-stream > idleTimeout", 5_000, true, "idleTimeout=300",
                (mode, gate) -> List.of(ScriptedReply.ndjson(line("Once"), line(" upon"), line("x"), line("y"),
                        line("z"), line("w"), DONE).awaitBeforeLine(2, gate)),
                (mode, r, sim) -> {
                    OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, r.failure());
                    assertEquals(TimeoutKind.IDLE, timeout.getKind());
                    assertEquals("Once upon", timeout.getPartialText());
                    assertEquals(1, sim.requestCount());
                }));
        faults.add(new Fault("totalTimeout overrun while chunks keep coming", 5_000, true,
                "totalTimeout=400&idleTimeout=0",
                (mode, gate) -> {
                    List<String> ticks = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        ticks.add(line("tick"));
                    }
                    ticks.add(DONE);
                    return List.of(ScriptedReply.ndjson(ticks).lineDelay(Duration.ofMillis(20)));
                },
                (mode, r, sim) -> {
                    OllamaTimeoutException timeout = assertInstanceOf(OllamaTimeoutException.class, r.failure());
                    assertEquals(TimeoutKind.TOTAL, timeout.getKind());
                    assertTrue(timeout.getPartialText().startsWith("tick"), timeout.getPartialText());
                    assertTrue(timeout.getPartialText().replace("tick", "").isEmpty(), timeout.getPartialText());
                    assertTrue(r.millis() >= 400 && r.millis() < 2_000, "took " + r.millis());
                    assertEquals(1, sim.requestCount());
                }));
        faults.add(new Fault("malformed line", 5_000, true, "",
                (mode, gate) -> List.of(ScriptedReply.ndjson(line("Once"), "this is not json", DONE)),
                (mode, r, sim) -> {
                    OllamaStreamInterruptedException broken =
                            assertInstanceOf(OllamaStreamInterruptedException.class, r.failure());
                    assertEquals("Once", broken.getPartialText());
                    OllamaProtocolException protocol = assertInstanceOf(OllamaProtocolException.class, broken.getCause());
                    assertEquals(2, protocol.getLineNumber());
                    assertEquals(1, sim.requestCount());
                }));
        faults.add(new Fault("stream ends without done", 5_000, false, "",
                (mode, gate) -> List.of(ScriptedReply.ndjson(line("Once"), line(" upon"))),
                (mode, r, sim) -> {
                    OllamaStreamInterruptedException broken =
                            assertInstanceOf(OllamaStreamInterruptedException.class, r.failure());
                    assertTrue(broken.getMessage().contains("without its final (done) line"), broken.getMessage());
                    assertEquals("Once upon", broken.getPartialText());
                    assertEquals(1, sim.requestCount());
                }));
        faults.add(new Fault("in-stream {\"error\"} line", 5_000, true, "",
                (mode, gate) -> List.of(ScriptedReply.ndjson(line("Yes")).errorLine("the runner crashed")),
                (mode, r, sim) -> {
                    OllamaStreamInterruptedException broken =
                            assertInstanceOf(OllamaStreamInterruptedException.class, r.failure());
                    assertEquals("Yes", broken.getPartialText());
                    OllamaServerException cause = assertInstanceOf(OllamaServerException.class, broken.getCause());
                    assertEquals("the runner crashed", cause.getServerMessage());
                    assertEquals(1, sim.requestCount(), "an in-stream error is never redelivered");
                }));
        faults.add(new Fault("one 8 MB line", 15_000, false, "",
                (mode, gate) -> {
                    String big = "a".repeat(BIG_LINE_CHARS);
                    if (mode.equals("off")) {
                        return List.of(ScriptedReply.status(200).jsonBody("{\"model\":\"llama3.2\",\"response\":\""
                                                                          + big + "\",\"done\":true}"));
                    }
                    return List.of(ScriptedReply.ndjson(line(big), DONE));
                },
                (mode, r, sim) -> {
                    assertNull(r.failure(), () -> "failed: " + r.failure());
                    assertEquals(BIG_LINE_CHARS, r.text().length());
                    assertTrue(r.text().chars().allMatch(c -> c == 'a'));
                    assertEquals(1, sim.requestCount());
                }));
        faults.add(new Fault("reply > maxReplySize", 5_000, true, "maxReplySize=2000",
                (mode, gate) -> {
                    List<String> ticks = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        ticks.add(line("tick"));
                    }
                    ticks.add(DONE);
                    return List.of(ScriptedReply.ndjson(ticks));
                },
                (mode, r, sim) -> {
                    OllamaReplyTooLargeException tooLarge =
                            assertInstanceOf(OllamaReplyTooLargeException.class, r.failure());
                    assertTrue(tooLarge.getMessage().contains("maxReplySize"), tooLarge.getMessage());
                    assertEquals(2000, tooLarge.getLimitBytes());
                    String partial = tooLarge.getPartialText();
                    // 2000 bytes hold 38 whole lines of 52 bytes: the text of those, never more
                    assertTrue(partial.replace("tick", "").isEmpty(), partial);
                    assertTrue(partial.length() <= 38 * 4, partial);
                    if (!mode.equals("split")) {
                        assertEquals(38 * 4, partial.length(), "every whole line within the limit");
                    }
                    assertEquals(1, sim.requestCount(), "never redelivered");
                }));
        return faults;
    }

    private static void succeededAfter(Result r, OllamaSimulator sim, int requests) {
        assertNull(r.failure(), () -> "failed: " + r.failure());
        assertEquals(REPLY, r.text());
        assertEquals(requests, sim.requestCount());
    }

    /**
     * A reset can make the client's kernel drop lines the client had not read yet, so three outcomes are right:
     * the first chunk arrived (interrupted, with its text), only the headers arrived (a broken connection, not
     * redelivered because the reply had begun), or nothing arrived (redelivered: the default reply).
     */
    private static void resetAfterFirstChunk(String mode, Result r, OllamaSimulator sim) {
        if (r.failure() == null) {
            assertEquals(REPLY, r.text(), "nothing of the first reply arrived: the redelivery's reply");
            assertEquals(2, sim.requestCount());
        } else if (r.failure() instanceof OllamaStreamInterruptedException broken) {
            assertEquals("Once", broken.getPartialText());
            assertEquals(1, sim.requestCount(), "text had arrived: never redelivered");
        } else {
            OllamaConnectionException broken = assertInstanceOf(OllamaConnectionException.class, r.failure());
            assertFalse(broken.isRetryable(), broken.getMessage());
            assertEquals(1, sim.requestCount(), "the reply had begun: not redelivered");
        }
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cells")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void cell(Fault fault, String mode) throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        CountDownLatch gate = new CountDownLatch(1);
        List<ScriptedReply> script = fault.script().apply(mode, gate);
        script.forEach(sim::enqueue);
        String uri;
        if ("REFUSED".equals(fault.options())) {
            int deadPort;
            try (java.net.ServerSocket probe =
                         new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                deadPort = probe.getLocalPort();
            }
            uri = "ollama:generate?model=llama3.2&baseUrl=http://127.0.0.1:" + deadPort + "&streaming=" + mode
                  + "&" + FAST_REDELIVERY;
        } else {
            uri = ollama("generate", "streaming=" + mode + "&" + FAST_REDELIVERY
                                     + (fault.options().isEmpty() ? "" : "&" + fault.options()));
        }

        Result result;
        try {
            result = call(uri, fault.boundMillis(), e -> e.getIn().setBody(PROMPT));
        } finally {
            gate.countDown();
        }
        TIMINGS.put(fault.name() + " | " + mode, result.millis() + " ms | "
                                                  + (result.failure() == null ? "reply"
                                                          : result.failure().getClass().getSimpleName()));

        assertTrue(result.millis() < fault.boundMillis(),
                fault + " / " + mode + " took " + result.millis() + " ms, bound " + fault.boundMillis());
        fault.check().verify(mode, result, sim);

        OllamaComponent component = context.getComponent("ollama", OllamaComponent.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (component.poolStats().getLeased() != 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertEquals(0, component.poolStats().getLeased(), "a pooled connection stayed leased");
        if (fault.clientGivesUp()) {
            assertTrue(sim.awaitConnectionsClosed(Duration.ofSeconds(5)),
                    "the simulator saw the client close the connection it gave up on");
        }
        assertEquals(1, result.callbacks().get(), "the callback was completed exactly once");
        assertNoThreadsLeftOver(before);
    }

    /** Sends one exchange through the producer directly, counting callbacks; in split mode reads the iterator. */
    private Result call(String uri, long boundMillis, Consumer<Exchange> input) throws Exception {
        AsyncProducer producer = context.getEndpoint(uri).createAsyncProducer();
        producer.start();
        try {
            Exchange exchange = new DefaultExchange(context);
            input.accept(exchange);
            AtomicInteger callbacks = new AtomicInteger();
            CountDownLatch completed = new CountDownLatch(1);
            long start = System.nanoTime();
            producer.process(exchange, doneSync -> {
                callbacks.incrementAndGet();
                completed.countDown();
            });
            assertTrue(completed.await(boundMillis, TimeUnit.MILLISECONDS), "the callback was completed in time");
            Throwable failure = exchange.getException();
            String text = null;
            if (failure == null) {
                Object body = exchange.getMessage().getBody();
                if (body instanceof ChunkMessageIterator chunks) {
                    StringBuilder taken = new StringBuilder();
                    try (chunks) {
                        while (chunks.hasNext()) {
                            taken.append(chunks.next().getBody(String.class));
                        }
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    text = taken.toString();
                } else {
                    text = exchange.getMessage().getBody(String.class);
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new Result(text, failure, callbacks, millis);
        } finally {
            producer.stop();
        }
    }

    /**
     * No thread the case started may outlive it except the component's own (the reply pool, the HTTP reactor, the
     * timeout sweep) and the simulator's; and none of those may be a non-daemon thread.
     */
    private static void assertNoThreadsLeftOver(Set<Thread> before) {
        List<Thread> added = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .collect(Collectors.toList());
        List<String> strangers = added.stream()
                .filter(t -> OWN_THREADS.stream().noneMatch(t.getName()::contains))
                .map(Thread::getName).collect(Collectors.toList());
        assertTrue(strangers.isEmpty(), "threads left over: " + strangers);
        List<String> nonDaemon = added.stream().filter(t -> !t.isDaemon()).map(Thread::getName)
                .collect(Collectors.toList());
        assertTrue(nonDaemon.isEmpty(), "non-daemon threads left over: " + nonDaemon);
        long replyThreads = added.stream().filter(t -> t.getName().contains("OllamaReply")).count();
        assertTrue(replyThreads <= 4, "the reply pool grew by " + replyThreads + " threads for one call");
    }

    @AfterAll
    static void writeTimings() {
        if (TIMINGS.isEmpty()) {
            return;
        }
        StringBuilder table = new StringBuilder("| fault | mode | time | outcome |\n|---|---|---|---|\n");
        TIMINGS.forEach((cell, value) -> table.append("| ").append(cell).append(" | ").append(value).append(" |\n"));
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("fault-matrix.md"), table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertNotNull(table);
    }
}
