package dev.camelollama.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.camelollama.api.TokenLogprob;

/**
 * Reads a reply line's {@code logprobs} array ({@code [{token, logprob, bytes?, top_logprobs?[]}]}) leniently: every
 * field is optional, unknown fields and values of an unexpected shape are skipped, so an odd entry never fails the
 * line that carries the text.
 */
final class LogprobsDecoder {

    private LogprobsDecoder() {
    }

    /** The entries of the array the parser is on; null when the value is not an array (it is skipped). */
    static List<TokenLogprob> read(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        List<TokenLogprob> entries = new ArrayList<>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            TokenLogprob entry = entry(parser, element);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static TokenLogprob entry(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String text = null;
        Double logprob = null;
        List<Integer> bytes = null;
        List<TokenLogprob> top = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "token" -> text = JsonValues.text(parser, value);
                case "logprob" -> logprob = number(parser, value);
                case "bytes" -> bytes = bytes(parser, value);
                case "top_logprobs" -> top = read(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new TokenLogprob(text, logprob, bytes, top);
    }

    private static Double number(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDoubleValue();
        }
        parser.skipChildren();
        return null;
    }

    private static List<Integer> bytes(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        List<Integer> values = new ArrayList<>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (element == JsonToken.VALUE_NUMBER_INT) {
                values.add(parser.getIntValue());
            } else {
                parser.skipChildren();
            }
        }
        return values;
    }
}
