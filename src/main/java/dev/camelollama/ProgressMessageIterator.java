package dev.camelollama;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelollama.client.ProgressChunk;
import dev.camelollama.client.ProgressStream;

/**
 * The body of a split-mode pull, push or create: one Camel {@link Message} per progress line, for
 * {@code split(body()).streaming()}, while the operation runs. The body is the status text; the headers are the
 * parent's plus {@code CamelOllamaStatus}, {@code CamelOllamaDigest}, {@code CamelOllamaTotal},
 * {@code CamelOllamaCompleted}, {@code CamelOllamaPercent}, {@code CamelOllamaChunkIndex} and
 * {@code CamelOllamaDone} (true on the closing {@code success} line). An {@code {"error"}} line is thrown by
 * {@link #next()}. Same contract as {@link ChunkMessageIterator}: {@code hasNext()} never blocks, answers false once
 * the parent exchange failed, and {@link #close()} before the end aborts the HTTP call.
 */
public final class ProgressMessageIterator extends StreamMessageIterator<ProgressChunk> {

    ProgressMessageIterator(Exchange parent, ProgressStream stream) {
        super(parent, stream);
    }

    @Override
    void fill(Message message, ProgressChunk chunk) {
        message.setBody(chunk.status());
        message.setHeader(OllamaConstants.CHUNK_INDEX, chunk.index());
        message.setHeader(OllamaConstants.DONE, chunk.success());
        ProgressHandler.putProgress(message, chunk);
    }
}
