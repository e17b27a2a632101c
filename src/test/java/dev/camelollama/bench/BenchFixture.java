package dev.camelollama.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import dev.camelollama.simulator.OllamaSimulator;

/**
 * What every benchmark shares: the prompt, the simulator (always on 127.0.0.1, see
 * {@link OllamaSimulator#start()}), the JDK baseline client and a Camel context with the component under test.
 */
final class BenchFixture {

    static final String MODEL = "llama3.2";
    /** Two words, so the simulator's chunks alternate between "hello" and " world". */
    static final String PROMPT = "hello world";

    private BenchFixture() {
    }

    /** A simulator whose default chat reply has {@code chunkCount} text chunks plus the final done line. */
    static OllamaSimulator simulator(int chunkCount) {
        OllamaSimulator sim = OllamaSimulator.start().chunkCount(chunkCount);
        if (!sim.baseUrl().startsWith("http://127.0.0.1:")) {
            sim.close();
            throw new IllegalStateException("the benchmarks only talk to 127.0.0.1, not " + sim.baseUrl());
        }
        return sim;
    }

    /** The reply text the simulator sends for {@link #PROMPT}, to check every benchmark got the whole reply. */
    static int expectedLength(int chunkCount) {
        return OllamaSimulator.expectedReply(PROMPT, chunkCount).length();
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark sanity check failed: " + what);
        }
    }

    /** An endpoint URI of the component under test, pointed at the simulator. */
    static String ollama(OllamaSimulator sim, String streaming) {
        return "ollama:chat?baseUrl=" + sim.baseUrl() + "&model=" + MODEL + "&streaming=" + streaming;
    }

    /** Starts a plain CamelContext with the given routes; the caller stops it. */
    static CamelContext camel(RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(10);
        context.addRoutes(routes);
        context.start();
        return context;
    }

    static ProducerTemplate template(CamelContext context) throws Exception {
        ProducerTemplate template = context.createProducerTemplate();
        template.start();
        return template;
    }

    /**
     * The baseline the design compares against: one shared JDK {@link HttpClient}, one shared {@link ObjectMapper},
     * a line reader over the body, every line parsed to a tree and {@code message.content} concatenated.
     */
    static final class JdkChatClient {

        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        private final ObjectMapper mapper = new ObjectMapper();
        private final URI chatUri;

        JdkChatClient(OllamaSimulator sim) {
            this.chatUri = URI.create(sim.url("/api/chat"));
        }

        /** One chat call; returns the concatenated reply text. */
        String chat(String prompt, boolean stream) throws IOException, InterruptedException {
            ObjectNode body = mapper.createObjectNode();
            body.put("model", MODEL);
            ObjectNode message = body.putArray("messages").addObject();
            message.put("role", "user");
            message.put("content", prompt);
            body.put("stream", stream);
            HttpRequest request = HttpRequest.newBuilder(chatUri)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/x-ndjson, application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)))
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            StringBuilder text = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                check(response.statusCode() == 200, "status " + response.statusCode());
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode chunk = mapper.readTree(line);
                    text.append(chunk.path("message").path("content").asText());
                }
            }
            return text.toString();
        }
    }
}
