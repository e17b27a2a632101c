package dev.camelollama;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.URISupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything logged at any level (root at TRACE, so Camel's, HttpClient's headers and wire logs and ours) while
 * requests go out with a bearer token, basic auth and a supplier's header: no secret appears, and the prompt and the
 * reply appear at DEBUG or below only.
 */
@Timeout(60)
class SecretsInLogsTest extends SimulatorTestSupport {

    /** Set as component options (Java, or camel.component.ollama.* properties): never in any URI. */
    private static final String TOKEN = AuthenticationTest.TOKEN;
    private static final String PASSWORD = AuthenticationTest.PASSWORD;
    private static final String BASIC_ENCODED = AuthenticationTest.BASIC.substring("Basic ".length());
    private static final String SUPPLIED = "supplied-Kx77-SECRET";
    /** Written into an endpoint URI, directly and as a property placeholder. */
    private static final String URI_TOKEN = "uri-Tq55-SECRET";
    private static final String PLACEHOLDER_TOKEN = "placeholder-Wm31-SECRET";
    /** The simulator echoes the prompt's words, so the reply holds this text too. */
    private static final String PROMPT = "zebraquartz marmalade obsidian";

    private final List<LogEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
    private Runnable restore;

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("supplied", (OllamaHeadersSupplier) () -> Map.of("X-Api-Key", SUPPLIED));
    }

    @Override
    protected void doPreSetup() throws Exception {
        captureEverything();
        super.doPreSetup();
    }

    /** Root logger at TRACE into a capturing appender only (the console would drown the build's output). */
    private void captureEverything() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        Level level = root.getLevel();
        Map<String, Appender> before = Map.copyOf(root.getAppenders());
        Appender capture = new AbstractAppender("capture-" + System.nanoTime(), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        capture.start();
        before.keySet().forEach(root::removeAppender);
        root.addAppender(capture, Level.ALL, null);
        root.setLevel(Level.ALL);
        logging.updateLoggers();
        restore = () -> {
            root.removeAppender(capture.getName());
            before.values().forEach(appender -> root.addAppender(appender, null, null));
            root.setLevel(level);
            logging.updateLoggers();
            capture.stop();
        };
    }

    @AfterEach
    void restoreLogging() {
        if (restore != null) {
            restore.run();
        }
    }

    @Override
    protected java.util.Properties useOverridePropertiesWithPropertiesComponent() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("ollama.token", PLACEHOLDER_TOKEN);
        return properties;
    }

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext camel = super.createCamelContext();
        OllamaComponent bearer = new OllamaComponent();
        bearer.getConfiguration().setBearerToken(TOKEN);
        camel.addComponent("ollama", bearer);
        OllamaComponent basic = new OllamaComponent();
        basic.getConfiguration().setUsername("alice");
        basic.getConfiguration().setPassword(PASSWORD);
        camel.addComponent("ollama-basic", basic);
        return camel;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bearer").routeId("bearer").to(ollama("chat", ""));
                from("direct:bearer-split").to(ollama("generate", "streaming=split"))
                        .split(body()).streaming().to("mock:chunks").end();
                from("direct:basic").to(ollama("generate", "").replace("ollama:", "ollama-basic:"));
                from("direct:supplied").to(ollama("chat", "headersSupplier=#supplied"));
                from("direct:uri").to(ollama("listModels", "bearerToken=" + URI_TOKEN));
                from("direct:placeholder").to(ollama("version", "bearerToken={{ollama.token}}"));
            }
        };
    }

    @Test
    void noSecretAtAnyLevelAndThePromptOnlyAtDebugOrBelow() throws Exception {
        String expected = OllamaSimulator.expectedReply(PROMPT, 5);
        assertEquals(expected, template.requestBody("direct:bearer", PROMPT, String.class));
        template.requestBody("direct:bearer-split", PROMPT);
        assertEquals(expected, template.requestBody("direct:basic", PROMPT, String.class));
        assertEquals(expected, template.requestBody("direct:supplied", PROMPT, String.class));
        template.requestBody("direct:uri", (Object) null);
        template.requestBody("direct:placeholder", (Object) null);
        assertTrue(sim.awaitServedResponses(6, Duration.ofSeconds(10)));
        Map<String, String> authorization = new java.util.HashMap<>();
        for (dev.camelollama.simulator.RecordedRequest request; (request = sim.takeRequest(Duration.ofMillis(200)))
                                                                != null;) {
            authorization.put(request.path(), request.header("Authorization"));
        }
        assertEquals("Bearer " + TOKEN, authorization.get("/api/chat"));
        assertEquals("Bearer " + URI_TOKEN, authorization.get("/api/tags"));
        assertEquals("Bearer " + PLACEHOLDER_TOKEN, authorization.get("/api/version"));
        // the route and endpoint as Camel describes them, logged like a route dump would
        for (Endpoint endpoint : context.getEndpoints()) {
            LogManager.getLogger("test.dump").info("endpoint {} ({})", endpoint,
                    URISupport.sanitizeUri(endpoint.getEndpointUri()));
        }
        LogManager.getLogger("test.dump").info("route {}", context.getRoute("bearer").getEndpoint());

        List<LogEvent> captured;
        synchronized (events) {
            captured = List.copyOf(events);
        }
        assertTrue(captured.size() > 20, "TRACE captured Camel's and HttpClient's logs: " + captured.size());
        assertTrue(captured.stream().anyMatch(event -> text(event).contains("bearerToken=xxxxxx")),
                "the endpoint URI is logged with the token masked");
        assertTrue(captured.stream().anyMatch(event -> event.getLoggerName().equals("org.apache.hc.client5.http.headers")
                                                       && text(event).contains("Authorization: ***")),
                "HttpClient's header log was captured, with the value masked");
        List<String> violations = new ArrayList<>();
        for (LogEvent event : captured) {
            String text = text(event);
            for (String secret : List.of(TOKEN, PASSWORD, SUPPLIED, BASIC_ENCODED, URI_TOKEN, PLACEHOLDER_TOKEN)) {
                if (text.contains(secret) && !camelCoreTracesTheUri(event, secret)) {
                    violations.add("a secret in " + event.getLevel() + " " + event.getLoggerName() + ": " + text);
                }
            }
            if (event.getLevel().isMoreSpecificThan(Level.INFO) && text.contains("zebraquartz")) {
                violations.add("the prompt or reply at " + event.getLevel() + " " + event.getLoggerName() + ": "
                               + text);
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * Camel core itself logs endpoint URIs unmasked at TRACE while it creates endpoints (AbstractCamelContext,
     * DefaultComponent, EndpointHelper), and resolved property placeholders at DEBUG (DefaultPropertiesParser,
     * DefaultCamelContextExtension): a secret written into a URI shows there, which is why the docs advise component
     * options for secrets. Nothing else may show it: not at INFO or above, not this component, not HttpClient.
     */
    private static boolean camelCoreTracesTheUri(LogEvent event, String secret) {
        return (URI_TOKEN.equals(secret) || PLACEHOLDER_TOKEN.equals(secret))
               && event.getLevel().isLessSpecificThan(Level.DEBUG)
               && event.getLoggerName().startsWith("org.apache.camel.");
    }

    private static String text(LogEvent event) {
        StringBuilder text = new StringBuilder(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            text.append('\n').append(t);
        }
        return text.toString();
    }
}
