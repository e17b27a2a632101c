package dev.camelollama.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;

/**
 * Ends the job once it has been idle for a while: nothing in flight and no prompt waiting in the inbox. Unlike
 * camel-main's {@code durationMaxIdleSeconds}, a slow first poll (a busy machine, a slow disk) cannot end the job
 * before it has picked up its prompts.
 */
final class IdleWatch implements AutoCloseable {

    private static final long CHECK_MILLIS = 200;

    private final CamelContext context;
    private final Path inbox;
    private final long idleNanos;
    private final Runnable onIdle;
    private final ScheduledExecutorService checker;
    private long quietSince = System.nanoTime();
    private boolean fired;

    IdleWatch(CamelContext context, Path inbox, Duration idle, Runnable onIdle) {
        this.context = context;
        this.inbox = inbox;
        this.idleNanos = idle.toNanos();
        this.onIdle = onIdle;
        this.checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "batch-job-idle-watch");
            thread.setDaemon(true);
            return thread;
        });
        checker.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (fired) {
            return;
        }
        long now = System.nanoTime();
        if (context.getInflightRepository().size() > 0 || promptWaiting()) {
            quietSince = now;
        } else if (now - quietSince >= idleNanos) {
            fired = true;
            onIdle.run();
        }
    }

    private boolean promptWaiting() {
        try (DirectoryStream<Path> prompts = Files.newDirectoryStream(inbox, "*.txt")) {
            for (Path prompt : prompts) {
                if (BatchJob.isPrompt(prompt)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the inbox " + inbox, e);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
