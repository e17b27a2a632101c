package dev.camelollama.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.camelollama.client.OllamaHost;
import dev.camelollama.simulator.OllamaSimulator;

/**
 * Which Ollama server the job talks to, decided once at start-up:
 * <ol>
 * <li>{@code -Djob.baseUrl=...} or the {@code OLLAMA_BASE_URL} environment variable, as given;</li>
 * <li>else {@code OLLAMA_HOST}, left to the component, which reads it with Ollama's own rules;</li>
 * <li>else {@code http://localhost:11434} if an Ollama answers there within a second;</li>
 * <li>else the embedded {@link OllamaSimulator}, announced on the console, closed with this object.</li>
 * </ol>
 */
final class OllamaServerChoice implements AutoCloseable {

    static final String LOCAL_OLLAMA = "http://localhost:11434";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");

    /** The base URL for the route, or null to let the component read OLLAMA_HOST. */
    private final String baseUrl;
    private final OllamaSimulator simulator;

    private OllamaServerChoice(String baseUrl, OllamaSimulator simulator) {
        this.baseUrl = baseUrl;
        this.simulator = simulator;
    }

    static OllamaServerChoice choose(String explicitBaseUrl, Map<String, String> env, PrintStream out) {
        if (notBlank(explicitBaseUrl)) {
            announce(out, explicitBaseUrl.trim(), "job.baseUrl");
            return new OllamaServerChoice(explicitBaseUrl.trim(), null);
        }
        String fromEnv = env.get("OLLAMA_BASE_URL");
        if (notBlank(fromEnv)) {
            announce(out, fromEnv.trim(), "OLLAMA_BASE_URL");
            return new OllamaServerChoice(fromEnv.trim(), null);
        }
        String ollamaHost = env.get("OLLAMA_HOST");
        if (notBlank(ollamaHost)) {
            // the component resolves OLLAMA_HOST itself; resolve it here only to say where that is
            announce(out, OllamaHost.resolve(null, ollamaHost).toString(), "OLLAMA_HOST=" + ollamaHost.trim());
            return new OllamaServerChoice(null, null);
        }
        String version = probe(LOCAL_OLLAMA);
        if (version != null) {
            out.println("[job] Using Ollama " + version + " at " + LOCAL_OLLAMA);
            return new OllamaServerChoice(LOCAL_OLLAMA, null);
        }
        OllamaSimulator simulator = OllamaSimulator.start()
                .acceptAnyModel(true)
                .chunkCount(24)
                .chunkDelay(Duration.ofMillis(15));
        out.println("[job] No Ollama at " + LOCAL_OLLAMA + " (and neither OLLAMA_BASE_URL nor OLLAMA_HOST is set): "
                    + "using the embedded Ollama simulator at " + simulator.baseUrl() + "; replies are synthetic.");
        return new OllamaServerChoice(simulator.baseUrl(), simulator);
    }

    private static void announce(PrintStream out, String url, String source) {
        String version = probe(url);
        if (version != null) {
            out.println("[job] Using Ollama " + version + " at " + url + " (from " + source + ")");
        } else {
            out.println("[job] Warning: nothing answers at " + url + " (from " + source + "); prompts that cannot "
                        + "be sent are moved to the failed folder with the reason");
        }
    }

    /** The server's version if an Ollama answers {@code GET /api/version} within a second, else null. */
    static String probe(String baseUrl) {
        HttpURLConnection connection = null;
        try {
            URI base = OllamaHost.parse(baseUrl, "the Ollama address");
            connection = (HttpURLConnection) URI.create(base + "/api/version").toURL().openConnection();
            connection.setConnectTimeout((int) PROBE_TIMEOUT.toMillis());
            connection.setReadTimeout((int) PROBE_TIMEOUT.toMillis());
            connection.setRequestProperty("Accept", "application/json");
            if (connection.getResponseCode() != 200) {
                return null;
            }
            String body;
            try (InputStream in = connection.getInputStream()) {
                body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            Matcher matcher = VERSION.matcher(body);
            return matcher.find() ? matcher.group(1) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    /** The base URL for the route, or null to let the component read OLLAMA_HOST. */
    String baseUrl() {
        return baseUrl;
    }

    boolean isSimulated() {
        return simulator != null;
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
