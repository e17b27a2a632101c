package dev.camelollama;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 200,000-chunk reply of about 80 MB passes through split mode in a JVM whose heap is far smaller than the reply
 * (surefire runs this class alone with -Xmx64m): memory stays bounded however long the reply is.
 */
@Timeout(120)
class LongSplitStreamSmallHeapTest extends SimulatorTestSupport {

    private static final int CHUNKS = 200_000;
    private static final String WORD = "x".repeat(400);

    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong characters = new AtomicLong();

    @Override
    protected void configureSimulator(OllamaSimulator simulator) {
        simulator.chunkCount(CHUNKS);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:long").to(ollama("generate", "streaming=split"))
                        .split(body()).streaming()
                            .process(exchange -> {
                                chunks.incrementAndGet();
                                characters.addAndGet(exchange.getMessage().getBody(String.class).length());
                            })
                        .end();
            }
        };
    }

    @Test
    void twoHundredThousandChunksPassWithASmallHeap() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        template.sendBody("direct:long", WORD);

        assertEquals(CHUNKS + 1, chunks.get(), "every chunk and the final done chunk");
        long expectedCharacters = (long) CHUNKS * WORD.length() + (CHUNKS - 1);
        assertEquals(expectedCharacters, characters.get());
        assertTrue(expectedCharacters > maxHeap, "the reply (" + expectedCharacters + " chars) is larger than the heap ("
                                                 + maxHeap + " bytes), so it cannot have been buffered");
        assertEquals(1, sim.connectionsAccepted());
    }
}
