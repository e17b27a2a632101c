package dev.camelollama.api;

import java.util.List;

/**
 * The figures Ollama reports on the final chunk of a generation. Every field is optional on the wire (Go's
 * {@code omitempty} drops zeros, and some documented streams carry none), so each is nullable. Durations are in
 * nanoseconds, as Ollama sends them. {@code context} is generate's deprecated conversational memory (token ids),
 * absent for chat and for raw generation.
 */
public record Metrics(
        String doneReason,
        Long totalDuration,
        Long loadDuration,
        Long promptEvalCount,
        Long promptEvalDuration,
        Long evalCount,
        Long evalDuration,
        List<Long> context) {

    public static final Metrics NONE = new Metrics(null, null, null, null, null, null, null, null);
}
