package dev.camelollama;

import org.apache.camel.spi.Metadata;

/** The headers the {@code ollama:} component reads and writes. */
public final class OllamaConstants {

    @Metadata(label = "producer", description = "The model to use; overrides the endpoint's model option. After the "
                                                + "call, the model that answered.",
              javaType = "String")
    public static final String MODEL = "CamelOllamaModel";

    @Metadata(label = "producer", description = "The prompt (generate) or user message (chat); when set, it is used "
                                                + "instead of the message body.",
              javaType = "String")
    public static final String PROMPT = "CamelOllamaPrompt";

    @Metadata(label = "producer", description = "The system message; overrides the endpoint's system option.",
              javaType = "String")
    public static final String SYSTEM = "CamelOllamaSystem";

    @Metadata(label = "producer", description = "Why generation stopped: stop, length, load or unload.",
              javaType = "String")
    public static final String DONE_REASON = "CamelOllamaDoneReason";

    @Metadata(label = "producer", description = "How many tokens the prompt had (absent when Ollama did not say).",
              javaType = "Long")
    public static final String PROMPT_EVAL_COUNT = "CamelOllamaPromptEvalCount";

    @Metadata(label = "producer", description = "Nanoseconds spent evaluating the prompt.", javaType = "Long")
    public static final String PROMPT_EVAL_DURATION = "CamelOllamaPromptEvalDuration";

    @Metadata(label = "producer", description = "How many tokens the reply had.", javaType = "Long")
    public static final String EVAL_COUNT = "CamelOllamaEvalCount";

    @Metadata(label = "producer", description = "Nanoseconds spent generating the reply.", javaType = "Long")
    public static final String EVAL_DURATION = "CamelOllamaEvalDuration";

    @Metadata(label = "producer", description = "Nanoseconds spent loading the model.", javaType = "Long")
    public static final String LOAD_DURATION = "CamelOllamaLoadDuration";

    @Metadata(label = "producer", description = "Nanoseconds the whole request took on the server.",
              javaType = "Long")
    public static final String TOTAL_DURATION = "CamelOllamaTotalDuration";

    @Metadata(label = "producer", description = "The reply's timestamp as Ollama sent it (RFC 3339).",
              javaType = "String")
    public static final String CREATED_AT = "CamelOllamaCreatedAt";

    @Metadata(label = "producer", description = "The model's reasoning text (whole in aggregate/off modes, this "
                                                + "chunk's part in split mode); absent when there was none.",
              javaType = "String")
    public static final String THINKING = "CamelOllamaThinking";

    @Metadata(label = "producer", description = "Tool calls the model asked for; absent when there were none.",
              javaType = "java.util.List<dev.camelollama.api.ToolCall>")
    public static final String TOOL_CALLS = "CamelOllamaToolCalls";

    @Metadata(label = "producer", description = "How many chunks the reply had (aggregate and off modes).",
              javaType = "Long")
    public static final String CHUNK_COUNT = "CamelOllamaChunkCount";

    @Metadata(label = "producer", description = "Split mode: the 0-based position of this chunk in the reply.",
              javaType = "Long")
    public static final String CHUNK_INDEX = "CamelOllamaChunkIndex";

    @Metadata(label = "producer", description = "Split mode: true on the final chunk, which also carries the metrics "
                                                + "headers.",
              javaType = "Boolean")
    public static final String DONE = "CamelOllamaDone";

    @Metadata(label = "producer", description = "Images for chat (attached to the user message) and generate: one "
                                                + "or a list of byte[], File, Path, a file consumer's file, or base64 "
                                                + "text (a data: prefix is removed).",
              javaType = "Object")
    public static final String IMAGES = "CamelOllamaImages";

    @Metadata(label = "producer", description = "Tool definitions for chat (a List of tools or a JSON array); "
                                                + "overrides the tools option.",
              javaType = "Object")
    public static final String TOOLS = "CamelOllamaTools";

    @Metadata(label = "producer", description = "Structured output: json, a JSON schema (String or Map); overrides "
                                                + "the format option.",
              javaType = "Object")
    public static final String FORMAT = "CamelOllamaFormat";

    @Metadata(label = "producer", description = "Thinking: true, false, low, medium, high or max; overrides the "
                                                + "think option.",
              javaType = "Object")
    public static final String THINK = "CamelOllamaThink";

    @Metadata(label = "producer", description = "Model options (a Map with Ollama's names, e.g. num_ctx); merged "
                                                + "over the endpoint's options.",
              javaType = "java.util.Map<String, Object>")
    public static final String OPTIONS = "CamelOllamaOptions";

    @Metadata(label = "producer", description = "keep_alive for this request; overrides the keepAlive option.",
              javaType = "Object")
    public static final String KEEP_ALIVE = "CamelOllamaKeepAlive";

    @Metadata(label = "producer", description = "generate: the context returned by an earlier generate (sent with "
                                                + "the request); after the call, the context Ollama returned.",
              javaType = "java.util.List<Long>")
    public static final String CONTEXT = "CamelOllamaContext";

    @Metadata(label = "producer", description = "chat: the conversation this message belongs to. The history is "
                                                + "sent with the request and the reply is added to it.",
              javaType = "String")
    public static final String CONVERSATION_ID = "CamelOllamaConversationId";

    @Metadata(label = "producer", description = "True when the prompt filled the whole context window, so Ollama "
                                                + "probably cut its beginning; raise numCtx or shorten the prompt.",
              javaType = "Boolean")
    public static final String PROMPT_TRUNCATED = "CamelOllamaPromptTruncated";

    @Metadata(label = "producer", description = "chat and generate: true to get each generated token's log "
                                                + "probability (in CamelOllamaTokenLogprobs); overrides the logprobs "
                                                + "option.",
              javaType = "Boolean")
    public static final String LOGPROBS = "CamelOllamaLogprobs";

    @Metadata(label = "producer", description = "chat and generate: how many of the most likely tokens (0 to 20) to "
                                                + "return at each position; more than 0 turns logprobs on unless it is "
                                                + "false. Overrides the topLogprobs option.",
              javaType = "Integer")
    public static final String TOP_LOGPROBS = "CamelOllamaTopLogprobs";

    @Metadata(label = "producer", description = "The generated tokens with their log probabilities, when logprobs "
                                                + "was asked for (all chunks' in aggregate/off modes, this chunk's in "
                                                + "split mode); absent otherwise.",
              javaType = "java.util.List<dev.camelollama.api.TokenLogprob>")
    public static final String TOKEN_LOGPROBS = "CamelOllamaTokenLogprobs";

    // ---- embed and model management ----

    @Metadata(label = "producer", description = "copyModel: the name of the copy; overrides the destination option.",
              javaType = "String")
    public static final String DESTINATION = "CamelOllamaDestination";

    @Metadata(label = "producer", description = "showModel: true to also get the large arrays of model_info and the "
                                                + "tensors; overrides the verbose option.",
              javaType = "Boolean")
    public static final String VERBOSE = "CamelOllamaVerbose";

    @Metadata(label = "producer", description = "blobExists: the blob's digest (sha256: and 64 hex digits), used "
                                                + "instead of the body. pushBlob: after the call, the digest of the uploaded file. "
                                                + "Progress messages: the layer's digest.",
              javaType = "String")
    public static final String DIGEST = "CamelOllamaDigest";

    @Metadata(label = "producer", description = "pullModel, pushModel, createModel: the step's status, e.g. pulling "
                                                + "manifest or success (split mode: per progress message; otherwise "
                                                + "the last one).",
              javaType = "String")
    public static final String STATUS = "CamelOllamaStatus";

    @Metadata(label = "producer", description = "Progress messages: the layer's size in bytes, when Ollama gave it.",
              javaType = "Long")
    public static final String TOTAL = "CamelOllamaTotal";

    @Metadata(label = "producer", description = "Progress messages: the bytes of the layer done so far, when Ollama "
                                                + "gave them.",
              javaType = "Long")
    public static final String COMPLETED = "CamelOllamaCompleted";

    @Metadata(label = "producer", description = "Progress messages: completed / total in percent (0-100), when "
                                                + "Ollama gave a total.",
              javaType = "Double")
    public static final String PERCENT = "CamelOllamaPercent";

    private OllamaConstants() {
    }
}
