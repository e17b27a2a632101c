package dev.camelollama.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

import dev.camelollama.simulator.OllamaSimulator;

/**
 * A diagnostic, not a JMH benchmark: runs one scenario of the suite in a loop and prints the CPU time each thread
 * kind spent per chunk (or per call), user and total (user + kernel), next to the wall time. It shows which thread
 * limits a scenario and how much of its time is spent in the kernel, which sampling profilers do not see.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench/classpath.txt) \
 *     dev.camelollama.bench.CpuPerThread aggregate 10000 10
 * </pre>
 * Scenarios: {@code jdk} (streamed JDK baseline), {@code jdkoff} (JDK, stream:false), {@code off},
 * {@code aggregate}, {@code split}; then the chunk count and the measured seconds (after 8 s of warm-up).
 */
public final class CpuPerThread {

    private CpuPerThread() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        int chunks = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        OllamaSimulator sim = BenchFixture.simulator(chunks);
        BenchFixture.JdkChatClient jdk = new BenchFixture.JdkChatClient(sim);
        long[] splitChunks = new long[1];
        CamelContext camel = BenchFixture.camel(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:off").to(BenchFixture.ollama(sim, "off"));
                from("direct:aggregate").to(BenchFixture.ollama(sim, "aggregate"));
                from("direct:split").to(BenchFixture.ollama(sim, "split"))
                        .split(body()).streaming().process(exchange -> splitChunks[0]++).end();
            }
        });
        ProducerTemplate template = BenchFixture.template(camel);
        Runnable call = switch (scenario) {
            case "jdk", "jdkoff" -> () -> {
                try {
                    jdk.chat(BenchFixture.PROMPT, scenario.equals("jdk"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            case "off", "aggregate", "split" -> () -> template.requestBody("direct:" + scenario, BenchFixture.PROMPT);
            default -> throw new IllegalArgumentException("scenario: jdk, jdkoff, off, aggregate or split");
        };

        long warmUntil = System.nanoTime() + 8_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            call.run();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpuBefore = new HashMap<>();
        Map<Long, Long> userBefore = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            cpuBefore.put(id, mx.getThreadCpuTime(id));
            userBefore.put(id, mx.getThreadUserTime(id));
        }
        long calls = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            call.run();
            calls++;
        }
        long wall = System.nanoTime() - start;

        Map<String, long[]> byKind = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long id = info.getThreadId();
            long cpu = mx.getThreadCpuTime(id);
            long user = mx.getThreadUserTime(id);
            if (cpu < 0) {
                continue;
            }
            long[] sums = byKind.computeIfAbsent(info.getThreadName().replaceAll("\\d+", "N"), k -> new long[2]);
            sums[0] += cpu - cpuBefore.getOrDefault(id, 0L);
            sums[1] += user - userBefore.getOrDefault(id, 0L);
        }
        boolean perChunk = chunks > 5 && !scenario.equals("off") && !scenario.equals("jdkoff");
        double units = perChunk ? (double) calls * chunks : calls;
        String unit = perChunk ? "chunk" : "call";
        System.out.printf("%s, %d chunks per call: %d calls in %.1f s, wall %.0f ns/%s (%.0f %ss/s); loadavg %s%n",
                scenario, chunks, calls, wall / 1e9, wall / units, unit, units / (wall / 1e9), unit,
                Files.readString(Path.of("/proc/loadavg")).trim());
        long total = 0;
        for (Map.Entry<String, long[]> kind : byKind.entrySet()) {
            total += kind.getValue()[0];
            if (kind.getValue()[0] / units >= 1) {
                System.out.printf("  %9.0f ns/%s cpu  (%9.0f user)  %s%n", kind.getValue()[0] / units, unit,
                        kind.getValue()[1] / units, kind.getKey());
            }
        }
        System.out.printf("  %9.0f ns/%s cpu in all threads%n", total / units, unit);
        template.stop();
        camel.stop();
        sim.close();
    }
}
