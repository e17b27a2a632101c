package dev.camelollama;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.simulator.OllamaSimulator;
import dev.camelollama.simulator.ServedResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Split mode lets go of the connection as soon as the route stops reading, and reuses it when it read to the end. */
@Timeout(60)
class SplitStreamLifecycleTest extends SimulatorTestSupport {

    private static final int LONG_REPLY = 1000;

    @Override
    protected void configureSimulator(OllamaSimulator simulator) {
        simulator.chunkCount(LONG_REPLY).chunkDelay(Duration.ofMillis(5));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stop-after-three").to(ollama("generate", "streaming=split"))
                        .split(body()).streaming().stopOnException()
                            .process(exchange -> {
                                long index = exchange.getMessage().getHeader(OllamaConstants.CHUNK_INDEX, Long.class);
                                if (index == 2) {
                                    throw new IllegalStateException("the route has seen enough");
                                }
                            })
                            .to("mock:chunk")
                        .end();
                from("direct:never-iterated").to(ollama("generate", "streaming=split")).to("mock:ignored");
            }
        };
    }

    @Test
    void aRouteThatStopsAfterThreeChunksMakesTheServerSeeTheClientLeave() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedMessageCount(2);

        Exchange result = template.send("direct:stop-after-three", e -> e.getIn().setBody("a b c d e"));

        assertTrue(result.isFailed());
        chunks.assertIsSatisfied(5_000);
        assertTrue(sim.awaitAbandonedStreams(1, Duration.ofSeconds(10)), "the simulator saw the client leave");
        ServedResponse served = sim.lastServedResponse();
        assertEquals(ServedResponse.Outcome.CLIENT_LEFT, served.outcome());
        assertTrue(served.linesWritten() < LONG_REPLY / 2,
                "the rest of the reply was not drained: " + served.linesWritten() + " of " + LONG_REPLY + " lines");
        assertEquals(0, context.getComponent("ollama", OllamaComponent.class).poolStats().getLeased(),
                "no connection stays leased");
    }

    @Test
    void aReplyThatNobodyIteratesIsClosedWhenTheExchangeCompletes() throws Exception {
        MockEndpoint ignored = getMockEndpoint("mock:ignored");
        ignored.expectedMessageCount(1);

        template.sendBody("direct:never-iterated", "a b c");

        ignored.assertIsSatisfied(5_000);
        assertNotNull(ignored.getExchanges().get(0).getMessage().getBody(ChunkMessageIterator.class));
        assertTrue(sim.awaitAbandonedStreams(1, Duration.ofSeconds(10)),
                "the on-completion hook aborted the unread stream");
    }

    @Test
    void hasNextIsFalseOnceTheParentExchangeFailed() throws Exception {
        ChunkMessageIterator[] captured = new ChunkMessageIterator[1];
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:inspect").to(ollama("generate", "streaming=split")).process(exchange -> {
                    ChunkMessageIterator chunks = exchange.getMessage().getBody(ChunkMessageIterator.class);
                    captured[0] = chunks;
                    assertTrue(chunks.hasNext());
                    assertEquals("a", chunks.next().getBody());
                    exchange.setException(new IllegalStateException("failed elsewhere"));
                    assertTrue(!chunks.hasNext(), "a failed parent stops the iteration");
                    exchange.setException(null);
                    assertTrue(!chunks.hasNext(), "and the stream stays closed");
                });
            }
        });

        template.sendBody("direct:inspect", "a b c");

        assertNotNull(captured[0]);
        assertTrue(sim.awaitAbandonedStreams(1, Duration.ofSeconds(10)));
    }
}
