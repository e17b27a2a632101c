package dev.camelollama.bench;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.camelollama.simulator.OllamaSimulator;

/**
 * {@value #STREAMS} aggregate-mode streams of {@value #CHUNKS} chunks each, started together with
 * {@code asyncRequestBody} and awaited together. The score (ops/s) is the total chunk rate. A {@link ThreadCensus}
 * samples the live threads for the whole trial and writes its maximum to {@code target/bench/concurrent-threads.txt}
 * (and the fork's output): the budget is 32 concurrent streams without a thread each.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ConcurrentStreamsBenchmark.STREAMS * ConcurrentStreamsBenchmark.CHUNKS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConcurrentStreamsBenchmark {

    static final int STREAMS = 32;
    static final int CHUNKS = 1_000;

    @State(Scope.Benchmark)
    public static class Fixture {

        OllamaSimulator sim;
        CamelContext camel;
        ProducerTemplate template;
        int expectedLength;
        ThreadCensus census;

        @Setup(Level.Trial)
        public void start() throws Exception {
            sim = BenchFixture.simulator(CHUNKS);
            expectedLength = BenchFixture.expectedLength(CHUNKS);
            camel = BenchFixture.camel(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:aggregate").to(BenchFixture.ollama(sim, "aggregate"));
                }
            });
            template = BenchFixture.template(camel);
            census = new ThreadCensus(sim::openConnections);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            String report = census.stop(STREAMS + " concurrent aggregate streams of " + CHUNKS + " chunks",
                    "server.connectionsAccepted=" + sim.connectionsAccepted() + " server.requests=" + sim.requestCount()
                    + "   (over the whole trial)",
                    Path.of(System.getProperty("bench.out", "target/bench"), "concurrent-threads.txt"));
            System.out.println();
            System.out.print(report);
            template.stop();
            camel.stop();
            sim.close();
        }
    }

    @Benchmark
    public int camelAggregate32Streams(Fixture f) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Object>[] replies = new CompletableFuture[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            replies[i] = f.template.asyncRequestBody("direct:aggregate", BenchFixture.PROMPT);
        }
        int chars = 0;
        for (CompletableFuture<Object> reply : replies) {
            Object body = reply.join();
            BenchFixture.check(body instanceof String text && text.length() == f.expectedLength,
                    "a reply of " + f.expectedLength + " chars, got " + body);
            chars += ((String) body).length();
        }
        return chars;
    }
}
