package dev.camelollama;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelollama.client.ProgressChunk;

/**
 * Logs a pull, push or create at INFO while it runs: the first line, then at most one line every five seconds
 * (status and percent), and the final status. Only the operation, the model name and Ollama's status text are
 * logged. One instance per call; called on the client's I/O thread, so it only formats when it logs.
 */
final class ProgressLog implements Consumer<ProgressChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String operation;
    private final String model;
    private final long intervalNanos;
    private long lastLogNanos;
    private boolean logged;

    ProgressLog(String operation, String model) {
        this(operation, model, INTERVAL_NANOS);
    }

    ProgressLog(String operation, String model, long intervalNanos) {
        this.operation = operation;
        this.model = model;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public void accept(ProgressChunk chunk) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long now = System.nanoTime();
        if (logged && !chunk.success() && now - lastLogNanos < intervalNanos) {
            return;
        }
        logged = true;
        lastLogNanos = now;
        Double percent = chunk.percent();
        if (percent == null) {
            LOG.info("{} {}: {}", operation, model, chunk.status());
        } else {
            LOG.info("{} {}: {} {}%", operation, model, chunk.status(), String.format(Locale.ROOT, "%.1f", percent));
        }
    }
}
