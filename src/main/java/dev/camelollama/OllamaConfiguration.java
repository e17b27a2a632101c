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

    @UriParam(label = "generation")
    @Metadata(description = "Sampling temperature (Ollama's temperature option), e.g. 0.2; higher is more creative.")
    private Double temperature;

    @UriParam(label = "generation")
    @Metadata(description = "Context window in tokens (num_ctx). Changing it between requests makes Ollama reload "
                            + "the model; a prompt longer than the window is cut silently (the component warns).")
    private Integer numCtx;

    @UriParam(label = "generation")
    @Metadata(description = "The most tokens to generate (num_predict); -1 means until the model stops.")
    private Integer numPredict;

    @UriParam(label = "generation")
    @Metadata(description = "Random seed (seed), for reproducible replies with the same prompt and options.")
    private Integer seed;

    @UriParam(label = "generation")
    @Metadata(description = "Sample from the k most likely tokens (top_k).")
    private Integer topK;

    @UriParam(label = "generation")
    @Metadata(description = "Nucleus sampling threshold (top_p), between 0 and 1.")
    private Double topP;

    @UriParam(label = "generation")
    @Metadata(description = "Minimum probability of a token relative to the most likely one (min_p).")
    private Double minP;

    @UriParam(label = "generation")
    @Metadata(description = "Penalty for repeated tokens (repeat_penalty), e.g. 1.1.")
    private Double repeatPenalty;

    @UriParam(label = "generation")
    @Metadata(description = "Stop sequences (stop), separated by commas.")
    private String stop;

    @UriParam(label = "generation")
    @Metadata(description = "Structured output: json, a JSON schema inline, or resource:classpath:/resource:file: "
                            + "pointing at one. With outputClass and no format, the schema is derived from the class.")
    private String format;

    @UriParam(label = "generation")
    @Metadata(description = "A class to read the reply into with Jackson (the body becomes an instance); also "
                            + "derives the format schema when format is not set.")
    private Class<?> outputClass;

    @UriParam(label = "generation", enums = "true,false,low,medium,high,max")
    @Metadata(description = "Thinking: true, false or a level (low, medium, high, max). The reasoning is kept apart "
                            + "from the answer, in the CamelOllamaThinking header. Unset leaves Ollama's default "
                            + "(on for thinking models).")
    private String think;

    @UriParam(label = "generation", defaultValue = "false")
    @Metadata(description = "Drop the model's reasoning instead of putting it into the CamelOllamaThinking header.")
    private boolean dropThinking;

    @UriParam(label = "generation")
    @Metadata(description = "Tool definitions for chat: a JSON array of Ollama tools, or resource:classpath:/"
                            + "resource:file: pointing at one. The CamelOllamaTools header overrides it.")
    private String tools;

    @UriParam(label = "generation")
    @Metadata(description = "generate only: send the prompt as it is, without the model's template. Cannot be "
                            + "combined with system, template or context (Ollama answers 400).")
    private Boolean raw;

    @UriParam(label = "generation")
    @Metadata(description = "generate only: text after the insertion point, for fill-in-the-middle models.")
    private String suffix;

    @UriParam(label = "generation")
    @Metadata(description = "generate only: a prompt template that replaces the model's (Go template syntax), "
                            + "inline or resource:.")
    private String template;

    @UriParam(label = "generation")
    @Metadata(description = "A prompt template in Camel's simple language, inline or resource:, e.g. "
                            + "'Summarise in one line: ${body}'; the result is the prompt (generate) or the user "
                            + "message (chat).")
    private String promptTemplate;

    @UriParam(label = "embed,generation", defaultValue = "true")
    @Metadata(description = "chat, generate and embed: whether input longer than the model's context window is cut "
                            + "to fit (true, Ollama's default: chat and generate drop the oldest part of the prompt, "
                            + "embed cuts each input) or refused with an error (false). Only sent when set.")
    private Boolean truncate;

    @UriParam(label = "generation", defaultValue = "true")
    @Metadata(description = "chat and generate: when the context window fills up during generation, whether Ollama "
                            + "drops older tokens and goes on (true, Ollama's default) or stops there (false). "
                            + "Changing it between requests makes Ollama reload the model (the component warns). "
                            + "Only sent when set.")
    private Boolean shift;

    @UriParam(label = "generation", defaultValue = "false")
    @Metadata(description = "chat and generate: return each generated token with its log probability, as a "
                            + "list of TokenLogprob in the CamelOllamaTokenLogprobs header (per chunk in split mode). "
                            + "The CamelOllamaLogprobs header overrides it.")
    private Boolean logprobs;

    @UriParam(label = "generation")
    @Metadata(description = "chat and generate: how many of the most likely tokens (0 to 20) to return with each "
                            + "token's log probability. More than 0 turns logprobs on unless it is set to false, "
                            + "which is refused. The CamelOllamaTopLogprobs header overrides it.")
    private Integer topLogprobs;

    @UriParam(label = "generation", defaultValue = "false")
    @Metadata(description = "When numCtx is not set, learn the model's context window once from /api/show (a "
                            + "num_ctx in its Modelfile, else the model's own context length) to flag truncated "
                            + "prompts. Off by default: it sends one extra request per model and server, and a model's "
                            + "own context length can be larger than the window Ollama really uses.")
    private boolean learnContextWindow;

    @UriParam(label = "conversation")
    @Metadata(description = "Where chat conversations are kept (a ConversationStore bean, e.g. #myStore). Used when "
                            + "the CamelOllamaConversationId header is set; the default keeps up to 1000 "
                            + "conversations of 200 messages in memory.")
    private ConversationStore conversationStore;

    @UriParam(label = "security", secret = true)
    @Metadata(description = "A bearer token sent as Authorization: Bearer <token> with every request, for an Ollama "
                            + "server behind an authenticating proxy. Masked in logs and endpoint URIs.")
    private String bearerToken;

    @UriParam(label = "security", secret = true)
    @Metadata(description = "The user name for HTTP basic authentication (with password) at a proxy in front of "
                            + "Ollama. Cannot be combined with bearerToken.")
    private String username;

    @UriParam(label = "security", secret = true)
    @Metadata(description = "The password for HTTP basic authentication (with username). Masked in logs and "
                            + "endpoint URIs.")
    private String password;

    @UriParam(label = "security")
    @Metadata(description = "A bean implementing dev.camelollama.OllamaHeadersSupplier (e.g. #myHeaders), asked per "
                            + "request for extra HTTP headers, e.g. a rotating Authorization token. Its headers win "
                            + "over bearerToken and username/password of the same name. Values are never logged.")
    private OllamaHeadersSupplier headersSupplier;

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

    @UriParam(label = "advanced", defaultValue = "0")
    @Metadata(description = "The most bytes of reply body read for one call (counted after HTTP decoding, NDJSON "
                            + "included); a larger reply fails with OllamaReplyTooLargeException, carrying the text "
                            + "received so far, and the connection is closed so that Ollama stops generating. Never "
                            + "redelivered. 0 (the default) means no limit.")
    private long maxReplySize;

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

    public Double getTemperature() {
        return temperature;
    }

    /** Sampling temperature (temperature). */
    public void setTemperature(Double temperature) {
        this.temperature = temperature;
    }

    public Integer getNumCtx() {
        return numCtx;
    }

    /** Context window in tokens (num_ctx). */
    public void setNumCtx(Integer numCtx) {
        this.numCtx = numCtx;
    }

    public Integer getNumPredict() {
        return numPredict;
    }

    /** The most tokens to generate (num_predict). */
    public void setNumPredict(Integer numPredict) {
        this.numPredict = numPredict;
    }

    public Integer getSeed() {
        return seed;
    }

    /** Random seed (seed). */
    public void setSeed(Integer seed) {
        this.seed = seed;
    }

    public Integer getTopK() {
        return topK;
    }

    /** Sample from the k most likely tokens (top_k). */
    public void setTopK(Integer topK) {
        this.topK = topK;
    }

    public Double getTopP() {
        return topP;
    }

    /** Nucleus sampling threshold (top_p). */
    public void setTopP(Double topP) {
        this.topP = topP;
    }

    public Double getMinP() {
        return minP;
    }

    /** Minimum relative token probability (min_p). */
    public void setMinP(Double minP) {
        this.minP = minP;
    }

    public Double getRepeatPenalty() {
        return repeatPenalty;
    }

    /** Penalty for repeated tokens (repeat_penalty). */
    public void setRepeatPenalty(Double repeatPenalty) {
        this.repeatPenalty = repeatPenalty;
    }

    public String getStop() {
        return stop;
    }

    /** Stop sequences, separated by commas. */
    public void setStop(String stop) {
        this.stop = stop;
    }

    public String getFormat() {
        return format;
    }

    /** Structured output: json, a JSON schema, or resource: pointing at one. */
    public void setFormat(String format) {
        this.format = format;
    }

    public Class<?> getOutputClass() {
        return outputClass;
    }

    /** A class to read the reply into with Jackson. */
    public void setOutputClass(Class<?> outputClass) {
        this.outputClass = outputClass;
    }

    public String getThink() {
        return think;
    }

    /** Thinking: true, false, low, medium, high or max. */
    public void setThink(String think) {
        this.think = think;
    }

    public boolean isDropThinking() {
        return dropThinking;
    }

    /** Drop the model's reasoning instead of putting it into a header. */
    public void setDropThinking(boolean dropThinking) {
        this.dropThinking = dropThinking;
    }

    public String getTools() {
        return tools;
    }

    /** Tool definitions for chat: a JSON array, or resource: pointing at one. */
    public void setTools(String tools) {
        this.tools = tools;
    }

    public Boolean getRaw() {
        return raw;
    }

    /** generate only: send the prompt without the model's template. */
    public void setRaw(Boolean raw) {
        this.raw = raw;
    }

    public String getSuffix() {
        return suffix;
    }

    /** generate only: text after the insertion point. */
    public void setSuffix(String suffix) {
        this.suffix = suffix;
    }

    public String getTemplate() {
        return template;
    }

    /** generate only: a prompt template replacing the model's. */
    public void setTemplate(String template) {
        this.template = template;
    }

    public String getPromptTemplate() {
        return promptTemplate;
    }

    /** A prompt template in Camel's simple language, inline or resource:. */
    public void setPromptTemplate(String promptTemplate) {
        this.promptTemplate = promptTemplate;
    }

    public Boolean getTruncate() {
        return truncate;
    }

    /**
     * chat, generate and embed: cut input longer than the context window (true, Ollama's default) or refuse it
     * (false).
     */
    public void setTruncate(Boolean truncate) {
        this.truncate = truncate;
    }

    public Boolean getShift() {
        return shift;
    }

    /** chat and generate: go on when the context window fills up (true, Ollama's default) or stop there. */
    public void setShift(Boolean shift) {
        this.shift = shift;
    }

    public Boolean getLogprobs() {
        return logprobs;
    }

    /** chat and generate: return each generated token with its log probability. */
    public void setLogprobs(Boolean logprobs) {
        this.logprobs = logprobs;
    }

    public Integer getTopLogprobs() {
        return topLogprobs;
    }

    /** chat and generate: how many of the most likely tokens (0 to 20) to return at each position. */
    public void setTopLogprobs(Integer topLogprobs) {
        this.topLogprobs = topLogprobs;
    }

    public boolean isLearnContextWindow() {
        return learnContextWindow;
    }

    /** Learn the model's context window from /api/show when numCtx is not set. */
    public void setLearnContextWindow(boolean learnContextWindow) {
        this.learnContextWindow = learnContextWindow;
    }

    public ConversationStore getConversationStore() {
        return conversationStore;
    }

    /** Where chat conversations are kept. */
    public void setConversationStore(ConversationStore conversationStore) {
        this.conversationStore = conversationStore;
    }

    public String getBearerToken() {
        return bearerToken;
    }

    /** A bearer token sent as Authorization: Bearer with every request (a proxy in front of Ollama). */
    public void setBearerToken(String bearerToken) {
        this.bearerToken = bearerToken;
    }

    public String getUsername() {
        return username;
    }

    /** The user name for HTTP basic authentication at a proxy in front of Ollama. */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** The password for HTTP basic authentication. */
    public void setPassword(String password) {
        this.password = password;
    }

    public OllamaHeadersSupplier getHeadersSupplier() {
        return headersSupplier;
    }

    /** A bean asked per request for extra HTTP headers (e.g. a rotating token). */
    public void setHeadersSupplier(OllamaHeadersSupplier headersSupplier) {
        this.headersSupplier = headersSupplier;
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

    public long getMaxReplySize() {
        return maxReplySize;
    }

    /** The most bytes of reply body read for one call; 0 (the default) means no limit. */
    public void setMaxReplySize(long maxReplySize) {
        this.maxReplySize = maxReplySize;
    }

    // ---- embed and model management (operations other than chat/generate) ----

    @UriParam(defaultValue = "false")
    @Metadata(description = "chat, generate and embed: when the model is not on the server (404), pull it (progress "
                            + "is logged at INFO) and send the request once more.")
    private boolean autoPull;


    @UriParam(label = "embed")
    @Metadata(description = "embed: the size of the vectors, for models that can shorten them (the vector is cut "
                            + "and normalised again). Empty leaves the model's size.")
    private Integer dimensions;

    @UriParam(label = "management", defaultValue = "false")
    @Metadata(description = "showModel: also return the large arrays of model_info and the tensors. The "
                            + "CamelOllamaVerbose header overrides it.")
    private boolean verbose;

    @UriParam(label = "management", defaultValue = "false")
    @Metadata(description = "pullModel and pushModel: allow a registry without TLS or with a self-signed "
                            + "certificate.")
    private boolean insecure;

    @UriParam(label = "management")
    @Metadata(description = "copyModel: the name of the copy (the model option or CamelOllamaModel header names the "
                            + "source). The CamelOllamaDestination header overrides it.")
    private String destination;

    public boolean isAutoPull() {
        return autoPull;
    }

    /** chat, generate and embed: pull a missing model, then send the request once more. */
    public void setAutoPull(boolean autoPull) {
        this.autoPull = autoPull;
    }


    public Integer getDimensions() {
        return dimensions;
    }

    /** embed: the size of the vectors, for models that can shorten them. */
    public void setDimensions(Integer dimensions) {
        this.dimensions = dimensions;
    }

    public boolean isVerbose() {
        return verbose;
    }

    /** showModel: also return the large arrays of model_info and the tensors. */
    public void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    public boolean isInsecure() {
        return insecure;
    }

    /** pullModel and pushModel: allow a registry without TLS or with a self-signed certificate. */
    public void setInsecure(boolean insecure) {
        this.insecure = insecure;
    }

    public String getDestination() {
        return destination;
    }

    /** copyModel: the name of the copy. The CamelOllamaDestination header overrides it. */
    public void setDestination(String destination) {
        this.destination = destination;
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
