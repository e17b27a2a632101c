package dev.camelollama;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pool keeps one connection per server alive across sequential requests, whatever the reply mode. */
@Timeout(60)
class ConnectionReuseTest extends SimulatorTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (StreamingMode mode : StreamingMode.values()) {
                    var route = from("direct:" + mode).to(ollama("chat", "streaming=" + mode));
                    if (mode == StreamingMode.split) {
                        route.split(body()).streaming().to("mock:chunk").end();
                    }
                    route.to("mock:" + mode);
                }
            }
        };
    }

    @ParameterizedTest
    @EnumSource(StreamingMode.class)
    void oneHundredSequentialRequestsUseOneConnection(StreamingMode mode) throws Exception {
        MockEndpoint done = getMockEndpoint("mock:" + mode);
        done.expectedMessageCount(100);

        for (int i = 0; i < 100; i++) {
            template.sendBody("direct:" + mode, "request number " + i);
        }

        done.assertIsSatisfied(10_000);
        assertEquals(100, sim.requestCount());
        assertEquals(1, sim.connectionsAccepted(), "every request reused the first connection");
        assertEquals(0, context.getComponent("ollama", OllamaComponent.class).poolStats().getLeased());
    }
}
