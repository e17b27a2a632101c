package dev.camelollama.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The simulator's one Jackson mapper, so each reply does not pay for building its own. */
final class SimulatorJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SimulatorJson() {
    }

    /** The text as a quoted, escaped JSON string literal. */
    static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"error":"message"}}, Ollama's error body both before and inside a stream. */
    static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
