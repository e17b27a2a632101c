package dev.camelollama.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of decoding one typical middle-of-stream chat line on the client's I/O thread: through Jackson's
 * streaming parser (every line before PlainChunkScanner) and through {@link ChunkDecoder#decode}, which takes the
 * fast path for such a line. Same run, same line, so the ratio is what the fast path saves per chunk.
 * {@code bench/run 'ChunkDecodeBenchmark'}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class ChunkDecodeBenchmark {

    private static final byte[] LINE = ("{\"model\":\"llama3.2\",\"created_at\":\"2024-07-22T20:33:28.123648Z\","
                                         + "\"message\":{\"role\":\"assistant\",\"content\":\" hello\"},\"done\":false}")
            .getBytes(StandardCharsets.UTF_8);

    private final ChunkDecoder decoder = new ChunkDecoder(new ObjectMapper());

    @Benchmark
    public ChunkDecoder.Decoded jacksonParser() {
        return decoder.decodeWithJackson(LINE, 0, LINE.length, 1, 0);
    }

    @Benchmark
    public ChunkDecoder.Decoded decoderWithFastPath() {
        return decoder.decode(LINE, 0, LINE.length, 1, 0);
    }
}
