package dev.camelollama.bench;

import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
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
 * One streamed chat of {@value #CHUNKS} chunks per invocation. JMH counts {@value #CHUNKS} operations per
 * invocation, so the score (ops/s) is the chunk rate, N / time per call. The budget: aggregate at least 2 x the JDK
 * client's chunk rate, split (one Camel exchange per chunk) at least 0.5 x.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(StreamingBenchmark.CHUNKS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StreamingBenchmark {

    static final int CHUNKS = 10_000;

    @State(Scope.Benchmark)
    public static class Fixture {

        OllamaSimulator sim;
        BenchFixture.JdkChatClient jdk;
        CamelContext camel;
        ProducerTemplate template;
        int expectedLength;
        /** Split mode: chunk exchanges seen by the route's processor, and their text, in the current call. */
        long splitChunks;
        long splitChars;

        @Setup(Level.Trial)
        public void start() throws Exception {
            sim = BenchFixture.simulator(CHUNKS);
            expectedLength = BenchFixture.expectedLength(CHUNKS);
            jdk = new BenchFixture.JdkChatClient(sim);
            camel = BenchFixture.camel(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:aggregate").to(BenchFixture.ollama(sim, "aggregate"));
                    from("direct:split").to(BenchFixture.ollama(sim, "split"))
                            .split(body()).streaming()
                                .process(Fixture.this::countChunk)
                            .end();
                }
            });
            template = BenchFixture.template(camel);
        }

        /** The trivial per-chunk step of the split route; one call at a time, so plain fields suffice. */
        void countChunk(Exchange chunk) {
            splitChunks++;
            splitChars += chunk.getMessage().getBody(String.class).length();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            template.stop();
            camel.stop();
            sim.close();
        }

        String checked(String reply) {
            BenchFixture.check(reply != null && reply.length() == expectedLength,
                    "a reply of " + expectedLength + " chars, got " + (reply == null ? null : reply.length()));
            return reply;
        }
    }

    /** Baseline: JDK HttpClient, BufferedReader over the body, a Jackson tree per line, content concatenated. */
    @Benchmark
    public String jdkHttpClient(Fixture f) throws Exception {
        return f.checked(f.jdk.chat(BenchFixture.PROMPT, true));
    }

    /** {@code to("ollama:chat?streaming=aggregate")}: the body is the assembled text. */
    @Benchmark
    public String camelAggregate(Fixture f) {
        return f.checked(f.template.requestBody("direct:aggregate", BenchFixture.PROMPT, String.class));
    }

    /** {@code to("ollama:chat?streaming=split").split(body()).streaming().process(count)}: an exchange per chunk. */
    @Benchmark
    public long camelSplit(Fixture f) {
        f.splitChunks = 0;
        f.splitChars = 0;
        Exchange done = f.template.request("direct:split", exchange -> exchange.getIn().setBody(BenchFixture.PROMPT));
        BenchFixture.check(done.getException() == null, "split route failed: " + done.getException());
        // the text chunks plus the final done chunk (empty text, carries the metrics)
        BenchFixture.check(f.splitChunks == CHUNKS + 1, "split chunks " + f.splitChunks + " != " + (CHUNKS + 1));
        BenchFixture.check(f.splitChars == f.expectedLength, "split text " + f.splitChars + " chars");
        return f.splitChunks;
    }
}
