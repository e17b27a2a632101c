package dev.camelollama;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;
import dev.camelollama.client.RetryPolicy;
import dev.camelollama.client.Timeouts;
import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bearerToken, username/password and headersSupplier reach every request the component sends, and stay masked. */
@Timeout(60)
class AuthenticationTest extends SimulatorTestSupport {

    static final String TOKEN = "tok-9f8e7d6c5b4a-SECRET";
    static final String USER = "alice";
    static final String PASSWORD = "pw-Zq81-SECRET";
    static final String BEARER = "Bearer " + TOKEN;
    static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final AtomicInteger rotations = new AtomicInteger();
    private final AtomicInteger fragileCalls = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean failAfterFirst = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("rotating", (OllamaHeadersSupplier) () -> Map.of("Authorization",
                "Bearer rotated-" + rotations.incrementAndGet(), "X-Tenant", "blue"));
        registry.bind("fragile", (OllamaHeadersSupplier) () -> {
            if (failAfterFirst.get() && fragileCalls.incrementAndGet() > 1) {
                throw new IllegalStateException("token service down");
            }
            return Map.of("Authorization", "Bearer fragile");
        });
    }

    private String bearer(String operation, String extra) {
        return ollama(operation, "bearerToken=" + TOKEN + (extra.isEmpty() ? "" : "&" + extra));
    }

    private String basic(String operation, String extra) {
        return ollama(operation, "username=" + USER + "&password=" + PASSWORD + (extra.isEmpty() ? "" : "&" + extra));
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to(bearer("chat", ""));
                from("direct:chat-split").to(bearer("chat", "streaming=split"))
                        .split(body()).streaming().to("mock:chunk").end();
                from("direct:generate-learn").to(bearer("generate", "learnContextWindow=true"));
                from("direct:autopull").to("ollama:chat?baseUrl=" + sim.baseUrl() + "&model=mistral&autoPull=true"
                                           + "&bearerToken=" + TOKEN);
                from("direct:embed").to(basic("embed", ""));
                from("direct:list").to(basic("listModels", ""));
                from("direct:pull").to(basic("pullModel", ""));
                from("direct:exists").to(basic("blobExists", ""));
                from("direct:rotating").to(ollama("chat", "headersSupplier=#rotating"));
                from("direct:fragile").to(ollama("chat", "headersSupplier=#fragile&redeliveryDelay=10"));
                from("direct:none").to(ollama("chat", ""));
            }
        };
    }

    private List<RecordedRequest> take(int count) throws InterruptedException {
        List<RecordedRequest> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = sim.takeRequest(Duration.ofSeconds(10));
            assertTrue(request != null, "request " + (i + 1) + " of " + count + " arrived");
            taken.add(request);
        }
        return taken;
    }

    @Test
    void bearerTokenGoesWithChatStreamingTheContextWindowLookUpAndTheAutoPull() throws Exception {
        template.requestBody("direct:chat", "hello there", String.class);
        template.requestBody("direct:chat-split", "hello split");
        template.requestBody("direct:generate-learn", "one two", String.class);
        assertTrue(sim.awaitServedResponses(4, Duration.ofSeconds(10)));
        template.requestBody("direct:autopull", "pull me first", String.class);

        List<RecordedRequest> requests = take(7);
        List<String> paths = new ArrayList<>();
        for (RecordedRequest request : requests) {
            paths.add(request.path());
            assertEquals(BEARER, request.header("Authorization"), request.path());
        }
        assertTrue(paths.containsAll(List.of("/api/chat", "/api/generate", "/api/show", "/api/pull")), paths.toString());
    }

    @Test
    void basicAuthGoesWithEmbedManagementProgressAndBlobRequests() throws Exception {
        template.requestBody("direct:embed", "a text");
        template.requestBody("direct:list", (Object) null);
        template.requestBody("direct:pull", (Object) null);
        template.requestBody("direct:exists", "sha256:" + "0".repeat(64));

        for (RecordedRequest request : take(4)) {
            assertEquals(BASIC, request.header("Authorization"), request.method() + " " + request.path());
        }
    }

    @Test
    void theSupplierIsAskedPerRequestSoATokenCanRotate() throws Exception {
        template.requestBody("direct:rotating", "first", String.class);
        template.requestBody("direct:rotating", "second", String.class);

        List<RecordedRequest> requests = take(2);
        assertEquals("Bearer rotated-1", requests.get(0).header("Authorization"));
        assertEquals("Bearer rotated-2", requests.get(1).header("Authorization"));
        assertEquals("blue", requests.get(1).header("X-Tenant"));
    }

    @Test
    void aRedeliveryAsksTheSupplierAgainSoAnExpiredTokenIsNotResent() throws Exception {
        sim.enqueue(ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));

        template.requestBody("direct:rotating", "busy first", String.class);

        List<RecordedRequest> requests = take(2);
        assertEquals("Bearer rotated-1", requests.get(0).header("Authorization"));
        assertEquals("Bearer rotated-2", requests.get(1).header("Authorization"), "the redelivery's token");
    }

    @Test
    void aSupplierFailingBeforeARedeliveryFailsTheExchangeNamingTheSupplier() throws Exception {
        sim.enqueue(ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));
        failAfterFirst.set(true);

        Exchange failed = template.send("direct:fragile", e -> e.getIn().setBody("busy first"));

        OllamaException failure = assertInstanceOf(OllamaException.class, failed.getException());
        assertTrue(failure.getMessage().contains("headersSupplier"), failure.getMessage());
        assertTrue(failure.getMessage().contains("token service down"), failure.getMessage());
        assertEquals(1, take(1).size());
    }

    @Test
    void withoutAuthenticationOptionsNoAuthorizationHeaderIsSent() throws Exception {
        template.requestBody("direct:none", "plain", String.class);
        assertNull(take(1).get(0).header("Authorization"));
    }

    @Test
    void secretsAreMaskedInTheEndpointUriAsCamelShowsIt() {
        List<String> shown = new ArrayList<>();
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof OllamaEndpoint) {
                shown.add(endpoint.toString());
                shown.add(URISupport.sanitizeUri(endpoint.getEndpointUri()));
            }
        }
        assertFalse(shown.isEmpty());
        for (String text : shown) {
            assertFalse(text.contains(TOKEN), text);
            assertFalse(text.contains(PASSWORD), text);
        }
        assertTrue(shown.stream().anyMatch(text -> text.contains("bearerToken=xxxxxx")), shown.toString());
        assertTrue(shown.stream().anyMatch(text -> text.contains("password=xxxxxx")), shown.toString());
        assertTrue(shown.stream().anyMatch(text -> text.contains("username=xxxxxx")), shown.toString());
    }

    @Test
    void anOllamaRequestPrintsHeaderNamesButNoValues() {
        OllamaRequest request = new OllamaRequest(java.net.URI.create(sim.baseUrl()), "POST", "/api/chat",
                "{\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_8), ReplyFormat.GENERATION, "llama3.2",
                Map.of("Authorization", BEARER), Timeouts.DEFAULT, RetryPolicy.DEFAULT);
        String text = request.toString();
        assertFalse(text.contains(TOKEN), text);
        assertTrue(text.contains("Authorization=***"), text);
    }

    @Test
    void bearerTokenAndUsernameTogetherFailTheRouteStartWithoutShowingEither() throws Exception {
        try (DefaultCamelContext other = new DefaultCamelContext()) {
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:both").to("ollama:chat?model=x&bearerToken=" + TOKEN + "&username=" + USER
                                           + "&password=" + PASSWORD);
                }
            });
            Exception failure = assertThrows(Exception.class, other::start);
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains("bearerToken or username/password"), messages.toString());
            assertFalse(messages.toString().contains(TOKEN), messages.toString());
            assertFalse(messages.toString().contains(PASSWORD), messages.toString());
        }
    }
}
