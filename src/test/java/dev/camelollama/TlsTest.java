package dev.camelollama;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.client.OllamaConnectionException;
import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https with Camel's SSLContextParameters: the simulator serves a self-signed certificate made by keytool for this
 * test; the right trust works, a wrong one fails once (no redelivery) with a message that says what to set.
 */
@Timeout(60)
class TlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    static Path serverStore;
    static Path otherStore;

    private OllamaSimulator sim;
    private DefaultCamelContext context;

    @BeforeAll
    static void certificates() throws Exception {
        serverStore = keytool("server");
        otherStore = keytool("other");
    }

    private static Path keytool(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 30 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve(name + ".log")));
        }
        return store;
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), null, null);
        return ssl;
    }

    /** Trusts the certificates of one PKCS12 store, as a user would configure it. */
    private static SSLContextParameters trusting(Path store) {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource("file:" + store);
        trustStore.setPassword(PASSWORD);
        trustStore.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    @BeforeEach
    void startSimulator() throws Exception {
        sim = OllamaSimulator.startTls(serverContext());
        assertTrue(sim.baseUrl().startsWith("https://"), sim.baseUrl());
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        sim.close();
    }

    private void start(SSLContextParameters parameters, boolean global) throws Exception {
        context = new DefaultCamelContext();
        OllamaComponent component = new OllamaComponent();
        if (global) {
            context.setSSLContextParameters(parameters);
            component.setUseGlobalSslContextParameters(true);
        } else {
            component.setSslContextParameters(parameters);
        }
        context.addComponent("ollama", component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to("ollama:chat?model=llama3.2&redeliveryDelay=10&baseUrl=" + sim.baseUrl());
            }
        });
        context.start();
    }

    private Exchange chat(String prompt) {
        return context.createProducerTemplate().request("direct:chat", exchange -> exchange.getIn().setBody(prompt));
    }

    @Test
    void chatOverHttpsWorksWithTheRightTrust() throws Exception {
        start(trusting(serverStore), false);

        Exchange reply = chat("hello over tls");

        assertNull(reply.getException());
        assertEquals(OllamaSimulator.expectedReply("hello over tls", 5), reply.getMessage().getBody(String.class));
        assertEquals("/api/chat", sim.takeRequest(Duration.ofSeconds(5)).path());
    }

    @Test
    void theGlobalSslContextParametersWorkToo() throws Exception {
        start(trusting(serverStore), true);

        assertNull(chat("global trust").getException());
    }

    @Test
    void anUntrustedCertificateFailsOnceSayingWhatToSet() throws Exception {
        start(trusting(otherStore), false);
        assertTlsFailureNotRetried(chat("never sent"));
    }

    @Test
    void theJvmDefaultTrustDoesNotTrustASelfSignedCertificate() throws Exception {
        start(null, false);
        assertTlsFailureNotRetried(chat("never sent"));
    }

    /** The readiness check goes through the component's TLS settings: the right trust is UP. */
    @Test
    void healthCheckUsesTheComponentsTrust() throws Exception {
        start(trusting(serverStore), false);

        org.apache.camel.health.HealthCheck.Result result = readiness();

        assertEquals(org.apache.camel.health.HealthCheck.State.UP, result.getState(), String.valueOf(result.getDetails()));
        assertEquals("/api/tags", sim.takeRequest(Duration.ofSeconds(5)).path());
    }

    /** An untrusted certificate makes the readiness check DOWN with the reason, once, without a redelivery. */
    @Test
    void healthCheckIsDownWhenTheCertificateIsNotTrusted() throws Exception {
        start(trusting(otherStore), false);

        org.apache.camel.health.HealthCheck.Result result = readiness();

        assertEquals(org.apache.camel.health.HealthCheck.State.DOWN, result.getState());
        assertEquals("tls", result.getDetails().get("failure.reason"));
        assertEquals(sim.baseUrl(), result.getDetails().get("base.url"));
        assertTrue(result.getMessage().orElseThrow().contains("sslContextParameters"), result.getMessage().orElseThrow());
    }

    private org.apache.camel.health.HealthCheck.Result readiness() {
        org.apache.camel.health.HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        java.util.Collection<org.apache.camel.health.HealthCheck.Result> results =
                org.apache.camel.health.HealthCheckHelper.invoke(context, check -> java.util.Map.of(),
                        check -> !check.getId().startsWith("producer:ollama-"), "full");
        assertEquals(1, results.size());
        return results.iterator().next();
    }

    /** The README's camel-main recipe: an SSLContextParameters bean in YAML, component options from properties. */
    @Test
    void camelMainYamlTrustBeanAndComponentTokenFromProperties() throws Exception {
        Path routes = dir.resolve("tls-routes.yaml");
        Files.writeString(routes, """
                - beans:
                  - name: ollamaTls
                    type: org.apache.camel.support.jsse.SSLContextParameters
                    properties:
                      trustManagers:
                        keyStore:
                          resource: "file:%s"
                          password: "{{truststore.password}}"
                - route:
                    from:
                      uri: direct:ask
                      steps:
                        - to:
                            uri: ollama:chat
                            parameters:
                              model: llama3.2
                              baseUrl: "%s"
                """.formatted(serverStore, sim.baseUrl()));
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        main.addInitialProperty("camel.main.routesIncludePattern", "file:" + routes);
        main.addInitialProperty("truststore.password", PASSWORD);
        main.addInitialProperty("camel.component.ollama.ssl-context-parameters", "#ollamaTls");
        main.addInitialProperty("camel.component.ollama.bearer-token", "main-token");
        main.start();
        try {
            String reply = main.getCamelContext().createProducerTemplate()
                    .requestBody("direct:ask", "yaml over tls", String.class);
            assertEquals(OllamaSimulator.expectedReply("yaml over tls", 5), reply);
            assertEquals("Bearer main-token", sim.takeRequest(Duration.ofSeconds(5)).header("Authorization"));
        } finally {
            main.stop();
        }
    }

    private void assertTlsFailureNotRetried(Exchange reply) throws Exception {
        OllamaConnectionException failure = assertInstanceOf(OllamaConnectionException.class, reply.getException());
        String message = failure.getMessage();
        assertTrue(message.contains("TLS handshake"), message);
        assertTrue(message.contains("certificate"), message);
        assertTrue(message.contains("sslContextParameters"), message);
        assertFalse(failure.isRetryable(), "a handshake fails the same way every time");
        Thread.sleep(300); // redeliveryDelay is 10 ms: a redelivery would have connected by now
        assertEquals(1, sim.connectionsAccepted(), "one connection: no redelivery");
        assertEquals(0, sim.requestCount(), "nothing got through");
    }
}
