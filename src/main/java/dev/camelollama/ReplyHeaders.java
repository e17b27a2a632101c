package dev.camelollama;

import java.util.List;

import org.apache.camel.Message;

import dev.camelollama.api.Metrics;
import dev.camelollama.api.TokenLogprob;
import dev.camelollama.api.ToolCall;

/** Puts a reply's figures into message headers; an absent figure leaves its header unset. */
final class ReplyHeaders {

    private ReplyHeaders() {
    }

    static void putMetrics(Message message, String model, String createdAt, Metrics metrics) {
        putIfPresent(message, OllamaConstants.MODEL, model);
        putIfPresent(message, OllamaConstants.CREATED_AT, createdAt);
        if (metrics == null) {
            return;
        }
        putIfPresent(message, OllamaConstants.DONE_REASON, metrics.doneReason());
        putIfPresent(message, OllamaConstants.TOTAL_DURATION, metrics.totalDuration());
        putIfPresent(message, OllamaConstants.LOAD_DURATION, metrics.loadDuration());
        putIfPresent(message, OllamaConstants.PROMPT_EVAL_COUNT, metrics.promptEvalCount());
        putIfPresent(message, OllamaConstants.PROMPT_EVAL_DURATION, metrics.promptEvalDuration());
        putIfPresent(message, OllamaConstants.EVAL_COUNT, metrics.evalCount());
        putIfPresent(message, OllamaConstants.EVAL_DURATION, metrics.evalDuration());
        putIfPresent(message, OllamaConstants.CONTEXT, metrics.context());
    }

    static void putExtras(Message message, String thinking, List<ToolCall> toolCalls, List<TokenLogprob> logprobs) {
        putIfPresent(message, OllamaConstants.THINKING, thinking);
        if (toolCalls != null && !toolCalls.isEmpty()) {
            message.setHeader(OllamaConstants.TOOL_CALLS, toolCalls);
        }
        if (logprobs != null && !logprobs.isEmpty()) {
            message.setHeader(OllamaConstants.TOKEN_LOGPROBS, logprobs);
        }
    }

    private static void putIfPresent(Message message, String header, Object value) {
        if (value != null) {
            message.setHeader(header, value);
        }
    }
}
