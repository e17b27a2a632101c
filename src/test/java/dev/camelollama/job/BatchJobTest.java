package dev.camelollama.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

/**
 * Runs the batch job as {@code mvn exec:java} does (camel-main, {@code routes/batch-job.yaml}, idle shutdown) on real
 * folders, against the simulator, with two prompts that Ollama rejects: every prompt must end up exactly once, as a
 * reply in the outbox or moved to the failed folder with its reason, and never more than {@code job.concurrency}
 * requests may be in flight.
 */
class BatchJobTest {

    private static final int PROMPTS = 20;
    private static final int REJECTED = 2;
    private static final int CONCURRENCY = 4;
    private static final int CHUNKS = 8;

    @TempDir
    Path dir;

    private OllamaSimulator sim;

    @BeforeEach
    void startSimulator() {
        // each reply takes ~8 x 20 ms, long enough for requests to overlap
        sim = OllamaSimulator.start().chunkCount(CHUNKS).chunkDelay(Duration.ofMillis(20));
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyPromptEndsUpExactlyOnceAsReplyOrFailure() throws Exception {
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        Path failed = dir.resolve("failed");
        Files.createDirectories(inbox);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= PROMPTS; i++) {
            String name = String.format(Locale.ROOT, "prompt-%02d.txt", i);
            Files.writeString(inbox.resolve(name), "Tell me fact number " + i + " about secretive octopuses",
                    StandardCharsets.UTF_8);
            names.add(name);
        }
        // 400 is never redelivered: exactly the first two requests fail, whichever prompts they carry
        for (int i = 0; i < REJECTED; i++) {
            sim.enqueue(ScriptedReply.status(400).jsonBody("{\"error\":\"bad\"}"));
        }

        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        JobSettings settings = new JobSettings(inbox, outbox, failed, "llama3.2", CONCURRENCY, false, 1,
                sim.baseUrl());

        BatchJob.Outcome outcome;
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            outcome = BatchJob.run(settings, out, context -> context.getManagementStrategy()
                    .addEventNotifier(new OllamaCallCounter(inFlight, maxInFlight)), false);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.print(printed);

        assertEquals(0, outcome.exitCode(), "exit code");
        assertEquals(PROMPTS - REJECTED, outcome.progress().succeededCount(), printed);
        assertEquals(REJECTED, outcome.progress().failedCount(), printed);
        assertEquals(PROMPTS, sim.requestCount(), "one request per prompt, no redelivery of a 400");
        assertEquals(0, sim.queuedReplies());

        assertEquals(List.of(), list(inbox, "*.txt"), "no prompt may stay in the inbox");
        int replies = 0;
        int failures = 0;
        for (int i = 1; i <= PROMPTS; i++) {
            String name = names.get(i - 1);
            String prompt = "Tell me fact number " + i + " about secretive octopuses";
            boolean replied = Files.exists(outbox.resolve(name));
            boolean moved = Files.exists(failed.resolve(name));
            assertTrue(replied ^ moved, name + " must be in exactly one of outbox and failed");
            if (replied) {
                replies++;
                assertEquals(OllamaSimulator.expectedReply(prompt, CHUNKS), read(outbox.resolve(name)), name);
                assertEquals(prompt, read(inbox.resolve(".done").resolve(name)), name + " moved to .done");
            } else {
                failures++;
                assertEquals(prompt, read(failed.resolve(name)), name + " moved aside unchanged");
                String reason = read(failed.resolve(name + ".reason.txt"));
                assertTrue(reason.startsWith("dev.camelollama.client.OllamaBadRequestException: "), reason);
                assertTrue(reason.contains("bad"), reason);
                assertFalse(reason.contains("octopuses"), "the reason must not repeat the prompt: " + reason);
            }
        }
        assertEquals(PROMPTS - REJECTED, replies);
        assertEquals(REJECTED, failures);
        assertEquals(PROMPTS - REJECTED, list(outbox, "*").size(), "only replies in the outbox, no temp files");
        assertEquals(REJECTED * 2, list(failed, "*").size(), "each failed prompt and its reason");

        assertTrue(maxInFlight.get() <= CONCURRENCY,
                "at most " + CONCURRENCY + " requests in flight, saw " + maxInFlight.get());
        assertTrue(maxInFlight.get() > 1, "prompts should be sent concurrently, saw " + maxInFlight.get());

        assertTrue(printed.contains("[job] " + PROMPTS + "/" + PROMPTS + " done, " + REJECTED + " failed, "), printed);
        assertTrue(printed.contains("[job] finished: " + (PROMPTS - REJECTED) + " replies"), printed);
        assertFalse(printed.contains("octopuses"), "the console must not show prompt text");
    }

    /** Counts calls to ollama: endpoints between the sending and the sent event, and the most at once. */
    private static final class OllamaCallCounter extends EventNotifierSupport {

        private final AtomicInteger inFlight;
        private final AtomicInteger max;

        OllamaCallCounter(AtomicInteger inFlight, AtomicInteger max) {
            this.inFlight = inFlight;
            this.max = max;
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeSendingEvent sending
                && sending.getEndpoint().getEndpointUri().startsWith("ollama:")) {
                max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            } else if (event instanceof CamelEvent.ExchangeSentEvent sent
                       && sent.getEndpoint().getEndpointUri().startsWith("ollama:")) {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent;
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static List<String> list(Path folder, String glob) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> folder.getFileSystem().getPathMatcher("glob:" + glob).matches(f.getFileName()))
                    .forEach(f -> names.add(f.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }
}
