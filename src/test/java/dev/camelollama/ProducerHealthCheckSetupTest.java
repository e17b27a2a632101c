package dev.camelollama;

import java.util.Collection;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the readiness checks come to exist: camel-main's readiness with producer checks switched on, the component
 * option that switches them off, a context without a health-check registry, and unique ids.
 */
class ProducerHealthCheckSetupTest {

    private OllamaSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = OllamaSimulator.start();
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    private RouteBuilder routes(String... uris) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    from("direct:r" + i).routeId("r" + i).to(uris[i]);
                }
            }
        };
    }

    private static long ollamaChecks(CamelContext context) {
        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        return producers == null ? 0 : producers.stream().filter(c -> c.getId().startsWith("producer:ollama-")).count();
    }

    @Test
    @Timeout(60)
    void camelMainReadinessFollowsTheServer() throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.health.producersEnabled", "true");
        main.configure().addRoutesBuilder(routes("ollama:chat?model=llama3.2&baseUrl=" + sim.baseUrl()));
        main.start();
        try {
            CamelContext context = main.getCamelContext();
            assertEquals(1, ollamaChecks(context));
            assertTrue(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true));

            sim.enqueueFor("/api/tags", dev.camelollama.simulator.ScriptedReply.status(500)
                    .jsonBody("{\"error\":\"llama runner process has terminated\"}"));
            Collection<HealthCheck.Result> down = HealthCheckHelper.invokeReadiness(context);
            assertFalse(HealthCheckHelper.isResultsUp(down, true));
            HealthCheck.Result ours = down.stream()
                    .filter(r -> r.getCheck().getId().startsWith("producer:ollama-chat-")).findFirst().orElseThrow();
            assertTrue(ours.getMessage().orElseThrow().contains("llama runner process has terminated"));

            // liveness is not affected: restarting the application does not bring Ollama back
            assertTrue(HealthCheckHelper.invokeLiveness(context).stream()
                    .noneMatch(r -> r.getCheck().getId().startsWith("producer:ollama-")));
        } finally {
            main.stop();
        }
    }

    @Test
    @Timeout(60)
    void componentOptionSwitchesTheChecksOff() throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.health.producersEnabled", "true");
        main.addInitialProperty("camel.component.ollama.health-check-producer-enabled", "false");
        main.configure().addRoutesBuilder(routes("ollama:chat?model=llama3.2&baseUrl=" + sim.baseUrl()));
        main.start();
        try {
            assertEquals(0, ollamaChecks(main.getCamelContext()));
            assertEquals(0, sim.requestCount());
        } finally {
            main.stop();
        }
    }

    @Test
    @Timeout(60)
    void camelsExcludePatternLeavesSomeEndpointsOut() throws Exception {
        sim.models("llama3.2"); // the embed model is missing: its check would be DOWN
        Main main = new Main();
        main.addInitialProperty("camel.health.producersEnabled", "true");
        main.addInitialProperty("camel.health.excludePattern", "producer:ollama-embed-*");
        main.configure().addRoutesBuilder(routes("ollama:chat?model=llama3.2&baseUrl=" + sim.baseUrl(),
                "ollama:embed?model=nomic-embed-text&baseUrl=" + sim.baseUrl()));
        main.start();
        try {
            CamelContext context = main.getCamelContext();
            assertEquals(2, ollamaChecks(context));
            Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(context,
                    check -> Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS), check -> false, "full");
            assertTrue(HealthCheckHelper.isResultsUp(results, true), results.toString());
            assertTrue(results.stream().anyMatch(r -> r.getCheck().getId().startsWith("producer:ollama-chat-")));
            assertTrue(results.stream().noneMatch(r -> r.getCheck().getId().startsWith("producer:ollama-embed-")));
        } finally {
            main.stop();
        }
    }

    @Test
    @Timeout(60)
    void withoutAHealthCheckRegistryTheRoutesStillStartAndWork() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            // what a context without camel-health looks like to the component: no producers repository
            HealthCheckRegistry.get(context).setEnabled(false);
            assertNull(HealthCheckRegistration.producersRepository(context));
            context.addRoutes(routes("ollama:generate?model=llama3.2&baseUrl=" + sim.baseUrl()));
            context.start();

            assertEquals(OllamaSimulator.expectedReply("hi there", 5),
                    context.createProducerTemplate().requestBody("direct:r0", "hi there", String.class));
            assertEquals(0, ollamaChecks(context));
        }
    }

    @Test
    @Timeout(10)
    void registrationToleratesAMissingRepository() {
        HealthCheckRegistration none = HealthCheckRegistration.register(null, new ProbeLessCheck());
        assertSame(HealthCheckRegistration.NONE, none);
        assertNull(none.check());
        none.close();
    }

    @Test
    @Timeout(60)
    void endpointsThatWouldShareAnIdGetTheirOwnAndReleaseIt() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            String base = "ollama:chat?model=llama3.2&baseUrl=" + sim.baseUrl();
            context.addRoutes(routes(base, base + "&temperature=0.1", base));
            context.start();
            HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
            producers.setEnabled(true);
            String id = "producer:ollama-chat-127.0.0.1:" + sim.port() + "-llama3.2";
            // r0 and r2 share one endpoint, so one check; r1 is another endpoint on the same server and model
            assertEquals(java.util.List.of(id, id + "-2"),
                    producers.stream().map(HealthCheck::getId).sorted().toList());

            context.getRouteController().stopRoute("r0");
            assertEquals(2, ollamaChecks(context), "r2 still uses the endpoint");
            context.getRouteController().stopRoute("r2");
            context.getRouteController().stopRoute("r1");
            assertEquals(0, ollamaChecks(context));
            context.getRouteController().startRoute("r1");
            assertEquals(java.util.List.of(id), producers.stream().map(HealthCheck::getId).toList());
        }
    }

    @Test
    @Timeout(60)
    void aProbeQueuedBehindBusyConnectionsSaysSo() throws Exception {
        sim.firstByteDelay(java.time.Duration.ofSeconds(5)); // a long model load holds the only connection
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            OllamaComponent component = new OllamaComponent();
            component.setConnectionsPerRoute(1);
            context.addComponent("ollama", component);
            context.addRoutes(routes("ollama:chat?model=llama3.2&baseUrl=" + sim.baseUrl()));
            context.start();
            HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
            var busy = context.createProducerTemplate().asyncRequestBody("direct:r0", "slow");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (component.poolStats().getLeased() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            HealthCheck.Result result = HealthCheckHelper.invoke(context, check -> Map.of(),
                    check -> !check.getId().startsWith("producer:ollama-"), "full").iterator().next();

            assertEquals(HealthCheck.State.DOWN, result.getState());
            assertEquals("timeout", result.getDetails().get("failure.reason"));
            assertEquals(1, result.getDetails().get("pool.pending"));
            assertTrue(result.getMessage().orElseThrow().contains("waiting for a pooled connection"));
            busy.cancel(true);
        }
    }

    /** A check that is never called. */
    private static final class ProbeLessCheck implements HealthCheck {
        @Override
        public String getId() {
            return "probe-less";
        }

        @Override
        public String getGroup() {
            return "camel";
        }

        @Override
        public boolean isEnabled() {
            return true;
        }

        @Override
        public void setEnabled(boolean enabled) {
        }

        @Override
        public Result call(Map<String, Object> options) {
            throw new AssertionError("not called");
        }
    }
}
