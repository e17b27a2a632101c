package dev.camelollama.job;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;

/**
 * The job's console: one line per finished prompt and a summary at the end. Bound as {@code jobProgress} for
 * {@code routes/batch-job.yaml}. It prints file names and exception messages, never prompt text.
 */
public final class JobProgress {

    private final PrintStream out;
    private final int expected;
    private final Path failedFolder;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    /** When the first prompt was picked up (epoch millis), for the rate; Long.MAX_VALUE until then. */
    private final AtomicLong firstCreated = new AtomicLong(Long.MAX_VALUE);
    /** When the latest prompt finished (epoch millis), so the summary's rate leaves out the idle wait. */
    private final AtomicLong lastFinished = new AtomicLong();

    /**
     * @param out      where the lines go
     * @param expected how many prompts were in the inbox at the start (the "of" in "7/20 done")
     * @param failedFolder where failed prompts go, to point at the reason file
     */
    public JobProgress(PrintStream out, int expected, Path failedFolder) {
        this.out = out;
        this.expected = expected;
        this.failedFolder = failedFolder;
    }

    /** The route calls this once a reply is written. Synchronized so that the counts print in order. */
    public synchronized void succeeded(Exchange exchange) {
        noteTimes(exchange);
        succeeded.incrementAndGet();
        report();
    }

    /** The route's error handler calls this once the reason file is written. */
    public synchronized void failed(Exchange exchange) {
        noteTimes(exchange);
        failed.incrementAndGet();
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        out.println("[job] " + name + " failed: " + describe(cause) + " -> "
                    + shown(failedFolder.resolve(name + ".reason.txt")));
        report();
    }

    public int succeededCount() {
        return succeeded.get();
    }

    public int failedCount() {
        return failed.get();
    }

    public int finishedCount() {
        return succeeded.get() + failed.get();
    }

    /** The closing line. */
    public void printSummary(JobSettings settings) {
        int ok = succeeded.get();
        int bad = failed.get();
        int done = ok + bad;
        if (done == 0) {
            out.println("[job] finished: no prompts (*.txt) in " + shown(settings.inbox()));
            return;
        }
        out.printf(Locale.ROOT, "[job] finished: %d %s in %s, %d failed%s; %d %s in %.1f s (%.1f prompts/s)%n",
                ok, ok == 1 ? "reply" : "replies", shown(settings.outbox()), bad,
                bad == 0 ? "" : " (moved to " + shown(settings.failed()) + " with a .reason.txt each)",
                done, done == 1 ? "prompt" : "prompts", elapsedSeconds(lastFinished.get()),
                done / elapsedSeconds(lastFinished.get()));
    }

    private void noteTimes(Exchange exchange) {
        long created = exchange.getClock().getCreated();
        firstCreated.accumulateAndGet(created, Math::min);
        lastFinished.accumulateAndGet(System.currentTimeMillis(), Math::max);
    }

    private void report() {
        int bad = failed.get();
        int done = succeeded.get() + bad;
        int total = Math.max(expected, done);
        out.printf(Locale.ROOT, "[job] %d/%d done, %d failed, %.1f prompts/s%n", done, total, bad, rate());
    }

    /** Seconds from the first prompt's pick-up until {@code until} (epoch millis), at least a millisecond. */
    private double elapsedSeconds(long until) {
        long first = firstCreated.get();
        if (first == Long.MAX_VALUE) {
            return 0.001;
        }
        return Math.max(1, until - first) / 1000.0;
    }

    private double rate() {
        return finishedCount() / elapsedSeconds(System.currentTimeMillis());
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** A folder as the user typed it: relative to the working directory when it is inside it. */
    static String shown(Path folder) {
        Path here = Path.of("").toAbsolutePath();
        return folder.startsWith(here) ? here.relativize(folder).toString() : folder.toString();
    }
}
