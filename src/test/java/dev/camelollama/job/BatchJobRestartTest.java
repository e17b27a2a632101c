package dev.camelollama.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.simulator.FaultInjector;
import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ScriptedReply;

/**
 * Issue 4 B(1): no prompt lost. 1,000 prompts through {@code routes/batch-job.yaml} (run as BatchJobTest runs it)
 * against a simulator that injects a deterministic mix of faults into ~10% of the requests; the CamelContext is
 * stopped abruptly at about half-way and the job is started again on the same folders. At the end every prompt is
 * exactly once in the outbox or in the failed folder (with its reason), none is missing, none duplicated.
 */
class BatchJobRestartTest {

    private static final int PROMPTS = 1000;
    private static final int CHUNKS = 4;
    /** One fault per this many requests. */
    private static final int FAULT_EVERY = 10;
    private static final String CHUNK = "{\"model\":\"llama3.2\",\"response\":\"partial \",\"done\":false}";

    @TempDir
    Path dir;

    private OllamaSimulator sim;

    @BeforeEach
    void start() {
        sim = OllamaSimulator.start().chunkCount(CHUNKS).chunkDelay(Duration.ofMillis(2));
        // component-level options through camel-main's JVM-system-property autoconfiguration: a short idleTimeout so
        // that a stall fails in well under a second, and a short redelivery delay
        System.setProperty("camel.component.ollama.idleTimeout", "300");
        System.setProperty("camel.component.ollama.redeliveryDelay", "10");
    }

    @AfterEach
    void stop() {
        System.clearProperty("camel.component.ollama.idleTimeout");
        System.clearProperty("camel.component.ollama.redeliveryDelay");
        sim.close();
    }

    /** The deterministic fault mix, one entry per injected fault, cycled. */
    private static List<ScriptedReply[]> faultMix() {
        ScriptedReply busy = ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}");
        return List.of(
                new ScriptedReply[] { busy },                                       // redelivered -> reply
                new ScriptedReply[] { ScriptedReply.status(200).disconnectBeforeResponse() }, // reset -> redelivered
                new ScriptedReply[] { ScriptedReply.ndjson(CHUNK).errorLine("CUDA error: out of memory") }, // failed
                new ScriptedReply[] { ScriptedReply.ndjson(CHUNK, CHUNK, CHUNK).lineDelay(Duration.ofMillis(1200)) },
                new ScriptedReply[] { ScriptedReply.ndjson(CHUNK, CHUNK).resetAfterLine(1) }, // interrupted -> failed
                new ScriptedReply[] { busy, busy, busy, busy });                    // retries exhausted -> failed
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void everyPromptExactlyOnceAcrossAnAbruptRestart() throws Exception {
        Path inbox = dir.resolve("inbox");
        Path outbox = dir.resolve("outbox");
        Path failed = dir.resolve("failed");
        Files.createDirectories(inbox);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= PROMPTS; i++) {
            String name = String.format(Locale.ROOT, "prompt-%04d.txt", i);
            Files.writeString(inbox.resolve(name), prompt(i), StandardCharsets.UTF_8);
            names.add(name);
        }

        // inject faults while the job runs: one whenever another FAULT_EVERY requests have arrived
        FaultInjector injector = FaultInjector.start(sim, FAULT_EVERY, faultMix());

        JobSettings settings = new JobSettings(inbox, outbox, failed, "llama3.2", 4, false, 1, sim.baseUrl());

        // first run: stopped abruptly once about half of the prompts are done
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger doneAtStop = new AtomicInteger();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long started = System.nanoTime();
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            BatchJob.run(settings, out, context -> {
                context.getShutdownStrategy().setTimeout(1);
                context.getShutdownStrategy().setShutdownNowOnTimeout(true);
                Thread killer = new Thread(() -> stopAtHalfWay(context, outbox, failed, stopped, doneAtStop),
                        "abrupt-stop");
                killer.setDaemon(true);
                killer.start();
            }, false);
        }
        assertTrue(stopped.get(), "the first run should have been stopped half-way");
        int leftAfterStop = countTxt(inbox);
        System.out.println("[restart] stopped with " + doneAtStop.get() + " done; " + leftAfterStop
                           + " prompts left in the inbox");
        assertTrue(leftAfterStop > 0, "the stop should come before the end");

        // second run on the same folders
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            BatchJob.run(settings, out, context -> {
            }, false);
        }
        injector.close();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        // the accounting
        Set<String> replied = listed(outbox);
        Set<String> failedPrompts = new TreeSet<>();
        Set<String> reasons = new TreeSet<>();
        for (String f : listed(failed)) {
            if (f.endsWith(".reason.txt")) {
                reasons.add(f.substring(0, f.length() - ".reason.txt".length()));
            } else {
                failedPrompts.add(f);
            }
        }
        Set<String> doneFolder = listed(inbox.resolve(".done"));
        int missing = 0;
        int duplicates = 0;
        List<String> problems = new ArrayList<>();
        // a prompt cut by the forced stop lands in failed/ without a reason (the route cannot write it while
        // stopping); BatchJob moves such prompts back to the inbox when it starts again, so none may remain
        List<String> withoutReason = new ArrayList<>();
        for (int i = 1; i <= PROMPTS; i++) {
            String name = names.get(i - 1);
            boolean r = replied.contains(name);
            boolean f = failedPrompts.contains(name);
            if (!r && !f) {
                missing++;
                problems.add(name + " missing");
            } else if (r && f) {
                duplicates++;
                problems.add(name + " in both outbox and failed");
            } else if (r) {
                if (!OllamaSimulator.expectedReply(prompt(i), CHUNKS).equals(read(outbox.resolve(name)))) {
                    problems.add(name + " has a wrong reply");
                }
                if (!doneFolder.contains(name)) {
                    problems.add(name + " replied but not moved to .done");
                }
            } else {
                if (!reasons.contains(name)) {
                    withoutReason.add(name);
                }
                if (doneFolder.contains(name)) {
                    problems.add(name + " failed and in .done");
                }
            }
        }
        java.util.Map<String, Integer> reasonKinds = new java.util.TreeMap<>();
        for (String name : reasons) {
            String reason = read(failed.resolve(name + ".reason.txt"));
            String kind = reason.substring(0, Math.max(0, reason.indexOf(':')));
            if (reason.contains("IDLE") || reason.toLowerCase(Locale.ROOT).contains("idle")) {
                kind += " (idle)";
            }
            reasonKinds.merge(kind, 1, Integer::sum);
        }
        System.out.println("[restart] reasons: " + reasonKinds);
        System.out.println("[restart] " + PROMPTS + " prompts: " + replied.size() + " replies, " + failedPrompts.size()
                           + " failed (" + reasons.size() + " reasons), " + missing + " missing, " + duplicates
                           + " duplicated; " + sim.requestCount() + " requests, " + injector.injected()
                           + " faults injected; " + seconds + " s");
        System.out.println("[restart] failed without a reason (cut by the forced stop): " + withoutReason);
        assertEquals(List.of(), problems);
        assertTrue(withoutReason.isEmpty(), "every failed prompt has its reason: " + withoutReason);
        assertEquals(0, countTxt(inbox), "no prompt left in the inbox");
        assertEquals(PROMPTS, replied.size() + failedPrompts.size());
        assertTrue(failedPrompts.containsAll(reasons), "no stray reasons");
        assertTrue(injector.injected() >= PROMPTS / FAULT_EVERY / 2, "faults injected: " + injector.injected());
        assertTrue(failedPrompts.size() > 0, "some injected faults must fail prompts");
    }

    private static void stopAtHalfWay(CamelContext context, Path outbox, Path failed, AtomicBoolean stopped,
            AtomicInteger doneAtStop) {
        try {
            while (!context.isStarted()) {
                Thread.sleep(5);
            }
            while (true) {
                int done = countFiles(outbox) + countFiles(failed) / 2;
                if (done >= PROMPTS / 2) {
                    doneAtStop.set(done);
                    stopped.set(true);
                    context.stop();
                    return;
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String prompt(int i) {
        return "Tell me fact number " + i + " about secretive octopuses";
    }

    private static int countFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static int countTxt(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return (int) files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".txt"))
                    .count();
        }
    }

    private static Set<String> listed(Path folder) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
        }
        return names;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
