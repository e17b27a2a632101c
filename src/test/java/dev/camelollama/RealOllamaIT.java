package dev.camelollama;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against a real Ollama: runs only when OLLAMA_BASE_URL is set (model from OLLAMA_TEST_MODEL, default llama3.2), so
 * users with Ollama can check the component against their server:
 * {@code OLLAMA_BASE_URL=http://localhost:11434 mvn test -Dtest=RealOllamaIT}.
 */
@Timeout(600)
@EnabledIfEnvironmentVariable(named = "OLLAMA_BASE_URL", matches = ".+")
class RealOllamaIT extends CamelTestSupport {

    private final String model = System.getenv().getOrDefault("OLLAMA_TEST_MODEL", "llama3.2");
    private final AtomicInteger chunks = new AtomicInteger();

    @Override
    protected RouteBuilder createRouteBuilder() {
        String base = "?baseUrl=" + System.getenv("OLLAMA_BASE_URL") + "&model=" + model
                      + "&options.num_predict=32&options.temperature=0";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:aggregate").to("ollama:chat" + base);
                from("direct:off").to("ollama:generate" + base + "&streaming=off");
                from("direct:split").to("ollama:chat" + base + "&streaming=split")
                        .split(body(), new ReplyTextAggregationStrategy()).streaming()
                            .process(exchange -> chunks.incrementAndGet())
                        .end();
            }
        };
    }

    @Test
    void aggregate() {
        var reply = template.request("direct:aggregate", e -> e.getIn().setBody("Say hello in one word."));
        assertFalse(reply.isFailed(), () -> String.valueOf(reply.getException()));
        assertFalse(reply.getMessage().getBody(String.class).isBlank());
        assertNotNull(reply.getMessage().getHeader(OllamaConstants.DONE_REASON));
        assertTrue(reply.getMessage().getHeader(OllamaConstants.EVAL_COUNT, Long.class) > 0);
    }

    @Test
    void off() {
        var reply = template.request("direct:off", e -> e.getIn().setBody("Say hello in one word."));
        assertFalse(reply.isFailed(), () -> String.valueOf(reply.getException()));
        assertFalse(reply.getMessage().getBody(String.class).isBlank());
        assertEquals(1L, reply.getMessage().getHeader(OllamaConstants.CHUNK_COUNT));
    }

    @Test
    void split() {
        var reply = template.request("direct:split", e -> e.getIn().setBody("Count from one to five."));
        assertFalse(reply.isFailed(), () -> String.valueOf(reply.getException()));
        assertTrue(chunks.get() > 1, "several chunks reached the route");
        assertFalse(reply.getMessage().getBody(String.class).isBlank());
    }
}
