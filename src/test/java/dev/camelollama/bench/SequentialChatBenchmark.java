package dev.camelollama.bench;

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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.camelollama.simulator.OllamaSimulator;

/**
 * One small chat at a time (the simulator's default reply: 5 text chunks plus the done line, "hello world hello
 * world hello"), request/reply, measured as average time per call. The budget: a Camel route at most 0.4 x the JDK
 * client's time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// the JDK HttpClient needs ~10 s of calls before its time per call settles, so this warms up longer than the rest
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SequentialChatBenchmark {

    static final int CHUNKS = 5;

    @State(Scope.Benchmark)
    public static class Fixture {

        OllamaSimulator sim;
        BenchFixture.JdkChatClient jdk;
        CamelContext camel;
        ProducerTemplate template;
        int expectedLength;

        @Setup(Level.Trial)
        public void start() throws Exception {
            sim = BenchFixture.simulator(CHUNKS);
            expectedLength = BenchFixture.expectedLength(CHUNKS);
            jdk = new BenchFixture.JdkChatClient(sim);
            camel = BenchFixture.camel(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:off").to(BenchFixture.ollama(sim, "off"));
                    from("direct:aggregate").to(BenchFixture.ollama(sim, "aggregate"));
                }
            });
            template = BenchFixture.template(camel);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            template.stop();
            camel.stop();
            sim.close();
        }

        String checked(String reply) {
            BenchFixture.check(reply != null && reply.length() == expectedLength,
                    "a small chat reply of " + expectedLength + " chars, got " + reply);
            return reply;
        }
    }

    /** Baseline: JDK HttpClient, stream:false, Jackson tree per line. */
    @Benchmark
    public String jdkHttpClient(Fixture f) throws Exception {
        return f.checked(f.jdk.chat(BenchFixture.PROMPT, false));
    }

    /** {@code from("direct:off").to("ollama:chat?streaming=off")}, ProducerTemplate.requestBody. */
    @Benchmark
    public String camelStreamingOff(Fixture f) {
        return f.checked(f.template.requestBody("direct:off", BenchFixture.PROMPT, String.class));
    }

    /** {@code from("direct:aggregate").to("ollama:chat?streaming=aggregate")}, ProducerTemplate.requestBody. */
    @Benchmark
    public String camelStreamingAggregate(Fixture f) {
        return f.checked(f.template.requestBody("direct:aggregate", BenchFixture.PROMPT, String.class));
    }
}
