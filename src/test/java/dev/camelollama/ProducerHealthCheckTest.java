package dev.camelollama;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readiness checks of started ollama endpoints, run the way Camel runs them (HealthCheckHelper over the
 * producers repository) against the simulator on 127.0.0.1.
 */
class ProducerHealthCheckTest extends SimulatorTestSupport {

    private static final String TOKEN = "s3cr3t-bearer-token";
    private static final String PASSWORD = "pa55-w0rd-secret";

    private static final String CHAT = "producer:ollama-chat-127.0.0.1:%d-llama3.2";

    private int closedPort;

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().logExhausted(false));
                from("direct:chat").to(ollama("chat", "bearerToken=" + TOKEN));
                from("direct:version").to("ollama:version?baseUrl=" + sim.baseUrl() + "&username=ops&password="
                                          + PASSWORD);
                from("direct:missing").to("ollama:generate?model=mistral&baseUrl=" + sim.baseUrl());
                from("direct:pulled").to("ollama:embed?model=all-minilm&autoPull=true&baseUrl=" + sim.baseUrl());
                from("direct:refused").routeId("refused")
                        .to("ollama:chat?model=llama3.2&baseUrl=http://127.0.0.1:" + closedPort);
            }
        };
    }

    @BeforeEach
    void enableProducerChecks() {
        // camel-main does this for camel.health.producersEnabled=true; Camel ships producer checks switched off
        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        assertNotNull(producers, "camel-health is on the test class path");
        producers.setEnabled(true);
    }

    private String chatId() {
        return String.format(CHAT, sim.port());
    }

    /** Runs the readiness checks as Camel does, with full exposure, keeping the one asked for. */
    private HealthCheck.Result readiness(String id) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context,
                check -> Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS),
                check -> !check.isReadiness() || !check.getId().equals(id), "full");
        assertEquals(1, results.size(), "exactly one check " + id + " in " + ids());
        return results.iterator().next();
    }

    private List<String> ids() {
        return HealthCheckHelper.getHealthCheckRepository(context, "producers").stream().map(HealthCheck::getId)
                .sorted().toList();
    }

    private static String everything(HealthCheck.Result result) {
        return result.getMessage().orElse("") + " " + result.getDetails();
    }

    @Test
    @Timeout(30)
    void oneReadinessCheckPerStartedEndpointInCamelsGroup() {
        assertEquals(java.util.stream.Stream.of(
                "producer:ollama-chat-127.0.0.1:" + closedPort + "-llama3.2",
                chatId(),
                "producer:ollama-embed-127.0.0.1:" + sim.port() + "-all-minilm",
                "producer:ollama-generate-127.0.0.1:" + sim.port() + "-mistral",
                "producer:ollama-version-127.0.0.1:" + sim.port()).sorted().toList(), ids());
        HealthCheck check = HealthCheckHelper.getHealthCheckRepository(context, "producers").stream()
                .filter(each -> each.getId().equals(chatId())).findFirst().orElseThrow();
        assertEquals("camel", check.getGroup());
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness(), "a server that is down is not cured by restarting this application");
    }

    @Test
    @Timeout(30)
    void upWhenTheServerAnswersAndHasTheModel() throws Exception {
        HealthCheck.Result result = readiness(chatId());

        assertEquals(HealthCheck.State.UP, result.getState(), everything(result));
        assertEquals(sim.baseUrl(), result.getDetails().get("base.url"));
        assertEquals("llama3.2", result.getDetails().get("model"));
        assertEquals(true, result.getDetails().get("model.present"));
        RecordedRequest probe = sim.takeRequest();
        assertEquals("GET", probe.method());
        assertEquals("/api/tags", probe.path());
        assertEquals("Bearer " + TOKEN, probe.header("Authorization"), "the endpoint's credentials go with the check");
        assertFalse(everything(result).contains(TOKEN));
    }

    @Test
    @Timeout(30)
    void endpointWithoutModelAsksForTheVersionWithBasicAuth() throws Exception {
        HealthCheck.Result result = readiness("producer:ollama-version-127.0.0.1:" + sim.port());

        assertEquals(HealthCheck.State.UP, result.getState(), everything(result));
        assertNotNull(result.getDetails().get("ollama.version"));
        RecordedRequest probe = sim.takeRequest();
        assertEquals("/api/version", probe.path());
        assertTrue(probe.header("Authorization").startsWith("Basic "));
        assertFalse(everything(result).contains(PASSWORD));
    }

    @Test
    @Timeout(30)
    void downWithTheReasonWhenTheServerRefusesConnections() {
        long start = System.nanoTime();
        HealthCheck.Result result = readiness("producer:ollama-chat-127.0.0.1:" + closedPort + "-llama3.2");

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals("http://127.0.0.1:" + closedPort, result.getDetails().get("base.url"));
        assertEquals("connection", result.getDetails().get("failure.reason"));
        String message = result.getMessage().orElseThrow();
        assertTrue(message.contains("Cannot connect to Ollama at http://127.0.0.1:" + closedPort), message);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "no redelivery, no long wait");
    }

    @Test
    @Timeout(30)
    void downOn503WithoutRedeliveryThenUpAgainWhenTheServerRecovers() throws Exception {
        sim.enqueueFor("/api/tags", ScriptedReply.status(503).jsonBody("{\"error\":\"server busy\"}"));

        HealthCheck.Result down = readiness(chatId());
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertEquals(503, down.getDetails().get(HealthCheck.HTTP_RESPONSE_CODE));
        assertEquals("http-503", down.getDetails().get("failure.reason"));
        assertTrue(down.getMessage().orElseThrow().contains("answered 503: server busy"), everything(down));
        assertEquals(1, sim.requestCount(), "a health check is never redelivered");

        HealthCheck.Result up = readiness(chatId());
        assertEquals(HealthCheck.State.UP, up.getState(), everything(up));
        assertEquals(2, sim.requestCount());
    }

    @Test
    @Timeout(30)
    void boundedByItsOwnShortTimeoutNotTheEndpointsFirstByteTimeout() {
        sim.enqueueFor("/api/tags", ScriptedReply.status(200).jsonBody("{\"models\":[]}")
                .firstByteDelay(Duration.ofSeconds(20)));
        long start = System.nanoTime();

        HealthCheck.Result result = readiness(chatId());

        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals("timeout", result.getDetails().get("failure.reason"));
        assertTrue(seconds < 6, "took " + seconds + " s");
    }

    @Test
    @Timeout(30)
    void rejectedCredentialsAreDownAndNeverEchoed() {
        // a proxy that echoes what it received must not put the token into the health output
        sim.enqueueFor("/api/tags", ScriptedReply.status(401)
                .jsonBody("{\"error\":\"bad token Bearer " + TOKEN + "\"}"));
        sim.enqueueFor("/api/tags", ScriptedReply.status(502)
                .jsonBody("{\"error\":\"upstream rejected Bearer " + TOKEN + "\"}"));

        HealthCheck.Result unauthorized = readiness(chatId());
        assertEquals(HealthCheck.State.DOWN, unauthorized.getState());
        assertEquals("auth", unauthorized.getDetails().get("failure.reason"));
        assertFalse(everything(unauthorized).contains(TOKEN), everything(unauthorized));

        HealthCheck.Result badGateway = readiness(chatId());
        assertEquals(HealthCheck.State.DOWN, badGateway.getState());
        assertFalse(everything(badGateway).contains(TOKEN), everything(badGateway));
        assertTrue(badGateway.getMessage().orElseThrow().contains("***"), everything(badGateway));
    }

    @Test
    @Timeout(30)
    void missingModelIsDownWithoutAutoPullAndUpWithIt() {
        HealthCheck.Result missing = readiness("producer:ollama-generate-127.0.0.1:" + sim.port() + "-mistral");
        assertEquals(HealthCheck.State.DOWN, missing.getState());
        assertEquals("model-missing", missing.getDetails().get("failure.reason"));
        assertEquals(false, missing.getDetails().get("model.present"));
        assertTrue(missing.getMessage().orElseThrow().contains("ollama pull mistral"), everything(missing));

        HealthCheck.Result pulledOnFirstUse =
                readiness("producer:ollama-embed-127.0.0.1:" + sim.port() + "-all-minilm");
        assertEquals(HealthCheck.State.UP, pulledOnFirstUse.getState(), everything(pulledOnFirstUse));
        assertEquals(false, pulledOnFirstUse.getDetails().get("model.present"));
        assertTrue(pulledOnFirstUse.getMessage().orElseThrow().contains("autoPull=true"));
    }

    @Test
    @Timeout(30)
    void theCheckLeavesWithItsRouteAndComesBackWithIt() throws Exception {
        String id = "producer:ollama-chat-127.0.0.1:" + closedPort + "-llama3.2";
        context.getRouteController().stopRoute("refused");
        assertFalse(ids().contains(id));
        assertEquals(Optional.empty(), ids().stream().filter(id::equals).findAny());

        context.getRouteController().startRoute("refused");
        assertTrue(ids().contains(id), ids().toString());
    }
}
