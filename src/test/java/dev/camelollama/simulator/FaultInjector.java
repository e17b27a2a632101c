package dev.camelollama.simulator;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects a deterministic mix of faults into a running simulator: whenever another {@code faultEvery} requests have
 * arrived and the previous fault was used, it queues the next entry of the mix (cycled), so that about one request
 * in {@code faultEvery} meets a fault, whatever the route's concurrency. Used by the no-prompt-lost tests (files
 * and queue). Stops when closed.
 */
public final class FaultInjector implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger injected = new AtomicInteger();
    private final Thread thread;

    private FaultInjector(OllamaSimulator sim, int faultEvery, List<ScriptedReply[]> mix) {
        thread = new Thread(() -> {
            while (running.get()) {
                if (sim.queuedReplies() == 0 && sim.requestCount() >= (injected.get() + 1L) * faultEvery) {
                    sim.enqueue(mix.get(injected.getAndIncrement() % mix.size()));
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "fault-injector");
        thread.setDaemon(true);
    }

    /** Starts injecting one entry of {@code mix} per {@code faultEvery} requests. */
    public static FaultInjector start(OllamaSimulator sim, int faultEvery, List<ScriptedReply[]> mix) {
        FaultInjector injector = new FaultInjector(sim, faultEvery, mix);
        injector.thread.start();
        return injector;
    }

    /** How many faults were queued so far. */
    public int injected() {
        return injected.get();
    }

    /** Stops injecting (faults already queued stay queued). */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(2000);
    }
}
