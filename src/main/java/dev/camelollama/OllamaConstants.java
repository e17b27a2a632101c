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

    private OllamaConstants() {
    }
}
