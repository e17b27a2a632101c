package dev.camelollama.client;

import java.util.List;

import dev.camelollama.api.Metrics;
import dev.camelollama.api.TokenLogprob;
import dev.camelollama.api.ToolCall;

/**
 * A whole reply: the concatenated text of every chunk, with the final chunk's metrics.
 *
 * @param text       the answer text
 * @param thinking   the concatenated reasoning text, or null when the model sent none
 * @param toolCalls  every tool call from every chunk, or null when there were none
 * @param logprobs   every chunk's token log probabilities in order, or null when there were none (not asked for)
 * @param metrics    the final chunk's figures (fields may be null: Ollama omits zeros)
 * @param model      the model that answered
 * @param createdAt  the final chunk's timestamp
 * @param chunkCount how many lines the reply had
 */
public record AggregatedReply(
        String text,
        String thinking,
        List<ToolCall> toolCalls,
        List<TokenLogprob> logprobs,
        Metrics metrics,
        String model,
        String createdAt,
        long chunkCount) {
}
