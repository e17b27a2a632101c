package dev.camelollama;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import dev.camelollama.client.RetryPolicy;
import dev.camelollama.client.Timeouts;

/**
 * Every option of an {@code ollama:} endpoint. The component holds one as the defaults; each endpoint gets a copy
 * with its URI's options applied.
 */
@UriParams
@Configurer
public class OllamaConfiguration implements Cloneable {

    @UriParam
    @Metadata(description = "The Ollama server, e.g. http://localhost:11434 or https://ollama.example.com/proxy. "
                            + "When empty, the OLLAMA_HOST environment variable is read with Ollama's own rules, "
                            + "else http://localhost:11434.")
    private String baseUrl;

    @UriParam
    @Metadata(description = "The model to use, e.g. llama3.2 or qwen3:8b. The CamelOllamaModel header overrides it.")
    private String model;

    @UriParam(defaultValue = "aggregate", enums = "off,aggregate,split")
    @Metadata(description = "How the reply reaches the route: off (Ollama is asked with stream:false and the body is "
                            + "the whole text), aggregate (Ollama streams and the body is the assembled text; stalls "
                            + "are detected between chunks) or split (the body is a lazy closeable iterator of chunk "
                            + "messages for split(body()).streaming(), one exchange per chunk while the reply is "
                            + "still arriving).")
    private StreamingMode streaming = StreamingMode.aggregate;

    @UriParam
    @Metadata(description = "The system message (chat: a first system message; generate: the system field). The "
                            + "CamelOllamaSystem header overrides it.")
    private String system;

    @UriParam(prefix = "options.", multiValue = true)
    @Metadata(description = "Ollama model options sent in the request's options object, e.g. "
                            + "options.temperature=0.2&options.num_ctx=8192. Numbers and booleans are sent as JSON "
                            + "numbers and booleans.")
    private Map<String, Object> options = new HashMap<>();

    @UriParam
    @Metadata(description = "How long Ollama keeps the model loaded after the request: a duration with a unit "
                            + "(10m, 24h), a number of seconds, a negative number to keep it loaded, 0 to unload "
                            + "at once. Empty leaves Ollama's default (5m).")
    private String keepAlive;

    @UriParam(label = "timeout", defaultValue = "10s", javaType = "java.time.Duration")
    @Metadata(description = "How long to wait for the TCP connection; 0 waits forever.")
    private long connectTimeout = Timeouts.DEFAULT.connect();

    @UriParam(label = "timeout", defaultValue = "5m", javaType = "java.time.Duration")
    @Metadata(description = "How long to wait from sending the request to the first byte of the reply. Ollama only "
                            + "answers once the request left its queue, the model is loaded and the prompt is "
                            + "evaluated, so this must cover a cold model load; 0 waits forever. With streaming=off "
                            + "it bounds the whole generation.")
    private long firstByteTimeout = Timeouts.DEFAULT.firstByte();

    @UriParam(label = "timeout", defaultValue = "2m", javaType = "java.time.Duration")
    @Metadata(description = "The longest pause allowed between two chunks of a streamed reply (stall detection); "
                            + "0 switches it off.")
    private long idleTimeout = Timeouts.DEFAULT.idle();

    @UriParam(label = "timeout", defaultValue = "0", javaType = "java.time.Duration")
    @Metadata(description = "The most one attempt may take from start to the last chunk, even while chunks keep "
                            + "coming; 0 (the default) switches it off.")
    private long totalTimeout = Timeouts.DEFAULT.total();

    @UriParam(label = "redelivery", defaultValue = "3")
    @Metadata(description = "How many times a request is sent again after a transient failure (refused or reset "
                            + "connection, a retryable status) that happened before any reply text arrived. 0 "
                            + "switches redelivery off.")
    private int maximumRedeliveries = RetryPolicy.DEFAULT.maximumRedeliveries();

    @UriParam(label = "redelivery", defaultValue = "300", javaType = "java.time.Duration")
    @Metadata(description = "The wait before the first redelivery.")
    private long redeliveryDelay = RetryPolicy.DEFAULT.redeliveryDelay();

    @UriParam(label = "redelivery", defaultValue = "2.0")
    @Metadata(description = "Each further wait is the previous one times this factor.")
    private double backOffMultiplier = RetryPolicy.DEFAULT.backOffMultiplier();

    @UriParam(label = "redelivery", defaultValue = "30s", javaType = "java.time.Duration")
    @Metadata(description = "No wait is longer than this, not even when the server's Retry-After asks for more.")
    private long maximumRedeliveryDelay = RetryPolicy.DEFAULT.maximumRedeliveryDelay();

    @UriParam(label = "redelivery", defaultValue = "429,500,502,503,504")
    @Metadata(description = "The HTTP statuses that are redelivered, separated by commas. 400 and 404 never are.")
    private String retryableStatusCodes = "429,500,502,503,504";

    @UriParam(label = "redelivery", defaultValue = "false")
    @Metadata(description = "Whether a firstByteTimeout is redelivered too. Off by default: Ollama stops a "
                            + "generation, and aborts a model load, when its client leaves, so a retry starts over "
                            + "and may never finish.")
    private boolean retryReadTimeouts;

    public String getBaseUrl() {
        return baseUrl;
    }

    /**
     * The Ollama server, e.g. http://localhost:11434. When empty, OLLAMA_HOST is read with Ollama's own rules, else
     * http://localhost:11434.
     */
    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getModel() {
        return model;
    }

    /** The model to use, e.g. llama3.2. The CamelOllamaModel header overrides it. */
    public void setModel(String model) {
        this.model = model;
    }

    public StreamingMode getStreaming() {
        return streaming;
    }

    /** How the reply reaches the route: off, aggregate (the default) or split. */
    public void setStreaming(StreamingMode streaming) {
        this.streaming = streaming;
    }

    public String getSystem() {
        return system;
    }

    /** The system message. The CamelOllamaSystem header overrides it. */
    public void setSystem(String system) {
        this.system = system;
    }

    public Map<String, Object> getOptions() {
        return options;
    }

    /** Ollama model options, given as options.name=value. */
    public void setOptions(Map<String, Object> options) {
        this.options = options;
    }

    public String getKeepAlive() {
        return keepAlive;
    }

    /** How long Ollama keeps the model loaded: 10m, 3600, -1 (forever), 0 (unload at once). */
    public void setKeepAlive(String keepAlive) {
        this.keepAlive = keepAlive;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the TCP connection, in milliseconds; 0 waits forever. */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getFirstByteTimeout() {
        return firstByteTimeout;
    }

    /** How long to wait for the first byte of the reply (queue, model load, prompt evaluation), in milliseconds. */
    public void setFirstByteTimeout(long firstByteTimeout) {
        this.firstByteTimeout = firstByteTimeout;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    /** The longest pause between two chunks, in milliseconds; 0 switches stall detection off. */
    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getTotalTimeout() {
        return totalTimeout;
    }

    /** The most one attempt may take, in milliseconds; 0 switches it off. */
    public void setTotalTimeout(long totalTimeout) {
        this.totalTimeout = totalTimeout;
    }

    public int getMaximumRedeliveries() {
        return maximumRedeliveries;
    }

    /** How many times a transient failure before any reply text is redelivered. */
    public void setMaximumRedeliveries(int maximumRedeliveries) {
        this.maximumRedeliveries = maximumRedeliveries;
    }

    public long getRedeliveryDelay() {
        return redeliveryDelay;
    }

    /** The wait before the first redelivery, in milliseconds. */
    public void setRedeliveryDelay(long redeliveryDelay) {
        this.redeliveryDelay = redeliveryDelay;
    }

    public double getBackOffMultiplier() {
        return backOffMultiplier;
    }

    /** Each further wait is the previous one times this factor. */
    public void setBackOffMultiplier(double backOffMultiplier) {
        this.backOffMultiplier = backOffMultiplier;
    }

    public long getMaximumRedeliveryDelay() {
        return maximumRedeliveryDelay;
    }

    /** No wait is longer than this, in milliseconds, Retry-After included. */
    public void setMaximumRedeliveryDelay(long maximumRedeliveryDelay) {
        this.maximumRedeliveryDelay = maximumRedeliveryDelay;
    }

    public String getRetryableStatusCodes() {
        return retryableStatusCodes;
    }

    /** The HTTP statuses that are redelivered, separated by commas. */
    public void setRetryableStatusCodes(String retryableStatusCodes) {
        this.retryableStatusCodes = retryableStatusCodes;
    }

    public boolean isRetryReadTimeouts() {
        return retryReadTimeouts;
    }

    /** Whether a firstByteTimeout is redelivered too (it restarts the whole generation). */
    public void setRetryReadTimeouts(boolean retryReadTimeouts) {
        this.retryReadTimeouts = retryReadTimeouts;
    }

    /** The timeouts as the client takes them, checked. */
    public Timeouts timeouts() {
        return new Timeouts(connectTimeout, firstByteTimeout, idleTimeout, totalTimeout);
    }

    /** The redelivery options as the client takes them, checked. */
    public RetryPolicy retryPolicy() {
        if (maximumRedeliveries < 0) {
            throw new IllegalArgumentException("maximumRedeliveries is " + maximumRedeliveries
                                               + "; give 0 to switch redelivery off, or a positive count");
        }
        if (redeliveryDelay < 0 || maximumRedeliveryDelay < 0) {
            throw new IllegalArgumentException("redeliveryDelay and maximumRedeliveryDelay must not be negative");
        }
        if (backOffMultiplier < 1.0) {
            throw new IllegalArgumentException("backOffMultiplier is " + backOffMultiplier
                                               + "; give 1.0 for a fixed delay, or more to grow it");
        }
        return new RetryPolicy(maximumRedeliveries, redeliveryDelay, backOffMultiplier, maximumRedeliveryDelay,
                RetryPolicy.parseStatusCodes(retryableStatusCodes), retryReadTimeouts);
    }

    public OllamaConfiguration copy() {
        try {
            OllamaConfiguration copy = (OllamaConfiguration) super.clone();
            copy.options = new HashMap<>(options);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
