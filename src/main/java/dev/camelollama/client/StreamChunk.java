package dev.camelollama.client;

import java.util.List;

import dev.camelollama.api.Metrics;
import dev.camelollama.api.TokenLogprob;
import dev.camelollama.api.ToolCall;

/**
 * One decoded line of an Ollama reply: the text delta, and on the final line ({@code done}) the metrics. For a
 * non-streamed reply the single object is one chunk holding the whole text.
 *
 * @param index     0-based position in the reply
 * @param text      the answer text of this chunk ({@code response} for generate, {@code message.content} for chat);
 *                  never null
 * @param thinking  reasoning text of this chunk, or null
 * @param toolCalls tool calls carried by this chunk, or null
 * @param logprobs  the log probabilities of this chunk's tokens (when the request asked for logprobs), or null
 * @param done      whether this is the final chunk
 * @param metrics   the figures of the final chunk, or null on the others
 * @param model     the model that answered, when the line says
 * @param createdAt the line's timestamp as sent (RFC 3339), or null
 * @param wireBytes the size of the line on the wire, for flow control
 */
public record StreamChunk(
        long index,
        String text,
        String thinking,
        List<ToolCall> toolCalls,
        List<TokenLogprob> logprobs,
        boolean done,
        Metrics metrics,
        String model,
        String createdAt,
        int wireBytes) {
}
