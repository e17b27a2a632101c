package dev.camelollama.job;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What the batch job runs with. {@link #fromSystemProperties()} reads the {@code job.*} system properties (so
 * {@code mvn -q test-compile exec:java -Djob.model=qwen3} works); every folder is made absolute, because the file
 * consumer reads a relative {@code moveFailed} as relative to the inbox.
 *
 * @param inbox          where prompt files ({@code *.txt}) are read from
 * @param outbox         where replies are written, under the prompt's file name
 * @param failed         where failed prompts are moved, each with a {@code <name>.reason.txt}
 * @param model          the Ollama model
 * @param concurrency    how many prompts are in flight at once
 * @param keepRunning    true: keep polling the inbox until stopped (Ctrl+C); false: end once idle
 * @param maxIdleSeconds how long nothing may be in flight and no prompt wait in the inbox before the job ends
 *                       (ignored with keepRunning)
 * @param baseUrl        the Ollama server, or null to let the component read {@code OLLAMA_HOST}
 */
public record JobSettings(Path inbox, Path outbox, Path failed, String model, int concurrency, boolean keepRunning,
        int maxIdleSeconds, String baseUrl) {

    public static final String DEFAULT_MODEL = "llama3.2";
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int DEFAULT_MAX_IDLE_SECONDS = 3;

    public JobSettings {
        inbox = inbox.toAbsolutePath().normalize();
        outbox = outbox.toAbsolutePath().normalize();
        failed = failed.toAbsolutePath().normalize();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("job.model is empty; give a model name such as llama3.2");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("job.concurrency is " + concurrency + "; give 1 or more");
        }
        if (maxIdleSeconds < 1) {
            throw new IllegalArgumentException("job.maxIdleSeconds is " + maxIdleSeconds + "; give 1 or more");
        }
        if (baseUrl != null && baseUrl.isBlank()) {
            baseUrl = null;
        }
    }

    /** The settings from {@code job.*} system properties, with the defaults for what is not set. */
    public static JobSettings fromSystemProperties() {
        return new JobSettings(
                Path.of(System.getProperty("job.inbox", "work/inbox")),
                Path.of(System.getProperty("job.outbox", "work/outbox")),
                Path.of(System.getProperty("job.failed", "work/failed")),
                System.getProperty("job.model", DEFAULT_MODEL),
                intProperty("job.concurrency", DEFAULT_CONCURRENCY),
                Boolean.parseBoolean(System.getProperty("job.keepRunning", "false")),
                intProperty("job.maxIdleSeconds", DEFAULT_MAX_IDLE_SECONDS),
                System.getProperty("job.baseUrl"));
    }

    /** The same settings talking to another server (null: the component reads {@code OLLAMA_HOST}). */
    public JobSettings withBaseUrl(String server) {
        return new JobSettings(inbox, outbox, failed, model, concurrency, keepRunning, maxIdleSeconds, server);
    }

    /** The property placeholders {@code routes/batch-job.yaml} uses. */
    public Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("job.inbox", slashes(inbox));
        properties.setProperty("job.outbox", slashes(outbox));
        properties.setProperty("job.failed", slashes(failed));
        properties.setProperty("job.model", model);
        properties.setProperty("job.concurrency", Integer.toString(concurrency));
        if (baseUrl != null) {
            properties.setProperty("job.baseUrl", baseUrl);
        }
        return properties;
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }

    private static int intProperty(String name, int defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is '" + value + "'; give a whole number");
        }
    }
}
