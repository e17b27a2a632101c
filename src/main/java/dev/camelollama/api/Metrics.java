package dev.camelollama.api;

/**
 * The figures Ollama reports on the final chunk of a generation. Every field is optional on the wire (Go's
 * {@code omitempty} drops zeros, and some documented streams carry none), so each is nullable. Durations are in
 * nanoseconds, as Ollama sends them.
 */
public record Metrics(
        String doneReason,
        Long totalDuration,
        Long loadDuration,
        Long promptEvalCount,
        Long promptEvalDuration,
        Long evalCount,
        Long evalDuration) {

    public static final Metrics NONE = new Metrics(null, null, null, null, null, null, null);
}
