package dev.camelollama.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The README's first command, {@code mvn -q test-compile exec:java}: runs the YAML routes in {@code routes/} with
 * camel-main. The batch route ({@code routes/batch-job.yaml}) sends every prompt file in {@code work/inbox} to
 * Ollama, writes the replies to {@code work/outbox} and moves failures to {@code work/failed} with the reason.
 * <p>
 * It lives in the test sources because camel-main, the YAML DSL and camel-file are test-scoped: users of the
 * component never receive them. Settings are {@code job.*} system properties, see {@link JobSettings}; the
 * server is chosen as {@link OllamaServerChoice} describes. The job ends by itself once nothing has been in flight
 * and no prompt has waited in the inbox for {@code job.maxIdleSeconds} (3), unless {@code -Djob.keepRunning=true}.
 */
public final class BatchJob {

    /** The routes the job runs, relative to the working directory (the repository root). */
    static final Path ROUTES = Path.of("routes");
    static final Path SAMPLES = ROUTES.resolve("samples");

    private BatchJob() {
    }

    public static void main(String[] args) throws Exception {
        // before the first logger exists: the job's own quiet logging, unless the caller chose one
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "job/log4j2-job.properties");
        }
        PrintStream out = System.out;
        JobSettings settings;
        try {
            settings = JobSettings.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            out.println("[job] " + e.getMessage());
            System.exit(2);
            return;
        }
        // Camel lets system properties win over the job's own: give -Djob.* back their normalised values (absolute
        // folders), or a relative -Djob.failed would be read relative to the inbox by moveFailed
        settings.toProperties().forEach((key, value) -> {
            if (System.getProperty((String) key) != null) {
                System.setProperty((String) key, (String) value);
            }
        });
        if (!Files.isRegularFile(ROUTES.resolve("batch-job.yaml"))) {
            out.println("[job] " + ROUTES.resolve("batch-job.yaml").toAbsolutePath()
                        + " not found: run the job from the repository root");
            System.exit(2);
            return;
        }
        int exitCode;
        try (OllamaServerChoice server = OllamaServerChoice.choose(settings.baseUrl(), System.getenv(), out)) {
            exitCode = run(settings.withBaseUrl(server.baseUrl()), out, context -> { }, true).exitCode();
        } catch (Exception e) {
            // e.g. a route that does not start; Camel's threads may still be around, so exit below
            out.println("[job] The job could not run: " + e);
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                out.println("[job]   caused by: " + cause);
            }
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** How a run ended. */
    record Outcome(int exitCode, JobProgress progress) {
    }

    /**
     * Runs the routes until the job is idle (or, with {@code keepRunning}, until stopped).
     *
     * @param settings   folders, model, concurrency and the server ({@code baseUrl} null: OLLAMA_HOST applies)
     * @param out        the console
     * @param customizer called with the CamelContext before it starts (tests add event notifiers here)
     * @param seed       whether an empty inbox gets the sample prompts from {@code routes/samples}
     */
    static Outcome run(JobSettings settings, PrintStream out, Consumer<CamelContext> customizer, boolean seed)
            throws Exception {
        Files.createDirectories(settings.inbox());
        Files.createDirectories(settings.outbox());
        Files.createDirectories(settings.failed());
        recoverInterrupted(settings, out);
        int waiting = countPrompts(settings.inbox());
        if (waiting == 0 && seed) {
            waiting = seedSamples(settings.inbox(), out);
        }
        out.println("[job] " + waiting + " prompt" + (waiting == 1 ? "" : "s") + " in "
                    + JobProgress.shown(settings.inbox()) + " -> replies in " + JobProgress.shown(settings.outbox())
                    + "; model " + settings.model() + ", " + settings.concurrency() + " at a time"
                    + (settings.keepRunning() ? "; polling until Ctrl+C" : ""));

        JobProgress progress = new JobProgress(out, waiting, settings.failed());
        Main main = new Main();
        main.configure()
                .withName("batch-job")
                .withRoutesIncludePattern("file:" + ROUTES.toString().replace('\\', '/') + "/*.yaml")
                .withShutdownTimeout(15);
        main.setOverrideProperties(settings.toProperties());
        main.bind("jobProgress", progress);
        AtomicReference<IdleWatch> idleWatch = new AtomicReference<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                customizer.accept(configured.getCamelContext());
            }

            @Override
            public void afterStart(BaseMainSupport started) {
                if (!settings.keepRunning()) {
                    idleWatch.set(new IdleWatch(started.getCamelContext(), settings.inbox(),
                            Duration.ofSeconds(settings.maxIdleSeconds()), main::completed));
                }
            }
        });
        try {
            main.run();
        } finally {
            IdleWatch watch = idleWatch.get();
            if (watch != null) {
                watch.close();
            }
        }
        int exitCode = main.getExitCode();
        progress.printSummary(settings);
        return new Outcome(exitCode, progress);
    }

    /**
     * A prompt in the failed folder without its {@code <name>.reason.txt} was cut by a stop (the file consumer moved
     * it, but the route could not write the reason while stopping): it did not fail, so it goes back to the inbox.
     */
    static int recoverInterrupted(JobSettings settings, PrintStream out) throws IOException {
        List<Path> interrupted = new ArrayList<>();
        try (DirectoryStream<Path> failed = Files.newDirectoryStream(settings.failed(), "*.txt")) {
            for (Path prompt : failed) {
                String name = prompt.getFileName().toString();
                if (!name.endsWith(".reason.txt")
                    && !Files.exists(settings.failed().resolve(name + ".reason.txt"))) {
                    interrupted.add(prompt);
                }
            }
        }
        for (Path prompt : interrupted) {
            Files.move(prompt, settings.inbox().resolve(prompt.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!interrupted.isEmpty()) {
            out.println("[job] " + interrupted.size() + " prompt(s) in " + JobProgress.shown(settings.failed())
                        + " had no reason file (a stop cut them short): moved back to the inbox");
        }
        return interrupted.size();
    }

    static int countPrompts(Path inbox) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> prompts = Files.newDirectoryStream(inbox, "*.txt")) {
            for (Path prompt : prompts) {
                if (isPrompt(prompt)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** What the route's file consumer picks up: {@code *.txt}, not hidden (a dot file is skipped, as Camel does). */
    static boolean isPrompt(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".txt") && !name.startsWith(".") && Files.isRegularFile(file);
    }

    /** An empty inbox at start gets the sample prompts, so that the first run shows something. */
    private static int seedSamples(Path inbox, PrintStream out) throws IOException {
        if (!Files.isDirectory(SAMPLES)) {
            return 0;
        }
        List<Path> samples = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(SAMPLES, "*.txt")) {
            found.forEach(samples::add);
        }
        for (Path sample : samples) {
            // copy under a temporary name, then rename: the consumer never reads half a file
            Path temp = inbox.resolve("." + sample.getFileName() + ".copying");
            Files.copy(sample, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, inbox.resolve(sample.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        out.println("[job] The inbox " + JobProgress.shown(inbox) + " was empty: copied " + samples.size()
                    + " sample prompts from " + SAMPLES + " into it");
        return samples.size();
    }
}
