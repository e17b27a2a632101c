package dev.camelollama.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Samples the live threads every few milliseconds while a benchmark runs and keeps the maximum, to show whether
 * concurrent streams cost a thread each. The simulator runs in the same JVM and serves each connection on its own
 * thread ({@code ollama-simulator-*}); those are counted separately, since they are the server's and not the
 * client's.
 */
final class ThreadCensus {

    private static final String SIMULATOR_PREFIX = "ollama-simulator-";
    private static final long SAMPLE_MILLIS = 2;

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final IntSupplier openConnections;
    private final Thread sampler;
    private volatile boolean running = true;

    private int idleJvm;
    private int idleClient;
    private int maxJvm;
    private int maxClient;
    private long samples;
    private int maxOpenConnections;
    private Map<String, Integer> clientThreadsAtPeak = Map.of();

    /** @param openConnections the server's open connections, sampled alongside (e.g. the simulator's count) */
    ThreadCensus(IntSupplier openConnections) {
        this.openConnections = openConnections;
        Snapshot idle = snapshot();
        idleJvm = idle.jvm;
        idleClient = idle.client;
        mx.resetPeakThreadCount();
        sampler = new Thread(this::sampleUntilStopped, "bench-thread-census");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sampleUntilStopped() {
        while (running) {
            Snapshot now = snapshot();
            int connections = openConnections.getAsInt();
            synchronized (this) {
                samples++;
                maxOpenConnections = Math.max(maxOpenConnections, connections);
                maxJvm = Math.max(maxJvm, now.jvm);
                if (now.client > maxClient) {
                    maxClient = now.client;
                    clientThreadsAtPeak = now.byKind();
                }
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling and returns a report; also written to {@code file} when given. */
    synchronized String stop(String title, String extra, Path file) throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join(1000);
        StringBuilder report = new StringBuilder();
        report.append("# ").append(title).append('\n');
        report.append("samples=").append(samples).append(" (every ").append(SAMPLE_MILLIS).append(" ms)\n");
        report.append("jvm.liveThreads.idle=").append(idleJvm).append('\n');
        report.append("jvm.liveThreads.maxSampled=").append(maxJvm)
                .append("   (ThreadMXBean.getThreadCount, includes the in-JVM simulator's per-connection threads)\n");
        report.append("jvm.liveThreads.peak=").append(mx.getPeakThreadCount())
                .append("   (ThreadMXBean.getPeakThreadCount since setup)\n");
        report.append("client.liveThreads.idle=").append(idleClient).append('\n');
        report.append("client.liveThreads.maxSampled=").append(maxClient)
                .append("   (all but ollama-simulator-* and this sampler)\n");
        report.append("server.openConnections.maxSampled=").append(maxOpenConnections)
                .append("   (connections open at the simulator at once)\n");
        if (extra != null) {
            report.append(extra).append('\n');
        }
        report.append("client threads at that peak, by name pattern:\n");
        clientThreadsAtPeak.forEach((kind, count) -> report.append(String.format("  %3d  %s%n", count, kind)));
        String text = report.toString();
        if (file != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("could not write " + file + ": " + e);
            }
        }
        return text;
    }

    private Snapshot snapshot() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 32];
        int count = root.enumerate(threads, true);
        int client = 0;
        for (int i = 0; i < count; i++) {
            if (isClient(threads[i])) {
                client++;
            }
        }
        return new Snapshot(mx.getThreadCount(), client, threads, count);
    }

    private boolean isClient(Thread thread) {
        return thread.isAlive() && thread != sampler && !thread.getName().startsWith(SIMULATOR_PREFIX);
    }

    private final class Snapshot {
        final int jvm;
        final int client;
        final Thread[] threads;
        final int count;

        Snapshot(int jvm, int client, Thread[] threads, int count) {
            this.jvm = jvm;
            this.client = client;
            this.threads = threads;
            this.count = count;
        }

        /** Only built for a new maximum: thread names with digits replaced by N, counted. */
        Map<String, Integer> byKind() {
            Map<String, Integer> byKind = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                if (isClient(threads[i])) {
                    byKind.merge(threads[i].getName().replaceAll("\\d+", "N"), 1, Integer::sum);
                }
            }
            return byKind;
        }
    }
}
