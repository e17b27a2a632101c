package dev.camelollama.client;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Lenient readers for one value of a reply line: Ollama omits zeros and sends nulls in places, so a value of an
 * unexpected shape is skipped (read as null) instead of failing the whole line.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** The value as text; null for null, objects and arrays (which are skipped). */
    static String text(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isStructStart()) {
            parser.skipChildren();
            return null;
        }
        return parser.getText();
    }

    /** The value as a whole number; null when it is not a number (objects and arrays are skipped). */
    static Long wholeNumber(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) parser.getDoubleValue();
        }
        if (token.isStructStart()) {
            parser.skipChildren();
        }
        return null;
    }
}
