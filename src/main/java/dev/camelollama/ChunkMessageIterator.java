package dev.camelollama;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelollama.client.ChunkStream;
import dev.camelollama.client.StreamChunk;

/**
 * The body of a split-mode chat or generate reply: one message per chunk, whose body is the chunk's text and whose
 * headers carry the chunk's index, done flag, thinking, tool calls and token log probabilities, and on the final
 * chunk the metrics. See {@link StreamMessageIterator} for how it cooperates with Camel's Splitter.
 */
public final class ChunkMessageIterator extends StreamMessageIterator<StreamChunk> {

    /** Told the whole reply once its final chunk was taken (conversation memory in split mode). */
    interface TurnListener {
        void replyComplete(String text, String thinking, java.util.List<dev.camelollama.api.ToolCall> toolCalls);
    }

    private final boolean dropThinking;
    private final TurnListener turnListener;
    private final StringBuilder text;
    private final StringBuilder thinking;
    private java.util.List<dev.camelollama.api.ToolCall> toolCalls;

    ChunkMessageIterator(Exchange parent, ChunkStream stream) {
        this(parent, stream, false, null);
    }

    ChunkMessageIterator(Exchange parent, ChunkStream stream, boolean dropThinking, TurnListener turnListener) {
        super(parent, stream);
        this.dropThinking = dropThinking;
        this.turnListener = turnListener;
        this.text = turnListener == null ? null : new StringBuilder();
        this.thinking = turnListener == null ? null : new StringBuilder();
    }

    @Override
    void fill(Message message, StreamChunk chunk) {
        message.setBody(chunk.text());
        message.setHeader(OllamaConstants.CHUNK_INDEX, chunk.index());
        message.setHeader(OllamaConstants.DONE, chunk.done());
        ReplyHeaders.putExtras(message, dropThinking ? null : chunk.thinking(), chunk.toolCalls(), chunk.logprobs());
        if (chunk.done()) {
            ReplyHeaders.putMetrics(message, chunk.model(), chunk.createdAt(), chunk.metrics());
        }
        if (turnListener != null) {
            text.append(chunk.text());
            if (chunk.thinking() != null) {
                thinking.append(chunk.thinking());
            }
            if (chunk.toolCalls() != null) {
                toolCalls = toolCalls == null ? new java.util.ArrayList<>() : toolCalls;
                toolCalls.addAll(chunk.toolCalls());
            }
            if (chunk.done()) {
                turnListener.replyComplete(text.toString(), thinking.length() == 0 ? null : thinking.toString(),
                        toolCalls);
            }
        }
    }
}
